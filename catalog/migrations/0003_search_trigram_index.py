"""On PostgreSQL: the pg_trgm extension and a GIN trigram index on the folded search text.

Nothing happens on SQLite. Creating an extension needs a privileged role; when the role
may not, the migration says so and goes on: search then works without the trigram pass.
"""

from django.db import DatabaseError, migrations, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX = "catalog_version_search_trgm"


def create_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            print("\n  pg_trgm is not available: catalogue search runs without trigram matching.")
            return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        print(f"\n  Could not create pg_trgm ({error}): catalogue search runs without trigram matching.")
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedureversion USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_catalogue_revision_and_publication")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
