"""The folded text the back office's search reads (``Dossier.search_text``), filled for the
dossiers already there; on PostgreSQL, a trigram index on it (``pg_trgm``, created by
``catalog.0003``) so that ``LIKE '%…%'`` is answered from the index. Nothing more on SQLite, or
when the extension is missing: the search then reads the rows.
"""

import re

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from unidecode import unidecode

INDEX = "dossier_search_trgm"
BATCH = 2000


def fold(text: str) -> str:
    """catalog.search.text.fold as it is when this migration is written (a migration does not
    import the app's modules, which change after it)."""
    return " ".join(re.split(r"[^0-9a-z]+", unidecode(text).lower())).strip()


def fill_search_text(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Dossier = apps.get_model("dossiers", "Dossier")
    rows = Dossier.objects.order_by("pk").values_list(
        "pk",
        "code",
        "reference",
        "applicant_name",
        "organization_name",
        "applicant_national_id",
        "applicant_phone",
        "procedure_version__name",
        "procedure_version__procedure__code",
    )
    batch = []
    for pk, *parts in rows.iterator(chunk_size=BATCH):
        batch.append(Dossier(pk=pk, search_text=fold(" ".join(p for p in parts if p))[:1000]))
        if len(batch) >= BATCH:
            Dossier.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Dossier.objects.bulk_update(batch, ["search_text"])


def create_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            print("\n  pg_trgm is not installed: the dossier search reads the rows without an index.")
            return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_list_and_queue_indexes"),
        ("catalog", "0003_search_trigram_index"),  # pg_trgm
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text=(
                    "Mã số hồ sơ, mã tham chiếu, người nộp, tổ chức, số định danh, điện thoại, thủ tục: "
                    "không dấu, chữ thường, để cán bộ tìm hồ sơ gõ có dấu hay không."
                ),
                verbose_name="nội dung tra cứu",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
