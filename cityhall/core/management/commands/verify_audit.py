"""``manage.py verify_audit``: check the audit hash chain (監査ログの検証).

Exits 0 and prints the number of entries when the chain is intact; otherwise
exits non-zero naming the first broken entry (seq, id and reason).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.core.audit.verify import verify_chain


class Command(BaseCommand):
    help = "監査ログのハッシュ連鎖を先頭から検証します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help="検証するデータベースの別名")
        parser.add_argument("--chunk-size", type=int, default=5000, help="一度に読み込む件数")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(using=options["database"], chunk_size=options["chunk_size"])
        if result.broken is not None:
            raise CommandError(
                f"監査ログの連鎖が壊れています。最初の異常: {result.broken.message}"
                f" (正常に検証できたのは {result.checked:,} 件)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"監査ログの連鎖は正常です: {result.checked:,} 件 (最終通番 {result.last_seq})")
        )
