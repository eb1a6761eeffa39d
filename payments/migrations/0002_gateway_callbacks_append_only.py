"""The gateway's callbacks are evidence for reconciliation and audit: append-only in the database.

A row is never deleted and never changed, except that the IPN's reply code (``response_code``)
is written once, from empty, after the row was stored raw. DELETE is refused on PostgreSQL
only: the test runner empties SQLite tables with DELETE between transactional tests (as for
``dossiers_dossierevent``).
"""

from django.db import migrations

TABLE = "payments_gatewaycallback"
FROZEN = (
    "kind",
    "gateway",
    "method",
    "raw",
    "remote_addr",
    "received_at",
    "verified",
    "txn_ref",
    "gateway_response_code",
    "gateway_transaction_status",
)
_CHANGED_SQLITE = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
_OLD = ", ".join(f"OLD.{c}" for c in FROZEN)
_NEW = ", ".join(f"NEW.{c}" for c in FROZEN)

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE ON {TABLE}
    WHEN OLD.response_code <> '' OR NEW.id IS NOT OLD.id OR {_CHANGED_SQLITE}
    BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END;
    """,
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {TABLE}_append_only;"]

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR OLD.response_code <> '' OR NEW.id <> OLD.id
           OR ROW({_NEW}) IS DISTINCT FROM ROW({_OLD}) THEN
            RAISE EXCEPTION '{TABLE} is append-only';
        END IF;
        RETURN NEW;
    END;
    $$;
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
    """,
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_fees_payments_callbacks_receipts"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
