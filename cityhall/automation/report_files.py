"""Reports of imports as Excel workbooks (取込結果のExcel): invoices and switch-over files, text never a formula."""

from __future__ import annotations

import io
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from cityhall.automation.models import ImportJob, SwitchoverImport
from cityhall.core.exports import excel_cell

HEADERS = ("ファイル", "請求書番号", "登録番号", "請求金額", "結果", "支出命令", "理由")


def report_workbook(job: ImportJob) -> bytes:
    """The .xlsx of a job's report; every text cell goes through ``excel_cell`` (formula-safe)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "取込結果"
    for column, name in enumerate(HEADERS, start=1):
        cell = excel_cell(sheet, 1, column, name)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="E8F1FE")
    for row, item in enumerate(job.report.get("invoices", []), start=2):
        reasons = "／".join(f"{r['field']}: {r['message']}" for r in item.get("reasons", []))
        texts = (item["file"], item["invoice_number"], item["registration_number"])
        for column, text in enumerate(texts, start=1):
            excel_cell(sheet, row, column, text)
        sheet.cell(row, 4, item.get("payable")).number_format = '#,##0"円"'
        excel_cell(sheet, row, 5, "受付" if item["accepted"] else "不受理")
        sheet.cell(row, 6, item.get("order"))
        excel_cell(sheet, row, 7, reasons)
    for letter, width in zip("ABCDEFG", (40, 18, 18, 14, 8, 10, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_disposition(job: ImportJob, extension: str) -> str:
    """「取込結果_12.xlsx」 as an attachment, with an ASCII fallback (RFC 6266)."""
    name = f"取込結果_{job.pk}.{extension}"
    return f"attachment; filename=\"import-report-{job.pk}.{extension}\"; filename*=UTF-8''{quote(name)}"


SWITCHOVER_HEADERS = ("行", "結果", "登録内容", "理由")


def switchover_workbook(run: SwitchoverImport) -> bytes:
    """The .xlsx of a switch-over import's report: the file's reasons, then one row per data row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "取込結果"
    for column, name in enumerate(SWITCHOVER_HEADERS, start=1):
        cell = excel_cell(sheet, 1, column, name)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="E8F1FE")
    line = 2
    for reason in run.report.get("reasons", []):
        excel_cell(sheet, line, 2, "不受理")
        excel_cell(sheet, line, 4, f"ファイル: {reason['message']}")
        line += 1
    for item in run.report.get("rows", []):
        sheet.cell(line, 1, item["row"])
        excel_cell(sheet, line, 2, "受付" if item["accepted"] else "不受理")
        excel_cell(sheet, line, 3, item.get("created", ""))
        excel_cell(sheet, line, 4, "／".join(r["message"] for r in item.get("reasons", [])))
        line += 1
    for letter, width in zip("ABCD", (8, 8, 30, 100), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def switchover_disposition(run: SwitchoverImport, extension: str) -> str:
    """「移行取込結果_12.xlsx」 as an attachment, with an ASCII fallback (RFC 6266)."""
    name = f"移行取込結果_{run.pk}.{extension}"
    return f"attachment; filename=\"switchover-report-{run.pk}.{extension}\"; filename*=UTF-8''{quote(name)}"
