"""``manage.py import_invoices PATH... --user NAME [--supplier CODE] [--dry-run] [--report PATH]``.

Invoices to payment orders. Files or folders (every ``*.xml``, ``*.csv``, ``*.xlsx`` below a folder, in
name order); CSV and Excel files are read with the layout of the supplier ``--supplier``, or without it
with the layout of the supplier whose 登録番号 each file names in its first rows. The orders are drafted by the
given member of staff for their section, as on the screen; ``--dry-run`` writes nothing and its
report says what a real run would do. The report file is JSON:
``{"invoices": [{"file", "invoice_number", "registration_number", "payable", "accepted", "reasons", "order"}]}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.accounts.models import User
from cityhall.automation.models import ImportSource, SupplierMapping
from cityhall.automation.services.imports import InvoiceFile, import_invoices, summary
from cityhall.core.errors import ApplicationError

SUFFIXES = (".xml", ".csv", ".xlsx")


def _files(paths: list[str]) -> list[InvoiceFile]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"ファイルまたはフォルダが見つかりません: {raw}")
    return [InvoiceFile(str(p), p.read_bytes()) for p in found]


class Command(BaseCommand):
    help = "電子請求書（JP PINT）を取り込み、支出命令を起案します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="請求書ファイルまたはフォルダ")
        parser.add_argument("--user", required=True, help="起案する職員のユーザー名")
        parser.add_argument(
            "--supplier",
            help="CSV・Excel の取引先（債権者コード）：その読み取り形式で読みます（省略時はファイルの登録番号から）",
        )
        parser.add_argument("--dry-run", action="store_true", help="何も保存せず、結果だけを表示します")
        parser.add_argument("--report", help="結果を JSON で書き出すファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"職員が見つかりません: {options['user']}")
        files = _files(options["paths"])
        mapping = None
        if options["supplier"]:
            mapping = (
                SupplierMapping.objects.select_related("creditor").filter(creditor__code=options["supplier"]).first()
            )
            if mapping is None:
                raise CommandError(f"取引先 {options['supplier']} の読み取り形式が登録されていません。")
        try:
            report = import_invoices(
                actor=user, files=files, source=ImportSource.COMMAND, dry_run=options["dry_run"], mapping=mapping
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["report"]:
            text = json.dumps(report.as_json(), ensure_ascii=False, indent=2)
            Path(options["report"]).write_text(text, encoding="utf-8")
        for outcome in report.outcomes:
            if not outcome.accepted:
                reasons = "／".join(f"{r.field}: {r.message}" for r in outcome.reasons)
                self.stdout.write(f"× {outcome.file.name}: {reasons}")
        self.stdout.write(("［試行］" if report.dry_run else "") + summary(report))
