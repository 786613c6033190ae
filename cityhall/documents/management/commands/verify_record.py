"""``manage.py verify_record 緑総第12号``: verify a kept record's signed sheet by its 文書番号 (or id).

``verify_pdf FILE`` needs a path, which an operator does not have when the files are in S3 or only
knows the record's number. This command finds the record (``--fiscal-year`` when the number recurs
in several years), reads its signed PDF through the storage API and prints the same report: the
level (PAdES B-LTA …), the timestamp chain and the date up to which the record proves its integrity.
Exit code 0 when intact, 1 when not (or not trusted with ``--require-trusted``), 2 when there is no
such record or it has no signed sheet. It prints signatures only, never the record's content.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q, QuerySet

from cityhall.documents.models import Disposition, Document
from cityhall.signing.verify import verify_pdf


def _find(key: str, fiscal_year: int | None) -> Document:
    rows: QuerySet[Document] = Document.objects.filter(Q(number_label=key) | Q(old_number=key))
    if key.isdigit():
        rows = Document.objects.filter(pk=int(key)) | rows
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    found = list(rows.order_by("-fiscal_year", "pk")[:10])
    if not found:
        raise CommandError(f"文書「{key}」が見つかりません。", returncode=2)
    if len(found) > 1:
        years = "、".join(f"{d.fiscal_year}年度（ID {d.pk}）" for d in found)
        raise CommandError(
            f"文書「{key}」は複数あります: {years}。--fiscal-year で年度を指定してください。", returncode=2
        )
    return found[0]


class Command(BaseCommand):
    help = "文書番号（またはID）で保存中の文書の署名済みPDFを検証します。改変がなければ終了コード 0 です。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("record", help="文書番号（例: 緑総第12号）または文書のID")
        parser.add_argument("--fiscal-year", type=int, default=None, help="文書番号が複数の年度にあるときの年度")
        parser.add_argument(
            "--require-trusted",
            action="store_true",
            help="署名者の証明書が信頼済みでない場合も失敗（終了コード 1）にする",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # As typed: 全角 digits (緑総第１２号) and spaces around are the same number.
        document = _find(unicodedata.normalize("NFKC", str(options["record"])).strip(), options["fiscal_year"])
        label = f"{document.number_label}（{document.fiscal_year}年度、ID {document.pk}）"
        if document.disposition == Disposition.DISPOSED:
            raise CommandError(f"{label} は廃棄済みのため、署名済みPDFはありません。", returncode=2)
        if not document.signed_pdf:
            raise CommandError(
                f"{label} には署名済みPDFがありません（紙の原議、決裁前、または署名の作成待ち）。", returncode=2
            )
        with document.signed_pdf.open("rb") as stored:
            data = stored.read()
        self.stdout.write(f"文書: {label}")
        report = verify_pdf(data)
        for line in report.lines():
            self.stdout.write(line)
        if not report.intact or (options["require_trusted"] and not report.trusted):
            raise CommandError("検証に失敗しました。", returncode=1)
