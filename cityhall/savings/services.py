"""Writing the ledger (削減時間の記録): inside the caller's transaction, with the caller's work."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils import timezone

from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed
from cityhall.org.models import OrgUnit
from cityhall.savings.models import SavedTime


def saved_time_record(
    *, actor: Any, section: OrgUnit, kind: str, count: int, minutes: int, obj: Model
) -> SavedTime | None:
    """Record ``count`` pieces of ``kind`` made for ``section`` by ``obj``'s work; nothing for a count of 0.

    Runs in the caller's transaction (the import or batch that did the work), so the figure exists
    exactly when the work does.
    """
    if count < 0 or minutes < 0:
        raise ValidationFailed("削減時間の件数と分は0以上です。", field="count")
    if count == 0:
        return None
    row = SavedTime.objects.create(
        section=section,
        occurred_at=timezone.now(),
        kind=kind,
        count=count,
        minutes=minutes,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        created_by=actor,
    )
    record(
        actor=actor,
        action="savings.record",
        obj=row,
        after={
            "section": section.pk,
            "kind": kind,
            "count": count,
            "minutes": minutes,
            "for": f"{row.object_type}:{row.object_id}",
        },
    )
    return row
