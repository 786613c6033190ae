"""Test helpers for the audit trail: tampering as someone with direct database access would."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from cityhall.org import services as org_services
from cityhall.testing.city import SETUP, make_user

_guard = importlib.import_module("cityhall.core.migrations.0002_audit_append_only")


@contextmanager
def guard_disabled() -> Iterator[None]:
    """Switch off the append-only trigger, as someone with DDL rights could (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            else:
                cursor.execute(_guard.SQLITE_INSTALL[0])


def tamper(sql: str, params: list[Any]) -> None:
    """Run SQL on the audit table with the guard off (bypassing the triggers)."""
    with guard_disabled(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def make_auditor(username: str = "kansa", *, role: str = "auditor", **extra: Any) -> Any:
    """A member of staff holding the 監査 (or ``role``, e.g. ``it_admin``) role for the whole city."""
    user = make_user(username, last_name="監田", **extra)
    org_services.role_grant(actor=SETUP, user=user, role=role, valid_from=dt.date(2024, 4, 1))
    return user
