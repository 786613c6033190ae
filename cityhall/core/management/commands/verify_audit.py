"""``manage.py verify_audit``: check the audit hash chain (監査ログの検証).

Exits 0 and prints the number of entries when the chain is intact; otherwise
exits non-zero naming the first broken entry (seq, id and reason). With
``--anchor FILE`` (written by ``anchor_audit``) it also checks that the chain
still reaches the anchored head, so entries cut from the end are named too.
With ``--record`` the outcome is appended to the chain (``core.audit.verify``),
where the audit room shows it; by default the command only reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.core.audit.anchor import AnchorError
from cityhall.core.audit.runs import run_verification, verify


class Command(BaseCommand):
    help = "監査ログのハッシュ連鎖を先頭から検証します（--anchor で末尾の削除も検出）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help="検証するデータベースの別名")
        parser.add_argument("--anchor", type=Path, default=None, help="anchor_audit が書き出したアンカーファイル")
        parser.add_argument("--record", action="store_true", help="検証結果を監査ログに記録する（監査室に表示）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["record"] and options["database"] == "default":
                outcome = run_verification(actor="verify_audit", anchor_path=options["anchor"])
            else:
                outcome = verify(anchor_path=options["anchor"], using=options["database"])
        except AnchorError as exc:
            raise CommandError(str(exc)) from exc
        result = outcome.result
        if result.broken is not None:
            raise CommandError(
                f"監査ログの連鎖が壊れています。最初の異常: {result.broken.message}"
                f" (正常に検証できたのは {result.checked:,} 件)"
            )
        if outcome.anchor is not None and outcome.anchor.problem is not None:
            raise CommandError(f"監査ログがアンカーと一致しません: {outcome.anchor.problem}")
        self.stdout.write(self.style.SUCCESS(f"監査ログの連鎖は{outcome.message}"))
