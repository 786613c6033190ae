"""The inspection report (検査調書) as an A4 PDF with the embedded Japanese font of the approval sheet.

法234条の2①: the city inspects (検査) what a contract delivers before it pays; 令167条の15 says how
(the 検査員 checks the work or goods against the contract and the documents). The 検査調書 records
that inspection. The renderer is plain: a caller gives :class:`InspectionReport` and gets bytes;
which orders need one and who may download it is ``finance.services.inspection``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from cityhall.core.japanese import format_date, format_yen
from cityhall.signing import fonts

_MARGIN = 20.0
_LABEL_WIDTH = 42.0
_ROW_HEIGHT = 9.0


@dataclass(frozen=True)
class InspectionReport:
    """What the 検査調書 states: the matter, its contract, payees, amount, date, inspector and result."""

    municipality: str
    number: str  # the payment order's document number (文書番号)
    title: str  # 件名
    section: str  # 担当課
    contract: str  # 契約（支出負担行為）: number and title, or 「支出負担行為兼支出命令」
    creditors: Sequence[str]
    amount: int
    inspected_on: dt.date
    inspector: str  # 「総務課 主事 起田 太郎」
    works: bool  # 工事 (節14) or 物品・役務 (給付)
    result: str = "合格"
    issued_on: dt.date | None = None


def file_name(report: InspectionReport) -> str:
    """The Japanese file name: 「検査調書_緑総第12号.pdf」."""
    return f"検査調書_{report.number}.pdf"


def pdf_response(name: str, content: bytes) -> HttpResponse:
    """The PDF as a download, with an ASCII fallback and the Japanese name (RFC 6266 ``filename*``)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=\"inspection-report.pdf\"; filename*=UTF-8''{quote(name)}"
    return response


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font(fonts.GOTHIC, size=10)
    x, y = pdf.get_x(), pdf.get_y()
    width = pdf.epw - _LABEL_WIDTH
    wrapped = cast(list[str], pdf.multi_cell(width, _ROW_HEIGHT, value, dry_run=True, output="LINES"))
    lines = max(1, len(wrapped))
    height = _ROW_HEIGHT * lines
    if pdf.will_page_break(height):
        pdf.add_page()
        x, y = pdf.get_x(), pdf.get_y()
    pdf.set_fill_color(238, 238, 238)
    pdf.rect(x, y, _LABEL_WIDTH, height, style="DF")
    pdf.set_xy(x + 2, y)
    pdf.cell(_LABEL_WIDTH - 2, _ROW_HEIGHT, label)
    pdf.set_xy(x + _LABEL_WIDTH, y)
    pdf.multi_cell(width, _ROW_HEIGHT, value, border=1, padding=(0, 2), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(x, y + height)


def render_inspection_report(report: InspectionReport) -> bytes:
    """Render ``report`` as the 検査調書 PDF and return its bytes."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(fonts.GOTHIC, fname=str(fonts.font_path(fonts.GOTHIC)))
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_lang("ja")
    pdf.set_title(f"検査調書 {report.number} {report.title}")
    pdf.set_subject("検査調書")
    pdf.set_author(report.municipality)
    pdf.set_creator("cityhall")
    pdf.set_creation_date(timezone.now())
    pdf.add_page()

    pdf.set_font(fonts.GOTHIC, size=10)
    issued = report.issued_on or report.inspected_on
    pdf.cell(0, 6, report.number, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 6, format_date(issued), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(fonts.GOTHIC, size=20)
    pdf.cell(0, 12, "検 査 調 書", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(fonts.GOTHIC, size=10)
    pdf.cell(0, 6, f"{report.municipality}長　様", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    what = "工事" if report.works else "給付（物品・役務）"
    pdf.multi_cell(
        0,
        6,
        f"下記の{what}について、地方自治法第234条の2第1項及び同法施行令第167条の15の規定により"
        "契約の内容に適合するか検査を行ったので、その結果を報告します。",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    pdf.cell(0, 7, "記", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    _row(pdf, "件名", report.title)
    _row(pdf, "担当課", report.section)
    _row(pdf, "契約（支出負担行為）", report.contract)
    _row(pdf, "債権者（契約の相手方）", "、".join(report.creditors) or "—")
    _row(pdf, "金額", format_yen(report.amount))
    _row(pdf, "検査の区分", "工事の完成検査" if report.works else "給付の完了の検査")
    _row(pdf, "検査（検収）日", format_date(report.inspected_on))
    _row(pdf, "検査員", report.inspector)
    _row(pdf, "検査結果", report.result)
    pdf.ln(8)
    pdf.cell(0, 7, f"検査員　{report.inspector}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
