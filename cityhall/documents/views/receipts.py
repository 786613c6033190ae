"""Received documents (収受): register with a file, the section's list, detail with 供覧・閲, 回答の起案, 完結."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.core.remote_policy import Mode
from cityhall.documents import services
from cityhall.documents.forms import upload_stream
from cityhall.documents.forms_receipts import (
    CirculateForm,
    ReceiptCancelForm,
    ReceiptCloseForm,
    ReceiptFileForm,
    ReceiptRegisterForm,
)
from cityhall.documents.models import Receipt
from cityhall.documents.selectors_receipts import (
    circulation_candidates,
    may_act_on_receipt,
    may_cancel_receipt,
    may_close_receipt,
    reader_stamp,
    receipt_files_mode,
    receipt_for,
    receipt_readers,
    receipts_for,
)
from cityhall.documents.services.receipts import NewFile

PAGE_SIZE = 50


def fetch_receipt(request: HttpRequest, pk: int) -> Receipt:
    """The received document if the user may see it; 404 alike for missing and forbidden."""
    try:
        return receipt_for(user_of(request), pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc


@login_required
def receipt_list(request: HttpRequest) -> HttpResponse:
    """The receipts of the user's section (収受簿), or those waiting for the user's 閲, newest first, paged."""
    to_read = request.GET.get("to_read") == "1"
    rows = receipts_for(user_of(request), to_read=to_read)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/receipts.html", {"page": page, "query": "", "to_read": to_read})


def _render_form(request: HttpRequest, form: ReceiptRegisterForm, status: int = 200) -> HttpResponse:
    return render(request, "documents/receipt_form.html", {"form": form}, status=status)


@login_required
def receipt_new(request: HttpRequest) -> HttpResponse:
    """Register a received document in the user's section (収受の登録), with a scan or original if given."""
    if request.method != "POST":
        return _render_form(request, ReceiptRegisterForm(initial={"received_on": timezone.localdate()}))
    form = ReceiptRegisterForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    upload = form.cleaned_data.get("file")
    files = [NewFile(**upload_stream(upload), origin=form.cleaned_data["origin"])] if upload else []
    try:
        receipt = services.receipt_register(actor=user_of(request), files=files, **form.service_fields())
    except ApplicationError as exc:
        apply_error(form, exc)
        return _render_form(request, form, status=exc.status_code)
    messages.success(request, _("収受を登録しました（%(number)s）。") % {"number": receipt.number_label})
    return redirect("documents:receipt", pk=receipt.pk)


def _candidates(user: User) -> list[tuple[int, str]]:
    return [(a.user_id, f"{a.unit.name} {a.post.name} {a.user.full_name}") for a in circulation_candidates(user)]


def detail_context(request: HttpRequest, receipt: Receipt, **extra: Any) -> dict[str, Any]:
    """What the receipt page shows: register, files, 供覧先 with their 閲 stamps, what the user may do."""
    user = user_of(request)
    may_act = may_act_on_receipt(user, receipt)
    readers = receipt_readers(receipt)
    named = {r.reader_id for r in readers}
    candidates = [c for c in _candidates(user) if c[0] not in named] if may_act else []
    mine = next((r for r in readers if r.reader_id == user.pk), None)
    return {
        "receipt": receipt,
        "may_act": may_act,
        "files": list(receipt.files.select_related("uploaded_by").order_by("pk")),
        "files_mode": receipt_files_mode(user, receipt).value,
        "readers": [(r, reader_stamp(r)) for r in readers],
        "may_mark_seen": mine is not None and mine.seen_at is None,
        "file_form": extra.pop("file_form", None) or ReceiptFileForm(),
        "circulate_form": extra.pop("circulate_form", None) or CirculateForm(candidates=candidates),
        "may_close": may_act and may_close_receipt(receipt),
        "close_form": extra.pop("close_form", None) or ReceiptCloseForm(),
        "may_cancel": may_act and may_cancel_receipt(receipt),
        "cancel_form": extra.pop("cancel_form", None) or ReceiptCancelForm(),
        "has_candidates": bool(candidates),
        **extra,
    }


