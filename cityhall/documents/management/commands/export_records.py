"""``manage.py export_records --fiscal-year YYYY [--section CODE] --output DIR`` (文書管理簿・原議の書き出し).

See ``cityhall.documents.export`` for what is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.core.errors import ApplicationError
from cityhall.documents.export import export_records


class Command(BaseCommand):
    help = "年度の決裁済み文書を署名済みPDF・添付ファイル・文書管理簿CSVとして書き出します（移管・監査用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fiscal-year", type=int, required=True, help="年度（例 2026）")
        parser.add_argument("--section", default=None, help="課コード（省略時は全課）")
        parser.add_argument("--output", type=Path, required=True, help="書き出し先のディレクトリ")

    def handle(self, *args: Any, fiscal_year: int, section: str | None, output: Path, **options: Any) -> None:
        try:
            result = export_records(
                actor="manage.py export_records", fiscal_year=fiscal_year, output=output, section_code=section
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.records} 件の文書と {result.files} 個のファイルを {result.output} に書き出しました"
                f"（今回署名 {len(result.signed_now)} 件）。"
            )
        )
        if result.mismatched:
            self.stderr.write(f"SHA-256 が登録値と一致しない文書があります: {result.mismatched}")
