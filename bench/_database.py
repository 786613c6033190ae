"""A fresh database for a benchmark: SQLite under a temporary folder, or its own PostgreSQL database."""

from __future__ import annotations

import os


def prepare_database(tmp: str, bench_db: str) -> str:
    """Environment for a fresh database; returns the vendor (``sqlite`` or ``postgresql``)."""
    os.environ["CITYHALL_VAR_DIR"] = tmp
    os.environ["CITYHALL_DEBUG"] = "0"
    os.environ["CITYHALL_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        os.environ.pop("DATABASE_URL", None)
        return "sqlite"
    import psycopg

    base = url.rpartition("/")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {bench_db}")
        conn.execute(f"CREATE DATABASE {bench_db}")
    os.environ["DATABASE_URL"] = f"{base}/{bench_db}"
    return "postgresql"


def drop_database(bench_db: str) -> None:
    import psycopg

    base = os.environ["DATABASE_URL"].rpartition("/")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {bench_db}")
