"""Budget execution status (予算執行状況): the report by line and by section, and a line's drill-down.

The figures are those of the report screens (``selectors.reports``), over the sections the caller
sees (``selectors.visible_sections``): all for 会計・会計管理者 and 市長・副市長, the 課 of their 部
for a 部長, their own 課 for other officials.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from cityhall.accounts.requests import user_of
from cityhall.core.http import MAX_PAGE_SIZE, FiscalYear, Id, Page, PageSize
from cityhall.core.japanese import fiscal_year
from cityhall.finance import excel
from cityhall.finance.api import _common as c
from cityhall.finance.api.schemas.reports import LineDocumentsOut, LineReportOut, SectionReportOut
from cityhall.finance.selectors import reports

router = Router(tags=["予算執行状況"])


class ReportQuery(Schema):
    """Year (this year by default), account and section of a report."""

    fiscal_year: FiscalYear | None = None
    account_id: Id | None = None
    section_id: Id | None = None


class LineReportQuery(ReportQuery):
    """Filters of the report by line: the headings 款・項・目・節 and paging."""

    kan_id: Id | None = None
    kou_id: Id | None = None
    moku_id: Id | None = None
    setsu_id: Id | None = None
    page: Page = 1
    page_size: PageSize = reports.DEFAULT_PAGE_SIZE


def _year(given: int | None) -> int:
    return given if given is not None else fiscal_year(timezone.localdate())


@router.get("/reports/lines", response={200: LineReportOut, **c.ERRORS}, summary="予算執行状況（科目別）")
def report_by_line(request: HttpRequest, filters: Query[LineReportQuery]) -> reports.LineReport:
    """Budget, allotted, encumbered, ordered, paid and remaining per line, one page, with the total."""
    return reports.execution_by_line(
        user_of(request),
        fiscal_year=_year(filters.fiscal_year),
        account=filters.account_id,
        section=filters.section_id,
        kan=filters.kan_id,
        kou=filters.kou_id,
        moku=filters.moku_id,
        setsu=filters.setsu_id,
        page=filters.page,
        page_size=min(max(filters.page_size, 1), MAX_PAGE_SIZE),
    )


@router.get("/reports/sections", response={200: SectionReportOut, **c.ERRORS}, summary="予算執行状況（課別）")
def report_by_section(request: HttpRequest, filters: Query[ReportQuery]) -> reports.SectionReport:
    """The figures per section with an allotment in the year, and the total."""
    return reports.execution_by_section(
        user_of(request), fiscal_year=_year(filters.fiscal_year), account=filters.account_id, section=filters.section_id
    )


@router.get("/reports/lines/{int:line_id}", response={200: LineDocumentsOut, **c.ERRORS}, summary="予算執行状況の内訳")
def report_line_documents(request: HttpRequest, line_id: Id, section_id: Id | None = None) -> reports.LineDocuments:
    """A line's figures and the encumbrances and orders behind them (drill-down), newest first."""
    return reports.line_documents(user_of(request), line_id, section=section_id)


XLSX = {
    "responses": {
        200: {
            "description": "予算執行状況の Excel ファイル（科目別・課別）",
            "content": {excel.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/reports/export.xlsx", response=c.ERRORS, summary="予算執行状況の Excel 出力", openapi_extra=XLSX)
def report_export(request: HttpRequest, filters: Query[ReportQuery]) -> HttpResponse:
    """Every line (科目別) and every section (課別) the caller may see, as the screen's Excel file."""
    lines, sections = reports.execution_report(
        user_of(request), fiscal_year=_year(filters.fiscal_year), account=filters.account_id, section=filters.section_id
    )
    response = HttpResponse(excel.execution_workbook(lines, sections), content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = excel.content_disposition(excel.file_name(lines.fiscal_year))
    return response
