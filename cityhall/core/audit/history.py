"""One object's audit entries, readable (対象ごとの監査ログ): e.g. a document's tab on its page.

The caller has already checked that the viewer may see the object; this only
reads the entries recorded for it (changes, views, downloads), newest first,
with the Japanese names the apps declare (``labels``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cityhall.core.audit.labels import action_label
from cityhall.core.audit.models import AuditEntry

HISTORY_LIMIT = 200


@dataclass(frozen=True)
class HistoryRow:
    """One entry about the object: when, who, what, from where."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    is_office: bool


def object_history(object_type: str, object_id: str, *, limit: int = HISTORY_LIMIT) -> list[HistoryRow]:
    """The newest ``limit`` entries recorded for one object (uses the (object_type, object_id) index)."""
    entries = (
        AuditEntry.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("actor")
        .order_by("-seq")[:limit]
    )
    return [
        HistoryRow(
            seq=e.seq,
            at=e.created_at,
            actor=getattr(e.actor, "full_name", "") or e.actor_label if e.actor is not None else e.actor_label,
            action=action_label(e.action),
            is_office=e.is_office,
        )
        for e in entries
    ]
