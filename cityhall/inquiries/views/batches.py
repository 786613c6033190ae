"""Inquiry batches' screens (預貯金等照会): the list, the draft form and a batch's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.forms import claim, new_form_token, remember, with_fresh_token
from cityhall.core.http import apply_error
from cityhall.inquiries.access import Scope
from cityhall.inquiries.forms.batches import BatchDraftForm
from cityhall.inquiries.selectors.batches import batch_detail, batch_list, batch_persons, counts_of
from cityhall.inquiries.selectors.institutions import institutions_for, regions_for
from cityhall.inquiries.selectors.letters import batch_letters
from cityhall.inquiries.selectors.persons import areas_for
from cityhall.inquiries.services.batches import batch_draft
from cityhall.inquiries.services.persons import persons_viewed
from cityhall.inquiries.views._common import PAGE_SIZE, collector_page


@collector_page
def batch_list_view(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The section's inquiry batches (預貯金等照会の一覧), newest first."""
    page = Paginator(batch_list(scope.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inquiries/batches/list.html", {"page": page, "query": ""})


def _form(scope: Scope, data: object = None) -> BatchDraftForm:
    return BatchDraftForm(
        data,
        areas=areas_for(scope.user),
        regions=regions_for(scope.user),
        institutions=institutions_for(scope.user, active_only=True),
        initial={"form_token": new_form_token()},
    )


@collector_page
def batch_new(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Draft a batch (預貯金等照会の作成): persons by the filters, institutions, terms; nothing saved on error."""
    template = "inquiries/batches/new.html"
    if request.method != "POST":
        return render(request, template, {"form": _form(scope)})
    form = _form(scope, request.POST)
    if not form.is_valid():
        return render(request, template, {"form": with_fresh_token(form)}, status=400)
    first, done = claim(form)
    if not first:
        messages.warning(request, _("この照会は既に作成されています。二重に作成していません。"))
        return redirect("inquiries:batch", pk=done) if done else redirect("inquiries:batches")
    try:
        batch = batch_draft(actor=scope.user, filters=form.filters(), institutions=form.choice(), terms=form.terms())
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, {"form": with_fresh_token(form)}, status=exc.status_code)
    remember(form, batch.pk)
    messages.success(request, _("照会を作成しました。文書の画面から回議に回してください。"))
    return redirect("inquiries:batch", pk=batch.pk)


@collector_page
def batch_detail_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """A batch (預貯金等照会): its terms, each institution's letter and status, the persons asked."""
    batch = batch_detail(scope.user, pk)
    page = Paginator(batch_persons(batch), PAGE_SIZE).get_page(request.GET.get("page"))
    persons_viewed(actor=scope.user, persons=[row.person for row in page.object_list], where="batch")
    context = {
        "batch": batch,
        "letters": batch_letters(scope.user, batch.pk),
        "counts": counts_of(batch),
        "page": page,
        "query": "",
    }
    return render(request, "inquiries/batches/detail.html", context)
