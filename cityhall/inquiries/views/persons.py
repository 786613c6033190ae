"""Delinquent persons' screens (滞納者): the list with filters and a person's page; every view recorded."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityhall.inquiries.access import Scope
from cityhall.inquiries.forms.persons import PersonSearchForm
from cityhall.inquiries.selectors.persons import PersonFilters, areas_for, person_detail, person_inquiries, person_list
from cityhall.inquiries.services.persons import persons_viewed
from cityhall.inquiries.views._common import PAGE_SIZE, collector_page, is_htmx


@collector_page
def person_list_view(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The section's delinquent persons (滞納者の一覧), filtered and paged; htmx gets the table only."""
    form = PersonSearchForm(request.GET, areas=areas_for(scope.user))
    filters = form.search_filters() if form.is_valid() else PersonFilters()
    page = Paginator(person_list(scope.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    persons_viewed(actor=scope.user, persons=list(page.object_list), where="list")
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {"form": form, "page": page, "query": query, "scope": scope}
    template = "inquiries/persons/_results.html" if is_htmx(request) else "inquiries/persons/list.html"
    return render(request, template, context, status=200 if form.is_valid() else 400)


@collector_page
def person_detail_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """One person (滞納者の詳細): record, former addresses, tax items and the batches that asked."""
    person = person_detail(scope.user, pk)
    persons_viewed(actor=scope.user, persons=[person], where="detail")
    context = {"person": person, "inquiries": person_inquiries(person), "scope": scope}
    return render(request, "inquiries/persons/detail.html", context)
