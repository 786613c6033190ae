"""Received documents (収受): register, the section's list, detail with 供覧 and 「回答を起案」."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.documents import services
from cityhall.documents.forms import ReceiptForm
from cityhall.documents.models import Receipt
from cityhall.documents.rules import section_of
from cityhall.documents.selectors_receipts import receipt_for, receipts_for

PAGE_SIZE = 50


def fetch_receipt(request: HttpRequest, pk: int) -> Receipt:
    """The received document if the user may see it; 404 alike for missing and forbidden."""
    try:
        return receipt_for(user_of(request), pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc


@login_required
def receipt_list(request: HttpRequest) -> HttpResponse:
    """The receipts of the user's section (収受簿), newest first, paged on the server."""
    page = Paginator(receipts_for(user_of(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/receipts.html", {"page": page, "query": ""})


def _render_form(request: HttpRequest, form: ReceiptForm, status: int = 200) -> HttpResponse:
    return render(request, "documents/receipt_form.html", {"form": form}, status=status)


@login_required
def receipt_new(request: HttpRequest) -> HttpResponse:
    """Register a received document in the user's section (収受の登録)."""
    if request.method != "POST":
        return _render_form(request, ReceiptForm(initial={"received_on": timezone.localdate()}))
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    try:
        receipt = services.receipt_register(actor=user_of(request), **form.cleaned_data)
    except ApplicationError as exc:
        apply_error(form, exc)
        return _render_form(request, form, status=exc.status_code)
    messages.success(request, _("収受を登録しました。"))
    return redirect("documents:receipt", pk=receipt.pk)


def _detail(request: HttpRequest, receipt: Receipt, status: int = 200, **extra: Any) -> HttpResponse:
    own = section_of(user_of(request), on=timezone.localdate())
    context = {"receipt": receipt, "may_act": own is not None and own.pk == receipt.section_id, **extra}
    return render(request, "documents/receipt_detail.html", context, status=status)


@login_required
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One received document with its 供覧 and answer (回答の起案)."""
    return _detail(request, fetch_receipt(request, pk))


@login_required
@require_POST
def receipt_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    """Circulate the received document to superiors (供覧)."""
    receipt = fetch_receipt(request, pk)
    try:
        services.receipt_circulate(actor=user_of(request), receipt=receipt)
    except ApplicationError as exc:
        return _detail(request, fetch_receipt(request, pk), status=exc.status_code, error=exc.message)
    messages.success(request, _("供覧しました。"))
    return redirect("documents:receipt", pk=receipt.pk)
