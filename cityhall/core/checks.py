"""Start-up checks: configuration that is wrong should fail loudly and by name."""

from __future__ import annotations

import ipaddress
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


LOOPBACK_ONLY = {ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")}


@register(Tags.security, deploy=True)
def office_networks_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """In production the office networks are set: the loopback default would make nobody "office"
    directly and, behind an untrusted proxy on the same host, everybody (``check --deploy``)."""
    if settings.DEBUG or set(settings.OFFICE_NETWORKS) - LOOPBACK_ONLY:
        return []
    return [
        Error(
            "OFFICE_NETWORKS が既定値（127.0.0.0/8, ::1/128）のままです。",
            hint="庁内ネットワークのアドレス範囲を OFFICE_NETWORKS に設定してください（docs/operations.md）。",
            id="cityhall.E002",
        )
    ]
