"""Excel of the 支払調書 list (報酬、料金、契約金及び賞金の支払調書, 所得税法第225条第1項第3号) for a calendar year.

One row per payee and 源泉区分: payee code, name, address, kind, total paid and total withheld.
Every text cell goes through ``core.exports.excel_cell``: a name typed as 「=HYPERLINK(…)」 stays text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cityhall.core.exports import excel_cell
from cityhall.finance.selectors.withholding import CreditorTotal

YEN_FORMAT = '#,##0"円"'
HEADERS = ("債権者コード", "支払を受ける者の氏名", "住所", "区分", "支払金額", "源泉徴収税額", "件数")
SHEET = "支払調書"


def statements_workbook(year: int, rows: Sequence[CreditorTotal]) -> bytes:
    """The .xlsx of the year's 支払調書 list, with totals; text cells are never formulas."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    excel_cell(sheet, 1, 1, f"{year}年分 報酬、料金、契約金及び賞金の支払調書（一覧）").font = Font(bold=True, size=14)
    excel_cell(sheet, 2, 1, "所得税法第225条第1項第3号。支払金額は支払った日（支払データの支払日）で集計。")
    for column, name in enumerate(HEADERS, start=1):
        cell = excel_cell(sheet, 3, column, name)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="E8F1FE")
    row = 3
    for row, item in enumerate(rows, start=4):
        for column, text in enumerate((item.code, item.name, item.address, item.kind_label), start=1):
            excel_cell(sheet, row, column, text)
        for column, value in ((5, item.paid), (6, item.withheld)):
            sheet.cell(row, column, value).number_format = YEN_FORMAT
        sheet.cell(row, 7, item.count)
    total = row + 1
    excel_cell(sheet, total, 1, "合計").font = Font(bold=True)
    sheet.cell(total, 5, sum(item.paid for item in rows)).number_format = YEN_FORMAT
    sheet.cell(total, 6, sum(item.withheld for item in rows)).number_format = YEN_FORMAT
    sheet.cell(total, 7, sum(item.count for item in rows))
    for column, width in enumerate((12, 30, 36, 40, 14, 14, 8), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def statements_disposition(year: int) -> str:
    """「支払調書_2026年.xlsx」 as an attachment, with an ASCII fallback (RFC 6266)."""
    name = f"支払調書_{year}年.xlsx"
    return f"attachment; filename=\"withholding-statements-{year}.xlsx\"; filename*=UTF-8''{quote(name)}"
