"""``manage.py import_receipts CSV [--zip ZIP] --user USERNAME [--dry-run]`` (オンライン申請の取込).

Takes the export of an online application service in as receipts of the user's section, as the
screen does (``documents.services.receipt_imports``; the layout is ``docs/receipts-import.md``):
all new applications or none, applications received already skipped. The user is the one the
receipts are registered by (and whose section receives them); the audit trail names them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.documents.services.receipt_imports import receipt_import


class Command(BaseCommand):
    help = "オンライン申請サービスの書き出し（申請データCSVと添付ファイルZIP）を、課の収受文書として取り込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path, help="申請データのCSV（UTF-8 または Shift_JIS）")
        parser.add_argument("--zip", type=Path, default=None, help="添付ファイルのZIP")
        parser.add_argument("--user", required=True, help="収受する職員のユーザー名（その職員の課に収受します）")
        parser.add_argument("--dry-run", action="store_true", help="確認だけして取り込まない")

    def handle(self, *args: Any, csv: Path, zip: Path | None, user: str, dry_run: bool, **options: Any) -> None:
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"職員「{user}」が見つかりません。")
        try:
            data = csv.read_bytes()
        except OSError as exc:
            raise CommandError(f"申請データ「{csv}」を読めません: {exc.strerror}") from exc
        try:
            handle = zip.open("rb") if zip is not None else None
        except OSError as exc:
            raise CommandError(f"添付ファイル「{zip}」を読めません: {exc.strerror}") from exc
        try:
            size = zip.stat().st_size if zip is not None else None
            report = receipt_import(actor=actor, csv_data=data, archive=handle, archive_size=size, dry_run=dry_run)
        except ApplicationError as exc:
            rows = exc.extra.get("rows")
            for reason in rows if isinstance(rows, list) else []:
                self.stderr.write(str(reason))
            raise CommandError(exc.message) from exc
        finally:
            if handle is not None:
                handle.close()
        for row in report.rows:
            if row.reasons:
                for reason in row.reasons:
                    self.stderr.write(reason)
            elif row.skipped:
                self.stdout.write(f"{row.number}行目 {row.application_number}: {row.skipped}")
            else:
                made = row.receipt_number or "（確認のみ）"
                self.stdout.write(f"{row.number}行目 {row.application_number}: {made} {row.title}")
        if report.reasons:
            raise CommandError(f"{len(report.reasons)}件の誤りがあります（確認のみ、取り込んでいません）。")
        verb = "収受できます（確認のみ、取り込んでいません）" if dry_run else "収受しました"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} 件の申請を{verb}。取込済みで飛ばした申請 {len(report.skipped)} 件。"
            )
        )
        if report.unused_files:
            self.stdout.write(f"どの行にも書かれていないZIPのファイル: {'、'.join(report.unused_files)}")
