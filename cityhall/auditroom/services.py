"""What the audit room writes (監査室の記録): that someone viewed or exported the trail, or asked for a verification.

Looking at the audit trail is itself audited: each page view, API read and
export appends an entry naming the filters and how many entries were shown.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.auditroom.access import require_entry
from cityhall.auditroom.selectors import AuditFilters
from cityhall.core.audit import record
from cityhall.core.tasks import verify_audit_chain

VIEW = "auditroom.view"
EXPORT = "auditroom.export"
VERIFY_REQUEST = "auditroom.verify_request"


def _conditions(filters: AuditFilters) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(filters).items() if v not in (None, "")}


def trail_viewed(*, actor: User, filters: AuditFilters, page: int, shown: int, via: str = "screen") -> None:
    """Record that the actor read a page of the trail (監査ログの閲覧)."""
    require_entry(actor)
    with transaction.atomic(durable=True):
        record(
            actor=actor,
            action=VIEW,
            object_type="core.auditentry",
            object_repr="監査ログ",
            after={"filters": _conditions(filters), "page": page, "shown": shown, "via": via},
        )


def trail_exported(*, actor: User, filters: AuditFilters, file_format: str, rows: int) -> None:
    """Record that the actor exported the filtered trail (監査ログの書き出し)."""
    require_entry(actor)
    with transaction.atomic(durable=True):
        record(
            actor=actor,
            action=EXPORT,
            object_type="core.auditentry",
            object_repr="監査ログ",
            after={"filters": _conditions(filters), "format": file_format, "rows": rows},
        )


def verification_requested(*, actor: User) -> None:
    """Ask the worker to verify the chain against the newest anchor (監査ログの検証の依頼)."""
    require_entry(actor)
    with transaction.atomic(durable=True):
        record(actor=actor, action=VERIFY_REQUEST, object_type="core.auditentry", object_repr="監査ログの連鎖")
        transaction.on_commit(lambda: verify_audit_chain.enqueue(actor.pk))
