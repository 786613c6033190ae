"""Writes of the signing app: the long-term state of a signed PDF (長期署名の状態の記録)."""

from __future__ import annotations

from cityhall.signing.longterm import LongTermStatus
from cityhall.signing.models import LongTermSignature


def long_term_state_record(*, owner_type: str, owner_id: int, status: LongTermStatus, sha256: str) -> None:
    """Record a signed PDF's level and proof date (長期署名の状態); run inside the owner's transaction."""
    if not status.level:
        LongTermSignature.objects.filter(owner_type=owner_type, owner_id=owner_id).delete()
        return
    LongTermSignature.objects.update_or_create(
        owner_type=owner_type,
        owner_id=owner_id,
        defaults={"level": status.level, "proof_until": status.proof_until, "sha256": sha256},
    )


def long_term_state_forget(*, owner_type: str, owner_id: int) -> None:
    """Forget a signed PDF that is no longer kept (廃棄・移管): nothing will renew it."""
    LongTermSignature.objects.filter(owner_type=owner_type, owner_id=owner_id).delete()
