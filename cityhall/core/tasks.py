"""Background tasks of core (非同期処理): verifying the audit chain and anchoring its head."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from cityhall.core.audit.anchor import latest_anchor_path
from cityhall.core.audit.runs import anchor_head, run_verification


@task()
def verify_audit_chain(requested_by_id: int | None = None) -> bool:
    """Verify the chain against the newest anchor, recorded as asked by the user (監査ログの検証)."""
    actor = get_user_model().objects.filter(pk=requested_by_id).first() if requested_by_id else None
    return run_verification(actor=actor or "verify_audit", anchor_path=latest_anchor_path()).ok


@task()
def anchor_audit_head() -> int:
    """Write the chain's head to the anchor directory (日次のアンカー); returns the anchored seq."""
    anchor, _path = anchor_head(actor="scheduler")
    return anchor.seq
