"""``manage.py anchor_audit``: write the audit chain's head to a file (監査ログのアンカー).

Keep the file where someone with access to the database cannot change it; later
``verify_audit --anchor FILE`` detects entries cut from the end of the chain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityhall.core.audit.runs import anchor_head


class Command(BaseCommand):
    help = "監査ログの末尾（通番とハッシュ）をアンカーファイルに書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="書き出すファイル（省略時は AUDIT_ANCHOR_DIR に日時付きで作成）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchor, path = anchor_head(actor="anchor_audit", path=options["output"])
        self.stdout.write(self.style.SUCCESS(f"アンカーを書き出しました: 通番 {anchor.seq} → {path}"))
