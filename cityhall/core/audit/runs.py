"""Running the verification and writing anchors, each recorded in the chain (検証とアンカーの記録).

``run_verification`` checks the chain (and, when given, against an anchor) and
appends the outcome as an entry ``core.audit.verify``, so the audit room shows
the last result and its time, and who asked for it. ``anchor_head`` writes
the head to a file and appends ``core.audit.anchor`` naming the file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from cityhall.core.audit.anchor import Anchor, AnchorCheck, check_anchor, read_anchor, write_anchor
from cityhall.core.audit.chain import record
from cityhall.core.audit.models import AuditEntry
from cityhall.core.audit.verify import VerifyResult, verify_chain

VERIFY_ACTION = "core.audit.verify"
ANCHOR_ACTION = "core.audit.anchor"


@dataclass(frozen=True)
class Verification:
    """A chain verification with its optional anchor check."""

    result: VerifyResult
    anchor: AnchorCheck | None

    @property
    def ok(self) -> bool:
        return self.result.ok and (self.anchor is None or self.anchor.ok)

    @property
    def message(self) -> str:
        """One Japanese sentence: intact, or the first problem found."""
        if self.result.broken is not None:
            return f"連鎖が壊れています: {self.result.broken.message}"
        if self.anchor is not None and self.anchor.problem is not None:
            return f"アンカーと一致しません: {self.anchor.problem}"
        reached = f"（アンカー 通番 {self.anchor.anchor.seq} まで確認）" if self.anchor is not None else ""
        return f"正常です: {self.result.checked:,} 件 (最終通番 {self.result.last_seq}){reached}"


@dataclass(frozen=True)
class LastVerification:
    """The last recorded verification as the audit room shows it."""

    at: dt.datetime
    actor_label: str
    ok: bool
    message: str


def verify(*, anchor_path: Path | None = None, using: str = "default") -> Verification:
    """Verify the chain, and against the anchor file when one is given (raises ``AnchorError``)."""
    anchor = read_anchor(anchor_path) if anchor_path is not None else None
    result = verify_chain(using=using)
    return Verification(result, check_anchor(result, anchor) if anchor is not None and result.ok else None)


def run_verification(*, actor: Any, anchor_path: Path | None = None) -> Verification:
    """Verify the chain and record the outcome as an audit entry (監査ログの検証の記録)."""
    outcome = verify(anchor_path=anchor_path)
    with transaction.atomic(durable=True):
        record(
            actor=actor,
            action=VERIFY_ACTION,
            object_type="core.auditentry",
            object_repr="監査ログの連鎖",
            after={
                "ok": outcome.ok,
                "checked": outcome.result.checked,
                "last_seq": outcome.result.last_seq,
                "message": outcome.message,
                "anchor": str(anchor_path) if anchor_path is not None else "",
            },
        )
    return outcome


def anchor_head(*, actor: Any, path: Path | None = None) -> tuple[Anchor, Path]:
    """Write the chain's head to a file and record that it was written (アンカーの書き出し)."""
    with transaction.atomic(durable=True):
        # Inside the transaction: on SQLite it holds the write lock, so the head cannot move meanwhile.
        anchor, written = write_anchor(path)
        record(
            actor=actor,
            action=ANCHOR_ACTION,
            object_type="core.auditentry",
            object_repr="監査ログの連鎖",
            after={"seq": anchor.seq, "hash": anchor.entry_hash, "file": str(written)},
        )
    return anchor, written


def last_verification() -> LastVerification | None:
    """The most recent recorded verification, if any."""
    entry = AuditEntry.objects.filter(action=VERIFY_ACTION).order_by("-seq").first()
    if entry is None:
        return None
    after = json.loads(entry.after or "{}")
    return LastVerification(
        at=entry.created_at, actor_label=entry.actor_label, ok=bool(after.get("ok")), message=after.get("message", "")
    )
