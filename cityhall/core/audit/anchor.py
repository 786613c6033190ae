"""The chain's head kept outside the database (監査ログのアンカー).

``verify_chain`` cannot see entries removed from the *end* of the chain: what
is left is a shorter chain that is still intact. An anchor is the head (the
last entry's ``seq`` and ``entry_hash``) written to a small JSON file that
someone with access to the database cannot rewrite (another disk, a backup,
a printout). Checking against it, the chain must still hold an entry with
that number and that hash; if the entries from some number on are gone, the
check names them.

Files are written daily by ``cityhall.core.tasks.anchor_audit_head`` (run by
``manage.py scheduler``) and on demand by ``manage.py anchor_audit``, by
default into ``settings.AUDIT_ANCHOR_DIR`` as ``audit-anchor-<UTC time>.json``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.audit.verify import VerifyResult

FORMAT = "cityhall-audit-anchor/1"
PREFIX = "audit-anchor-"


class AnchorError(ValueError):
    """An anchor file that cannot be read (missing, not JSON, wrong fields)."""


@dataclass(frozen=True)
class Anchor:
    """The head of the chain at one moment: its sequence number and hash (アンカー)."""

    seq: int
    entry_hash: str
    written_at: str

    def as_json(self) -> str:
        """The file's text."""
        body = {"format": FORMAT, "seq": self.seq, "hash": self.entry_hash, "written_at": self.written_at}
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class AnchorCheck:
    """The result of comparing a verified chain with an anchor (None problem: the chain reaches the anchor)."""

    anchor: Anchor
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def current_head() -> Anchor:
    """The chain's head now (seq 0 for an empty chain)."""
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    seq, digest = head if head is not None else (0, "")
    return Anchor(seq=seq, entry_hash=digest, written_at=timezone.now().isoformat(timespec="seconds"))


def anchor_dir() -> Path:
    """Where anchors are written by default (``settings.AUDIT_ANCHOR_DIR``)."""
    return Path(settings.AUDIT_ANCHOR_DIR)


def write_anchor(path: Path | None = None) -> tuple[Anchor, Path]:
    """Write the current head to ``path`` (default: a new file in ``anchor_dir()``); atomic rename."""
    anchor = current_head()
    if path is None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
        path = anchor_dir() / f"{PREFIX}{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(anchor.as_json(), encoding="utf-8")
    os.replace(partial, path)
    return anchor, path


def read_anchor(path: Path) -> Anchor:
    """Read an anchor file; ``AnchorError`` with a Japanese message when it is unusable."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnchorError(f"アンカーファイル {path} を読めません: {exc.strerror}") from exc
    except ValueError as exc:
        raise AnchorError(f"アンカーファイル {path} は JSON ではありません。") from exc
    if not isinstance(data, dict):
        data = {}
    seq, digest = data.get("seq"), data.get("hash")
    if data.get("format") != FORMAT or type(seq) is not int or seq < 0 or not isinstance(digest, str):
        raise AnchorError(f"アンカーファイル {path} の形式が正しくありません（format, seq, hash）。")
    return Anchor(seq=seq, entry_hash=digest, written_at=str(data.get("written_at", "")))


def latest_anchor_path() -> Path | None:
    """The newest anchor file in ``anchor_dir()``, if any (names sort by time)."""
    files = sorted(anchor_dir().glob(f"{PREFIX}*.json"))
    return files[-1] if files else None


def check_anchor(result: VerifyResult, anchor: Anchor) -> AnchorCheck:
    """Whether an intact chain still reaches the anchored head with the same hash."""
    if anchor.seq == 0:
        return AnchorCheck(anchor, None)
    if result.last_seq < anchor.seq:
        first_missing = result.last_seq + 1
        return AnchorCheck(
            anchor,
            f"通番 {first_missing} から {anchor.seq} がありません"
            f"（アンカー {anchor.written_at} の時点の末尾 通番 {anchor.seq} まで届いていません。"
            f"末尾の {anchor.seq - result.last_seq:,} 件が削除されています）",
        )
    stored = AuditEntry.objects.filter(seq=anchor.seq).values_list("entry_hash", flat=True).first()
    if stored != anchor.entry_hash:
        return AnchorCheck(anchor, f"通番 {anchor.seq} のハッシュがアンカーと一致しません（連鎖が作り直されています）")
    return AnchorCheck(anchor, None)
