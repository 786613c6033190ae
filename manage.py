#!/usr/bin/env python3
"""Django's command-line utility for cityhall."""

import os
import sys


def _database_unreachable() -> str | None:
    """Why the configured database cannot be reached, or None when it can."""
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        return str(exc).strip()
    return None


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError:
        # A broken DATABASE_URL surfaces wherever the database is first touched
        # (even inside Django's own checks); name the setting instead of a traceback.
        reason = _database_unreachable()
        if reason is None:
            raise
        source = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "既定の SQLite (var/cityhall.sqlite3)"
        sys.stderr.write(f"{source} のデータベースに接続できません: {reason}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
