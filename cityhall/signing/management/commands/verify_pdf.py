"""``manage.py verify_pdf FILE``: report whether a signed PDF is intact and who signed it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.signing.verify import verify_pdf


class Command(BaseCommand):
    help = "署名付き PDF を検証します。改変がなければ終了コード 0、それ以外は 1 です。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="検証する PDF ファイル")
        parser.add_argument(
            "--require-trusted",
            action="store_true",
            help="署名者の証明書が信頼済みでない場合も失敗（終了コード 1）にする",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path} を読み込めません: {exc.strerror}", returncode=2) from exc
        report = verify_pdf(data)
        for line in report.lines():
            self.stdout.write(line)
        if not report.intact or (options["require_trusted"] and not report.trusted):
            raise CommandError("検証に失敗しました。", returncode=1)
