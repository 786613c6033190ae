"""Excel export of the budget execution status (予算執行状況のExcel出力): sheets 科目別 and 課別."""

from __future__ import annotations

import io
from collections.abc import Sequence
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cityhall.core.exports import excel_cell
from cityhall.core.japanese import fiscal_year_label
from cityhall.finance.selectors.reports import Figures, LineReport, SectionReport
from cityhall.org.models import OrgUnit

YEN_FORMAT = '#,##0"円";[Red]-#,##0"円"'
RATE_FORMAT = "0.0%"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LINE_SHEET = "科目別"
SECTION_SHEET = "課別"
LINE_HEADERS = ("会計", "款", "項", "目", "節", "細節")
SECTION_HEADERS = ("課コード", "課")
# 戻入額 (令159条) comes last: it is already taken off 支出命令額 and 支出済額, shown for the audit trail.
LINE_FIGURES = ("予算現額", "配当額", "負担額", "支出命令額", "支出済額", "残額", "執行率", "戻入額")
# Limited to some sections, a line's 残額 is their 配当額 − 負担額 while 予算現額 stays the whole line's.
LIMITED_LINE_FIGURES = (
    "予算現額", "配当額", "負担額", "支出命令額", "支出済額", "残額（執行可能額）", "執行率", "戻入額",
)  # fmt: skip
SECTION_FIGURES = ("配当額", "負担額", "支出命令額", "支出済額", "残額（執行可能額）", "執行率", "戻入額")
TITLE_ROW, HEADER_ROW = 1, 3

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8F1FE")
_THIN = Side(style="thin", color="999999")


def _title(sheet: Worksheet, text: str, note: str) -> None:
    excel_cell(sheet, TITLE_ROW, 1, text).font = Font(bold=True, size=14)
    excel_cell(sheet, TITLE_ROW + 1, 1, note)


def _header(sheet: Worksheet, names: Sequence[str]) -> None:
    for column, name in enumerate(names, start=1):
        cell = excel_cell(sheet, HEADER_ROW, column, name)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = Border(bottom=_THIN)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)


def _figures(sheet: Worksheet, row: int, first: int, figures: Figures, *, with_budget: bool) -> None:
    """Write the amounts (yen format) and the rate (percent format) from column ``first``."""
    amounts = figures.as_tuple() if with_budget else figures.as_tuple()[1:]
    for offset, value in enumerate(amounts):
        sheet.cell(row, first + offset, value).number_format = YEN_FORMAT
    rate = figures.rate
    cell = sheet.cell(row, first + len(amounts), None if rate is None else float(rate) / 100)
    cell.number_format = RATE_FORMAT
    sheet.cell(row, first + len(amounts) + 1, figures.refunded).number_format = YEN_FORMAT


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _line_sheet(sheet: Worksheet, report: LineReport, scope: str) -> None:
    sheet.title = LINE_SHEET
    _title(sheet, f"{fiscal_year_label(report.fiscal_year)} 予算執行状況（科目別）", scope)
    _header(sheet, LINE_HEADERS + (LIMITED_LINE_FIGURES if report.limited else LINE_FIGURES))
    row = HEADER_ROW
    for row, line in enumerate(report.rows, start=HEADER_ROW + 1):
        texts = (line.account, line.kan, line.kou, line.moku, line.setsu, line.saisetsu)
        for column, text in enumerate(texts, start=1):
            excel_cell(sheet, row, column, text)
        _figures(sheet, row, len(LINE_HEADERS) + 1, line.figures, with_budget=True)
    total = row + 1
    sheet.cell(total, 1, "合計").font = _BOLD
    _figures(sheet, total, len(LINE_HEADERS) + 1, report.total, with_budget=True)
    _widths(sheet, (12, 18, 18, 18, 18, 14, *([16] * 6), 9, 14))


def _section_sheet(sheet: Worksheet, report: SectionReport, scope: str) -> None:
    sheet.title = SECTION_SHEET
    _title(sheet, f"{fiscal_year_label(report.fiscal_year)} 予算執行状況（課別）", scope)
    _header(sheet, SECTION_HEADERS + SECTION_FIGURES)
    row = HEADER_ROW
    for row, section in enumerate(report.rows, start=HEADER_ROW + 1):
        excel_cell(sheet, row, 1, section.code)
        excel_cell(sheet, row, 2, section.name)
        _figures(sheet, row, len(SECTION_HEADERS) + 1, section.figures, with_budget=False)
    total = row + 1
    sheet.cell(total, 1, "合計").font = _BOLD
    _figures(sheet, total, len(SECTION_HEADERS) + 1, report.total, with_budget=False)
    _widths(sheet, (10, 20, *([16] * 5), 9, 14))


def _sections_named(lines: LineReport, sections: SectionReport) -> str:
    """「課: 総務課」 when the figures are limited to sections (the chosen or own one, or a 部長's), else ""."""
    if lines.section_id is not None:
        names = list(OrgUnit.objects.filter(pk=lines.section_id).values_list("name", flat=True))
    elif lines.limited:
        names = [row.name for row in sections.rows]
    else:
        return ""
    return f"課: {'・'.join(names)}" if names else ""


def execution_workbook(lines: LineReport, sections: SectionReport, *, scope: str = "") -> bytes:
    """The .xlsx file (予算執行状況): sheet 科目別 (every selected line) and sheet 課別, with totals.

    ``scope`` names the filters (e.g. the account); the line under the title adds the sections the
    figures are limited to (「課: 総務課」), since 残額 is then their 執行可能額.
    """
    scope = "・".join(part for part in (scope, _sections_named(lines, sections)) if part)
    book = Workbook()
    _line_sheet(book.active, lines, scope)
    _section_sheet(book.create_sheet(), sections, scope)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(fiscal_year: int) -> str:
    """The Japanese file name: 「予算執行状況_令和8年度.xlsx」."""
    return f"予算執行状況_{fiscal_year_label(fiscal_year)}.xlsx"


def content_disposition(name: str) -> str:
    """An attachment header with an ASCII fallback and the UTF-8 name (RFC 6266 ``filename*``)."""
    return f"attachment; filename=\"budget-execution.xlsx\"; filename*=UTF-8''{quote(name)}"
