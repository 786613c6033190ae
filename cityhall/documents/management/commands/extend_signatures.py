"""``manage.py extend_signatures``: add or renew archive timestamps of kept records now (長期署名の延長)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.documents.longterm import records_due, renew_margin, signatures_extend


class Command(BaseCommand):
    help = (
        "保存中の文書の署名済みPDFに、アーカイブタイムスタンプを付与・更新します（B-LTA 未満、"
        "または最後のタイムスタンプの証明書が期限の前 N 日以内のもの）。何度実行しても同じ結果です。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--margin-days", type=int, default=None, help="期限の何日前から更新するか（既定: 設定値）")
        parser.add_argument("--limit", type=int, default=None, help="この件数で止める")
        parser.add_argument("--dry-run", action="store_true", help="対象の件数だけを表示する")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["margin_days"]
        if days is not None and days < 0:
            raise CommandError("--margin-days は 0 以上で指定してください。")
        margin = renew_margin() if days is None else dt.timedelta(days=days)
        if options["dry_run"]:
            self.stdout.write(f"対象の文書: {records_due(margin=margin).count()} 件")
            return
        result = signatures_extend(margin=margin, limit=options["limit"])
        failed = len(result.failed)
        self.stdout.write(f"延長しました: {result.extended} 件、延長不要: {result.current} 件、失敗: {failed} 件")
        for document_id, reason in result.failed:
            self.stderr.write(f"  文書 {document_id}: {reason}")
        if result.failed:
            raise CommandError("延長できなかった文書があります。タイムスタンプ局の設定と稼働を確認してください。")
