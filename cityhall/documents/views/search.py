"""Search (文書検索) and the register (文書管理簿): permission-filtered by the selector, paged on the server."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cityhall.core.japanese import fiscal_year
from cityhall.documents.forms import SearchForm
from cityhall.documents.rules import section_of
from cityhall.documents.selectors import search_documents
from cityhall.documents.views._common import user_of

PAGE_SIZE = 50


def _results(request: HttpRequest, form: SearchForm, template: str) -> HttpResponse:
    if not form.is_valid():
        return render(request, template, {"form": form, "page": None}, status=400)
    qs = search_documents(user_of(request), form.cleaned_data.get("q") or "", form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search with filters; the first page and the total count."""
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
