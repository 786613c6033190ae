"""Demo receipts from an online procedure (デモのオンライン申請): an export imported, one circulated and seen (閲).

Part of ``documents.demo``: the demo line's section takes in two applications of 犬の登録申請 exported
by the online application service (a CSV and a ZIP of their PDFs, the layout of
``docs/receipts-import.md``) through the same import as its screen, circulates the first to its
係長 and 課長, and both mark it seen, so its page and sheet show two red 「閲」 stamps.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.documents import services
from cityhall.documents.models import Receipt
from cityhall.documents.services.receipt_imports import receipt_import

APPLICATIONS = (
    ("DEMO-2026-000101", "犬の登録申請", "緑野 花子", "みどり野市中央一丁目1番1号", 3),
    ("DEMO-2026-000102", "犬の登録申請", "森川 一郎", "みどり野市東町二丁目3番4号", 1),
)


def _export(day: Callable[[int], dt.date], pdf: Callable[[str], bytes]) -> tuple[bytes, bytes]:
    """The service's export: the CSV (Shift_JIS, as Windows tools write it) and the ZIP of one PDF per application."""
    latest = timezone.localtime() - dt.timedelta(minutes=5)
    lines = ["申請番号,手続名,申請日時,申請者氏名,申請者住所,件名,添付ファイル名"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for number, procedure, name, address, ago in APPLICATIONS:
            applied = min(timezone.make_aware(dt.datetime.combine(day(ago), dt.time(9, 30))), latest)
            file_name = f"{number}/申請書.pdf"
            out.writestr(file_name, pdf(f"{procedure}\n申請番号 {number}\n申請者 {name}\n住所 {address}"))
            lines.append(f"{number},{procedure},{applied:%Y-%m-%d %H:%M},{name},{address},,{file_name}")
    return ("\r\n".join(lines) + "\r\n").encode("cp932"), archive.getvalue()


def online_applications(
    drafter: User, readers: list[User], day: Callable[[int], dt.date], pdf: Callable[[str], bytes]
) -> int:
    """Import the demo export as ``drafter``, circulate the first application to ``readers``, who mark it seen."""
    csv_data, archive = _export(day, pdf)
    report = receipt_import(actor=drafter, csv_data=csv_data, archive=io.BytesIO(archive), archive_size=len(archive))
    first = Receipt.objects.get(application_number=APPLICATIONS[0][0])
    services.receipt_circulate(actor=drafter, receipt=first, readers=readers)
    for reader in readers:
        services.receipt_mark_seen(actor=reader, receipt=first)
    return len(report.created)
