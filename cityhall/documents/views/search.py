"""Search (文書検索) and the register (文書管理簿): permission-filtered by the selector, paged on the server."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.core.japanese import fiscal_year
from cityhall.core.numbers import page_number
from cityhall.documents.forms import SearchForm
from cityhall.documents.rules import section_of
from cityhall.documents.selectors import search_page

PAGE_SIZE = 50


def _page_number(value: str | None) -> int:
    return page_number(value)


def _results(request: HttpRequest, form: SearchForm, template: str) -> HttpResponse:
    if not form.is_valid():
        return render(request, template, {"form": form, "page": None}, status=400)
    try:
        page = search_page(
            user_of(request),
            form.cleaned_data.get("q") or "",
            form.filters(),
            page=_page_number(request.GET.get("page")),
            page_size=PAGE_SIZE,
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, {"form": form, "page": None}, status=exc.status_code)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search with filters; one page and the count (「1,000件以上」 past the cap)."""
    form = SearchForm(request.GET or None)
    if not request.GET:
        return render(request, "documents/search.html", {"form": SearchForm(), "page": None})
    return _results(request, form, "documents/search.html")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The register of a section and fiscal year (文書管理簿); defaults to the user's section this year."""
    data = request.GET.copy()
    if not data:
        today = timezone.localdate()
        section = section_of(user_of(request), on=today)
        data["fiscal_year"] = str(fiscal_year(today))
        if section is not None:
            data["section"] = str(section.pk)
    return _results(request, SearchForm(data), "documents/register.html")
