"""The 繰越計算書 as an Excel workbook (one sheet per statement) and as an A4 landscape PDF.

The renderers are plain: they take ``CarryStatement`` rows from ``selectors.carry_statements``.
Every text cell of the workbook goes through ``core.exports.excel_cell`` (never a formula); the PDF
embeds the Japanese font of the approval sheet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from urllib.parse import quote

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cityhall.core.exports import excel_cell
from cityhall.core.japanese import fiscal_year_label, format_yen
from cityhall.finance.selectors.carry_statements import CarryStatement
from cityhall.signing import fonts

YEN_FORMAT = '#,##0"円"'


def _headers(statement: CarryStatement) -> tuple[str, ...]:
    note = (statement.note_column,) if statement.note_column else ()
    return ("款", "項", "事業名", *statement.columns, *note)


def _sheet(book: Workbook, statement: CarryStatement, heading: str, first: bool) -> None:
    sheet = book.active if first else book.create_sheet()
    sheet.title = statement.title
    excel_cell(sheet, 1, 1, f"{heading} {statement.title}").font = Font(bold=True, size=14)
    excel_cell(sheet, 2, 1, f"{statement.article}による。財源内訳は財政課で記入する。")
    for column, name in enumerate(_headers(statement), start=1):
        cell = excel_cell(sheet, 3, column, name)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="E8F1FE")
    row = 3
    for row, item in enumerate(statement.rows, start=4):
        for column, text in enumerate((item.kan, item.kou, item.project), start=1):
            excel_cell(sheet, row, column, text)
        for column, value in enumerate(item.figures, start=4):
            sheet.cell(row, column, value).number_format = YEN_FORMAT
        if statement.note_column:
            excel_cell(sheet, row, 4 + len(item.figures), item.note)
    total = row + 1
    excel_cell(sheet, total, 1, "合計").font = Font(bold=True)
    for column, value in enumerate(statement.totals, start=4):
        sheet.cell(total, column, value).number_format = YEN_FORMAT
    widths = (22, 22, 32, *(16 for _ in statement.columns), 40)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"


def statements_workbook(heading: str, statements: Sequence[CarryStatement]) -> bytes:
    """The .xlsx of the 繰越計算書: a sheet per statement with its totals."""
    book = Workbook()
    for index, statement in enumerate(statements):
        _sheet(book, statement, heading, index == 0)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(pdf: FPDF, statement: CarryStatement) -> None:
    headers = _headers(statement)
    figures = len(statement.columns)
    note = 1 if statement.note_column else 0
    text_width = (pdf.epw - 30.0 * figures) / (3 + note)
    widths = [text_width] * 3 + [30.0] * figures + [text_width] * note
    pdf.set_font(fonts.GOTHIC, size=8)
    pdf.set_fill_color(232, 241, 254)
    for width, name in zip(widths, headers, strict=True):
        pdf.cell(width, 8, name, border=1, align="C", fill=True)
    pdf.ln()
    body = [
        (row.kan, row.kou, row.project, *(format_yen(v) for v in row.figures), *((row.note,) if note else ()))
        for row in statement.rows
    ]
    body.append(("合計", "", "", *(format_yen(v) for v in statement.totals), *(("",) if note else ())))
    for values in body:
        for index, (width, value) in enumerate(zip(widths, values, strict=True)):
            align = "R" if 3 <= index < 3 + figures else "L"
            pdf.cell(width, 7, pdf.normalize_text(str(value))[:40], border=1, align=align)
        pdf.ln()


def statements_pdf(heading: str, municipality: str, statements: Sequence[CarryStatement]) -> bytes:
    """The 繰越計算書 as one A4 landscape PDF, a page per statement."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font(fonts.GOTHIC, fname=str(fonts.font_path(fonts.GOTHIC)))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_lang("ja")
    pdf.set_title(f"{heading} 繰越計算書")
    pdf.set_author(municipality)
    pdf.set_creator("cityhall")
    pdf.set_creation_date(timezone.now())
    for statement in statements:
        pdf.add_page()
        pdf.set_font(fonts.GOTHIC, size=16)
        pdf.cell(0, 10, f"{heading} {statement.title}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(fonts.GOTHIC, size=9)
        pdf.cell(0, 6, f"{municipality}（{statement.article}）", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        _table(pdf, statement)
    return bytes(pdf.output())


def heading_of(account_name: str, fiscal_year: int) -> str:
    """「令和8年度 一般会計」."""
    return f"{fiscal_year_label(fiscal_year)} {account_name}"


def disposition(fiscal_year: int, extension: str) -> str:
    """「繰越計算書_令和8年度.xlsx」 as an attachment, with an ASCII fallback (RFC 6266)."""
    name = f"繰越計算書_{fiscal_year_label(fiscal_year)}.{extension}"
    return f"attachment; filename=\"carry-statements-{fiscal_year}.{extension}\"; filename*=UTF-8''{quote(name)}"
