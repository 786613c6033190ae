"""``manage.py check_pdfa FILE…``: list the PDF/A-2b clauses a PDF breaks (a structural check, not veraPDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.signing.pdfa import pdfa_problems


class Command(BaseCommand):
    help = "PDF が PDF/A-2b の主な要件を満たすかを確認します（構造の確認であり、veraPDF の代わりではありません）。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="確認する PDF ファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for path in options["files"]:
            try:
                problems = pdfa_problems(path.read_bytes())
            except OSError as exc:
                raise CommandError(f"{path} を読み込めません: {exc.strerror}", returncode=2) from exc
            verdict = "問題があります" if problems else "PDF/A-2b の確認項目をすべて満たします"
            self.stdout.write(f"{path}: {verdict}")
            for problem in problems:
                self.stdout.write(f"  {problem}")
            failed += bool(problems)
        if failed:
            raise CommandError(f"{failed} 件のファイルに問題があります。", returncode=1)