def render_detail(request: HttpRequest, receipt: Receipt, status: int = 200, **extra: Any) -> HttpResponse:
    """The receipt page; a view of one holding personal data is audited."""
    services.receipt_access_record(actor=user_of(request), receipt=receipt, what="view")
    return render(request, "documents/receipt_detail.html", detail_context(request, receipt, **extra), status=status)


@login_required
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One received document with its files, 供覧・閲 and answer (回答の起案)."""
    return render_detail(request, fetch_receipt(request, pk))


@login_required
@require_POST
def receipt_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    """Circulate the received document to the chosen superiors (供覧)."""
    receipt = fetch_receipt(request, pk)
    user = user_of(request)
    form = CirculateForm(request.POST, candidates=_candidates(user))
    if not form.is_valid():
        return render_detail(request, receipt, status=400, circulate_form=form)
    readers = list(User.objects.filter(pk__in=form.cleaned_data["readers"]).order_by("pk"))
    try:
        services.receipt_circulate(actor=user, receipt=receipt, readers=readers)
    except ApplicationError as exc:
        apply_error(form, exc) if exc.field == "readers" else form.add_error(None, exc.message)
        return render_detail(request, fetch_receipt(request, pk), status=exc.status_code, circulate_form=form)
    messages.success(request, _("供覧しました。"))
    return redirect("documents:receipt", pk=receipt.pk)


@login_required
@require_POST
def receipt_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the received document seen (閲) as one of its 供覧先."""
    receipt = fetch_receipt(request, pk)
    try:
        services.receipt_mark_seen(actor=user_of(request), receipt=receipt)
    except ApplicationError as exc:
        return render_detail(request, fetch_receipt(request, pk), status=exc.status_code, error=exc.message)
    messages.success(request, _("閲覧しました（閲）。"))
    return redirect("documents:receipt", pk=receipt.pk)


def _form_action(
    request: HttpRequest,
    pk: int,
    form: forms.Form,
    form_key: str,
    act: Callable[[Receipt, dict[str, Any]], str],
) -> HttpResponse:
    """Run one form of the receipt page: the page again with the form's errors, or its success message."""
    receipt = fetch_receipt(request, pk)
    if not form.is_valid():
        return render_detail(request, receipt, status=400, **{form_key: form})
    try:
        done = act(receipt, form.cleaned_data)
    except ApplicationError as exc:
        apply_error(form, exc) if exc.field in form.fields else form.add_error(None, exc.message)
        return render_detail(request, fetch_receipt(request, pk), status=exc.status_code, **{form_key: form})
    messages.success(request, done)
    return redirect("documents:receipt", pk=receipt.pk)


@login_required
@require_POST
def receipt_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a received document that needs no answer (完結) under a file-plan class: its retention starts."""

    def close(receipt: Receipt, data: dict[str, Any]) -> str:
        plan = data["file_plan_class"]
        services.receipt_close(actor=user_of(request), receipt=receipt, file_plan_class=plan)
        return _("完結しました（文書分類 %(plan)s）。") % {"plan": plan}

    return _form_action(request, pk, ReceiptCloseForm(request.POST), "close_form", close)


@login_required
@require_POST
def receipt_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a receipt registered by mistake (取消), with the reason; its number stays, marked 取消."""

    def cancel(receipt: Receipt, data: dict[str, Any]) -> str:
        services.receipt_cancel(actor=user_of(request), receipt=receipt, reason=data["reason"])
        return _("収受を取り消しました（%(number)s）。") % {"number": receipt.number_label}

    return _form_action(request, pk, ReceiptCancelForm(request.POST), "cancel_form", cancel)


def files_refused(request: HttpRequest, receipt: Receipt) -> HttpResponse | None:
    """The 403 page when the remote-access policy keeps this receipt's originals from the session; None if allowed."""
    mode = receipt_files_mode(user_of(request), receipt)
    if mode is Mode.SEE:
        return None
    context = {"receipt": receipt, "masked": mode is Mode.MASKED}
    return render(request, "documents/receipt_remote_refused.html", context, status=403)
