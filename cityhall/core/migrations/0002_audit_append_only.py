"""Make the audit table append-only in the database itself (監査ログの追記専用化).

PostgreSQL: a trigger function ``core_auditentry_append_only()`` and the
trigger ``core_auditentry_append_only`` (BEFORE UPDATE OR DELETE, FOR EACH
ROW) raise an exception, so no connection - the application, a shell, an admin
with psql - can change or remove an entry. TRUNCATE is deliberately not
blocked: Django's ``flush`` (used between transactional tests) truncates.

SQLite: the trigger ``core_auditentry_no_update`` (BEFORE UPDATE) aborts any
change. Deletion is not blocked there, because Django's ``flush`` on SQLite
empties tables with ``DELETE FROM`` (SQLite has no TRUNCATE) and a trigger
cannot tell a flush from a tampering delete; ``verify_audit`` reports a removed
entry as a gap or broken link.

Tests that tamper with an entry "directly in the database" must bypass the
guard on purpose: on PostgreSQL ``ALTER TABLE core_auditentry DISABLE TRIGGER
core_auditentry_append_only`` (or ``SET LOCAL session_replication_role =
replica``) inside the test's transaction; on SQLite ``DROP TRIGGER
core_auditentry_no_update`` and recreate it afterwards. Both are rolled back
with the test's transaction.
"""

from django.db import migrations

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '監査ログは追記専用です: % は許可されていません', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()
    """,
]
PG_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only()",
]
SQLITE_INSTALL = [
    """
    CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, '監査ログは追記専用です: UPDATE は許可されていません'); END
    """,
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS core_auditentry_no_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL}),
            _run({"postgresql": PG_REMOVE, "sqlite": SQLITE_REMOVE}),
            elidable=False,
        ),
    ]
