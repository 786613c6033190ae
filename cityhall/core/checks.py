"""Start-up checks: configuration that is wrong should fail loudly and by name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError, connections


@register(Tags.database)
def database_reachable(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The configured database answers (run by ``migrate`` and ``check --database default``)."""
    errors: list[CheckMessage] = []
    for alias in databases or []:
        try:
            connections[alias].ensure_connection()
        except DatabaseError as exc:
            source = "DATABASE_URL" if settings.DATABASE_URL else "既定の SQLite (var/cityhall.sqlite3)"
            errors.append(Error(f"{source} のデータベースに接続できません: {exc}".strip(), id="cityhall.E001"))
    return errors
