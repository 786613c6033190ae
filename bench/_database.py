"""A fresh database for a benchmark: SQLite under a temporary folder, or its own PostgreSQL database.

On PostgreSQL the bench creates (and drops) a database of its own on the server ``DATABASE_URL``
names. Its name is the bench's (``cityhall_bench_invoice_import``) when the URL names the server's
``postgres`` database, else it starts with the URL's database name
(``DATABASE_URL=…/cityhall_perf`` → ``cityhall_perf_bench_invoice_import``), so that benches run
by several people on one server do not drop each other's databases.
"""

from __future__ import annotations

import os


def is_postgresql(url: str | None = None) -> bool:
    """Whether ``url`` (default: ``DATABASE_URL``) points at PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    return url.startswith(("postgres://", "postgresql://"))


def database_name(bench_db: str, url: str) -> str:
    """The bench's own database on the server of ``url`` (see the module docstring)."""
    named = url.rpartition("/")[2].partition("?")[0]
    if named in ("", "postgres"):
        return bench_db
    return f"{named}_{bench_db.removeprefix('cityhall_')}"[:63]


def prepare_database(tmp: str, bench_db: str) -> str:
    """Environment for a fresh database; returns the vendor (``sqlite`` or ``postgresql``)."""
    os.environ["CITYHALL_VAR_DIR"] = tmp
    os.environ["CITYHALL_DEBUG"] = "0"
    os.environ["CITYHALL_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgresql(url):
        os.environ.pop("DATABASE_URL", None)
        return "sqlite"
    import psycopg

    base, name = url.rpartition("/")[0], database_name(bench_db, url)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    return "postgresql"


def drop_database(bench_db: str) -> None:
    """Drop the database ``prepare_database`` made (``DATABASE_URL`` names it by then)."""
    import psycopg

    base, name = os.environ["DATABASE_URL"].rpartition("/")[::2]
    if name != bench_db and not name.endswith(bench_db.removeprefix("cityhall")):
        raise RuntimeError(f"{name} is not the database of {bench_db}")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
