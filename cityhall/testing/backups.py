"""Comparing a database and a directory with their restored copies (バックアップの検証), row by row and byte by byte.

``table_digests`` reads every table of the ``default`` database (the search index's
shadow tables and the audit trail included) and gives each a SHA-256 over its rows in a fixed order;
``print_digests`` prints them as JSON, for a restored copy read by another process
(``manage.py shell -c``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import connection


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def table_digests() -> dict[str, str]:
    """Each table's rows, as a SHA-256 (rows sorted by their text, so no order is assumed)."""
    digests = {}
    with connection.cursor() as cursor:
        virtual: set[str] = set()
        if connection.vendor == "sqlite":  # an FTS5 table is read through its shadow tables (``*_data`` …)
            cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
            virtual = {name for (name,) in cursor.fetchall()}
        for table in sorted(set(connection.introspection.table_names(cursor)) - virtual):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest() + f":{len(rows)}"
    return digests


def print_digests() -> None:
    """Print ``table_digests`` as one line of JSON."""
    print(json.dumps(table_digests()))


def file_digests(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path → SHA-256)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
