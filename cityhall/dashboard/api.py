"""REST API of the DX dashboard (DXダッシュボード API), mounted at /api/dashboard: the page's figures as
JSON and Excel, and the documents behind a figure. 幹部 only; anyone else gets 404."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ValidationFailed
from cityhall.core.http import ERRORS, FiscalYear, Id, Page, PageSize
from cityhall.core.japanese import fiscal_year
from cityhall.dashboard import exports
from cityhall.dashboard.access import require_view
from cityhall.dashboard.selectors import Dashboard, DrillDown, Durations, Filters, dashboard, documents_behind

router = Router(auth=django_auth, tags=["DXダッシュボード"])


class FilterQuery(Schema):
    """年度 (this one by default), a month of it (1–12) and a 課."""

    fiscal_year: FiscalYear | None = None
    month: int | None = Field(None, ge=1, le=12, description="月（1〜12）。省略時は通年")
    section_id: Id | None = None

    def filters(self) -> Filters:
        from django.utils import timezone

        year = self.fiscal_year or fiscal_year(timezone.localdate())
        month = dt.date(year + (self.month < 4), self.month, 1) if self.month else None
        return Filters(fiscal_year=year, month=month, section_id=self.section_id)


class DrillQuery(FilterQuery):
    """What a figure counts: decided documents by medium or kind, or 後閲 outstanding; and paging."""

    medium: Literal["electronic", "paper"] | None = None
    matter_kind_id: Id | None = None
    post_review: bool = False
    page: Page = 1
    page_size: PageSize = 50


class DurationsOut(Schema):
    documents: int
    median_hours: int | None
    p90_hours: int | None


class MonthOut(Schema):
    month: dt.date
    electronic: int
    paper: int
    electronic_share: float | None
    sheets_not_printed: int
    attachment_pages_not_printed: int
    hours_saved: float
    telework_days: float | None = Field(None, description="テレワーク実施日数（提供されていなければ null）")


class SectionOut(Schema):
    section_id: int
    name: str
    electronic: int
    paper: int
    electronic_share: float | None
    durations: DurationsOut
    telework_ready_tasks: float | None = Field(None, description="テレワーク可能な業務（件）")
    telework_days: float | None = Field(None, description="テレワーク実施日数")


class KindOut(Schema):
    matter_kind_id: int
    name: str
    durations: DurationsOut


class ProvidedOut(Schema):
    name: str
    provided: bool
    value: float | None
    unit: str
    url: str


class FiguresOut(Schema):
    """Every figure of the page (counts city-wide; times in hours, each the upper bound of its bucket)."""

    fiscal_year: int
    month: dt.date | None
    section_id: int | None
    electronic: int
    paper: int
    electronic_share: float | None
    durations: DurationsOut
    post_reviews_outstanding: int
    pages_not_printed: int
    hours_saved: float
    months: list[MonthOut]
    sections: list[SectionOut]
    matter_kinds: list[KindOut]
    provided: list[ProvidedOut]


class DocumentOut(Schema):
    id: int
    number_label: str
    title: str
    section: str
    matter_kind: str
    medium: str
    decided_at: dt.datetime | None


class DocumentPageOut(Schema):
    count: int
    page: int
    num_pages: int
    items: list[DocumentOut]


def _durations(d: Durations) -> dict[str, Any]:
    return {"documents": d.documents, "median_hours": d.median_hours, "p90_hours": d.p90_hours}


def figures_json(board: Dashboard) -> dict[str, Any]:
    """The dashboard as the API's JSON."""
    f = board.filters
    return {
        "fiscal_year": f.fiscal_year,
        "month": f.month,
        "section_id": f.section_id,
        "electronic": board.total.electronic,
        "paper": board.total.paper,
        "electronic_share": board.total.share,
        "durations": _durations(board.overall),
        "post_reviews_outstanding": board.post_reviews,
        "pages_not_printed": board.pages_avoided,
        "hours_saved": board.hours_saved,
        "months": [
            {
                "month": m.month,
                "electronic": m.split.electronic,
                "paper": m.split.paper,
                "electronic_share": m.split.share,
                "sheets_not_printed": m.sheets,
                "attachment_pages_not_printed": m.attachment_pages,
                "hours_saved": m.hours_saved,
                "telework_days": m.telework_days,
            }
            for m in board.months
        ],
        "sections": [
            {
                "section_id": s.section_id,
                "name": s.name,
                "electronic": s.split.electronic,
                "paper": s.split.paper,
                "electronic_share": s.split.share,
                "durations": _durations(s.durations),
                "telework_ready_tasks": s.telework_ready,
                "telework_days": s.telework_days,
            }
            for s in board.sections
        ],
        "matter_kinds": [
            {"matter_kind_id": k.matter_kind_id, "name": k.name, "durations": _durations(k.durations)}
            for k in board.kinds
        ],
        "provided": [
            {
                "name": name,
                "provided": figure is not None,
                "value": figure.value if figure else None,
                "unit": figure.unit if figure else "",
                "url": figure.url if figure else "",
            }
            for name, figure in board.telework.items()
        ],
    }


@router.get("/figures", response={200: FiguresOut, **ERRORS}, summary="DXダッシュボードの数値")
def figures(request: HttpRequest, query: Query[FilterQuery]) -> dict[str, Any]:
    """Every figure of the dashboard for the filters (幹部 only)."""
    return figures_json(dashboard(user_of(request), query.filters()))


@router.get("/documents", response={200: DocumentPageOut, **ERRORS}, summary="数値の元になった文書")
def documents(request: HttpRequest, query: Query[DrillQuery]) -> dict[str, Any]:
    """The documents behind a figure that the caller may see, newest decision first."""
    drill = DrillDown(medium=query.medium, matter_kind_id=query.matter_kind_id, post_review=query.post_review)
    rows = documents_behind(user_of(request), query.filters(), drill)
    paginator = Paginator(rows, query.page_size)
    if query.page > paginator.num_pages:
        raise ValidationFailed("ページ番号が範囲外です。", field="page")
    page = paginator.page(query.page)
    items = [
        {
            "id": d.pk,
            "number_label": d.number_label,
            "title": d.title,
            "section": d.section.name,
            "matter_kind": d.matter_kind.name,
            "medium": d.medium,
            "decided_at": d.decided_at,
        }
        for d in page
    ]
    return {"count": paginator.count, "page": page.number, "num_pages": paginator.num_pages, "items": items}


XLSX = {
    "responses": {
        200: {
            "description": "DXダッシュボードの Excel ファイル（月別・課別・事案の種類別・合計）",
            "content": {exports.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/export.xlsx", response=ERRORS, summary="DXダッシュボードの Excel 出力", openapi_extra=XLSX)
def export(request: HttpRequest, query: Query[FilterQuery]) -> HttpResponse:
    """The dashboard's figures as the screen's Excel book."""
    user = user_of(request)
    require_view(user)
    response = HttpResponse(exports.to_xlsx(dashboard(user, query.filters())), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="dx-dashboard.xlsx"'
    return response
