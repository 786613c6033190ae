"""The dashboard's screens (DXダッシュボード): the figures, the lists behind them and the Excel book. Thin views."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.core.japanese import fiscal_year
from cityhall.core.numbers import page_number
from cityhall.dashboard import exports
from cityhall.dashboard.access import may_view
from cityhall.dashboard.forms import DrillForm, FilterForm
from cityhall.dashboard.selectors import Dashboard, dashboard, documents_behind, savings_behind
from cityhall.documents.models import Medium

PAGE_SIZE = 50


def _allowed(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise Http404(_("ページが見つかりません。"))


def chart_data(board: Dashboard) -> dict[str, Any]:
    """What the charts draw (embedded with ``json_script``): the same figures as the tables."""

    def days(hours: int | None) -> float | None:
        return None if hours is None else round(hours / 24, 2)

    return {
        "months": [m.label for m in board.months],
        "electronic": [m.split.electronic for m in board.months],
        "paper": [m.split.paper for m in board.months],
        "sheets": [m.sheets for m in board.months],
        "attachments": [m.attachment_pages for m in board.months],
        "hours": [m.hours_saved for m in board.months],
        "kinds": [k.name for k in board.kinds],
        "kind_median": [days(k.durations.median_hours) for k in board.kinds],
        "kind_p90": [days(k.durations.p90_hours) for k in board.kinds],
        "sections": [s.name for s in board.sections],
        "section_median": [days(s.durations.median_hours) for s in board.sections],
        "section_p90": [days(s.durations.p90_hours) for s in board.sections],
    }


@login_required
def page(request: HttpRequest) -> HttpResponse:
    """The figures for the filters, with charts, tables and a link behind each figure."""
    _allowed(request)
    asked = request.GET.copy()
    if not asked.get("fiscal_year"):  # the box shows the 年度 the figures are of, not an empty field
        asked["fiscal_year"] = str(fiscal_year(timezone.localdate()))
    form = FilterForm(asked)
    if not form.is_valid():
        return render(request, "dashboard/page.html", {"form": form, "board": None}, status=400)
    board = dashboard(user_of(request), form.filters())
    query = asked.copy()
    query.pop("medium", None)
    context = {
        "form": form,
        "board": board,
        "chart": chart_data(board),
        "query": query.urlencode(),
        "electronic": Medium.ELECTRONIC.value,
        "paper": Medium.PAPER.value,
    }
    return render(request, "dashboard/page.html", context)


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    """The documents behind a figure, those the viewer may see (newest decision first)."""
    _allowed(request)
    form = DrillForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboard/documents.html", {"form": form, "page": None}, status=400)
    rows = documents_behind(user_of(request), form.filters(), form.drill())
    found = Paginator(rows, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": found, "drill": form.drill(), "query": query.urlencode()}
    return render(request, "dashboard/documents.html", context)


@login_required
def savings(request: HttpRequest) -> HttpResponse:
    """The savings ledger's rows behind the hours saved (削減時間の台帳)."""
    _allowed(request)
    form = FilterForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboard/savings.html", {"form": form, "page": None}, status=400)
    rows = savings_behind(user_of(request), form.filters())
    found = Paginator(rows, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dashboard/savings.html", {"form": form, "page": found, "query": query.urlencode()})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The page's figures as an Excel book."""
    _allowed(request)
    form = FilterForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboard/page.html", {"form": form, "board": None}, status=400)
    content = exports.to_xlsx(dashboard(user_of(request), form.filters()))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="dx-dashboard-{stamp}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
