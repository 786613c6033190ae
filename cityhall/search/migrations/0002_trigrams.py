"""3-grams in the index, so that a phrase of common 2-grams that occurs nowhere is answered at once.

SQLite: ``search_fts`` gets a third column ``tri`` (FTS5 cannot add a column:
the table is created anew). PostgreSQL: the arrays in ``search_pg_grams`` also
hold hashed 3-gram codes; with them an array is ~3 KB, past the 2 KB from which
PostgreSQL compresses and moves values out of the row (TOAST): the planner
then took the small heap for a cheap sequential scan and decompressed every
array (180 ms instead of 0.6 ms for a rare word at 20,000 items), so
``toast_tuple_target`` keeps rows of up to a page in place. Either way the n-gram index is
derived data and is rebuilt here from the stored texts in ``search_entry``
with the code of the day (``rebuild_index``); on a large database this takes
minutes (about 3 per 1,000,000 items) and ``manage.py rebuild_search_index``
does the same later if needed.
"""

from django.db import migrations

SQLITE_CREATE = [
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "uni, bi, tri, tokenize='ascii', content='', columnsize=0, detail='full')",
]
POSTGRES_CREATE = ["ALTER TABLE search_pg_grams SET (toast_tuple_target = 8160)"]
POSTGRES_BACK = ["ALTER TABLE search_pg_grams RESET (toast_tuple_target)"]
SQLITE_BACK = [
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(uni, bi, tokenize='ascii', content='', columnsize=0, detail='full')",
]


def _forward(apps, schema_editor):
    statements = SQLITE_CREATE if schema_editor.connection.vendor == "sqlite" else POSTGRES_CREATE
    for statement in statements:
        schema_editor.execute(statement, params=None)
    from cityhall.search.services import rebuild_index

    rebuild_index()


def _backward(apps, schema_editor):
    statements = SQLITE_BACK if schema_editor.connection.vendor == "sqlite" else POSTGRES_BACK
    for statement in statements:
        schema_editor.execute(statement, params=None)
    # The older code rebuilds its own index: manage.py rebuild_search_index after going back.


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_forward, _backward)]
