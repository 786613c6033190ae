"""The search index: table ``search_entry`` plus its database-specific n-gram index.

SQLite: the contentless FTS5 table ``search_fts(uni, bi)`` (tokenizer ``ascii``;
tokens are hex-encoded characters and 2-grams written by the application).
PostgreSQL: the table ``search_pg_grams(entry_id, grams integer[])`` with a GIN
index, and a trigger that empties it when ``search_entry`` is truncated. The statements are copied here (not
imported) so that this migration keeps meaning what it meant when written.
"""

from django.db import migrations, models

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "uni, bi, tokenize='ascii', content='', columnsize=0, detail='full')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES_CREATE = [
    # Distinct 1- and 2-grams of search_entry.text as 32-bit codes, written by the application.
    # No foreign key (Django's flush truncates search_entry alone); instead a
    # TRUNCATE of search_entry truncates this table too.
    "CREATE TABLE search_pg_grams (entry_id bigint PRIMARY KEY, grams integer[] NOT NULL)",
    # Exact per-gram statistics let the planner tell a rare gram (bitmap scan)
    # from a common one (walk the primary key backwards until 20 hits).
    "ALTER TABLE search_pg_grams ALTER COLUMN grams SET STATISTICS 10000",
    "CREATE INDEX search_pg_grams_gin ON search_pg_grams USING gin (grams)",
    """
    CREATE FUNCTION search_entry_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_pg_grams;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER search_entry_truncated AFTER TRUNCATE ON search_entry
    FOR EACH STATEMENT EXECUTE FUNCTION search_entry_truncated()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_truncated ON search_entry",
    "DROP FUNCTION IF EXISTS search_entry_truncated()",
    "DROP TABLE IF EXISTS search_pg_grams",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise RuntimeError(f"全文検索はこのデータベースに対応していません: {vendor}")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40, verbose_name="種別")),
                ("key", models.BigIntegerField(verbose_name="キー")),
                ("text", models.TextField(blank=True, verbose_name="正規化テキスト")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
            ],
            options={
                "verbose_name": "検索索引",
                "verbose_name_plural": "検索索引",
                "db_table": "search_entry",
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "key"), name="search_entry_kind_key_uniq")
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
