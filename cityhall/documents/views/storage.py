"""書庫 and 借覧 screens: storerooms and boxes, a paper record's box and loans, the loans list with 延滞.

Lists come from ``selectors_storage`` (the 文書主管 sees all; others their section's boxes and the
loans of their section's records or lent to them); writes go through ``services.storage``, whose
refusals appear next to the field they name.
"""

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

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from cityhall.core.http import apply_error
from cityhall.documents import services
from cityhall.documents.forms_records import LoanForm, ReturnForm, StorageBoxForm, StoreForm, StoreroomForm
from cityhall.documents.models import Document, Medium
from cityhall.documents.rules import section_of
from cityhall.documents.selectors_records import may_edit_file_plan
from cityhall.documents.selectors_storage import (
    LOAN_STATE_LABELS,
    LoanState,
    borrower_choices,
    box_for,
    box_records,
    boxes_for,
    boxes_for_record,
    loan_for,
    loans_for,
    record_loans,
    stored_in,
    storerooms,
)
from cityhall.documents.views._common import fetch

PAGE_SIZE = 50


def _hub(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = user_of(request)
    manager = may_edit_file_plan(user)
    context = {
        "storerooms": storerooms(),
        "boxes": Paginator(boxes_for(user), PAGE_SIZE).get_page(request.GET.get("page")),
        "manager": manager,
        "room_form": forms.get("room_form") or (StoreroomForm() if manager else None),
        "box_form": forms.get("box_form") or (StorageBoxForm() if manager else None),
        "overdue": loans_for(user, LoanState.OVERDUE).count(),
        "query": "",
    }
    return render(request, "documents/storage/index.html", context, status=status)


@login_required
def storage(request: HttpRequest) -> HttpResponse:
    """書庫: the storerooms, the boxes the user sees, and for the 文書主管 the forms to add them."""
    return _hub(request)


@login_required
@require_POST
def storeroom_new(request: HttpRequest) -> HttpResponse:
    """Register a storeroom (書庫の登録)."""
    form = StoreroomForm(request.POST)
    if not form.is_valid():
        return _hub(request, status=400, room_form=form)
    try:
        room = services.storeroom_create(actor=user_of(request), **form.cleaned_data)
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        apply_error(form, exc)
        return _hub(request, status=exc.status_code, room_form=form)
    messages.success(request, _("書庫「%(name)s」を登録しました。") % {"name": room.name})
    return redirect("documents:storage")


@login_required
@require_POST
def storage_box_new(request: HttpRequest) -> HttpResponse:
    """Register a box of a section's paper records (文書保存箱の登録)."""
    form = StorageBoxForm(request.POST)
    if not form.is_valid():
        return _hub(request, status=400, box_form=form)
    try:
        box = services.storage_box_create(actor=user_of(request), **form.cleaned_data)
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        apply_error(form, exc)
        return _hub(request, status=exc.status_code, box_form=form)
    messages.success(request, _("箱「%(box)s」を登録しました。") % {"box": box.place_text})
    return redirect("documents:storage_box", pk=box.pk)


@login_required
def storage_box(request: HttpRequest, pk: int) -> HttpResponse:
    """One box and the records in it."""
    try:
        box = box_for(user_of(request), pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc
    records = Paginator(box_records(box), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/storage/box.html", {"box": box, "page": records, "query": ""})


def _record_page(request: HttpRequest, document: Document, status: int = 200, **forms: Any) -> HttpResponse:
    user = user_of(request)
    loans = list(record_loans(document))
    open_loan = next((loan for loan in loans if loan.is_open), None)
    keeps = (
        document.medium == Medium.PAPER
        and document.is_decided
        and not document.disposition
        and services.may_keep(user, document.section_id)
    )
    boxes = boxes_for_record(user, document) if keeps else None
    today = timezone.localdate()
    context = {
        "document": document,
        "stored": stored_in(document),
        "loans": loans,
        "open_loan": open_loan,
        "keeps": keeps,
        "today": today,
        "store_form": forms.get("store_form")
        or (StoreForm(initial={"expected_version": document.version}, boxes=boxes) if keeps else None),
        "loan_form": forms.get("loan_form")
        or (
            LoanForm(initial={"lent_on": today.isoformat()}, borrowers=borrower_choices())
            if keeps and open_loan is None
            else None
        ),
        "return_form": forms.get("return_form") or (ReturnForm() if keeps and open_loan is not None else None),
    }
    return render(request, "documents/storage/record.html", context, status=status)


def _paper(request: HttpRequest, pk: int) -> Document:
    document = fetch(request, pk)
    if document.medium != Medium.PAPER:
        raise Http404(_("電子の文書は貸出・書庫の対象ではありません。"))
    return document


@login_required
def record_storage(request: HttpRequest, pk: int) -> HttpResponse:
    """書庫・借覧 of one paper record: its box, its loans, and for its keepers the forms to store, lend, return."""
    return _record_page(request, _paper(request, pk))


@login_required
@require_POST
def record_store(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the paper record in a box of its section (書庫への収納)."""
    document = _paper(request, pk)
    user = user_of(request)
    form = StoreForm(request.POST, boxes=boxes_for_record(user, document))
    if not form.is_valid():
        return _record_page(request, document, status=400, store_form=form)
    try:
        services.record_store(actor=user, document=document, **form.cleaned_data)
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        apply_error(form, exc)
        return _record_page(request, _paper(request, pk), status=exc.status_code, store_form=form)
    messages.success(request, _("書庫の箱に収納しました。保管場所を箱の場所にしました。"))
    return redirect("documents:record_storage", pk=pk)


@login_required
@require_POST
def record_lend(request: HttpRequest, pk: int) -> HttpResponse:
    """Lend the paper record (借覧の貸出)."""
    document = _paper(request, pk)
    form = LoanForm(request.POST, borrowers=borrower_choices())
    if not form.is_valid():
        return _record_page(request, document, status=400, loan_form=form)
    data = dict(form.cleaned_data)
    borrower = User.objects.filter(pk=data.pop("borrower"), is_active=True).first()
    try:
        if borrower is None:
            raise ValidationFailed(_("借受者は一覧から選んでください。"), field="borrower")
        services.record_lend(actor=user_of(request), document=document, borrower=borrower, **data)
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        apply_error(form, exc)
        return _record_page(request, document, status=exc.status_code, loan_form=form)
    messages.success(request, _("貸し出しました（借覧）。返却されたら返却を記録してください。"))
    return redirect("documents:record_storage", pk=pk)


@login_required
@require_POST
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the return of a lent paper record (借覧の返却); back to the page it was sent from."""
    user = user_of(request)
    try:
        loan = loan_for(user, pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc
    form = ReturnForm(request.POST)
    back_to_list = request.POST.get("next") == "loans"
    if not form.is_valid():
        if back_to_list:
            return _loans_page(request, status=400, error=str(form.errors["returned_on"][0]))
        return _record_page(request, fetch(request, loan.document_id), status=400, return_form=form)
    try:
        services.loan_return(actor=user, loan=loan, returned_on=form.cleaned_data.get("returned_on"))
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        if back_to_list:
            return _loans_page(request, status=exc.status_code, error=exc.message)
        apply_error(form, exc)
        return _record_page(request, fetch(request, loan.document_id), status=exc.status_code, return_form=form)
    messages.success(request, _("返却を記録しました。"))
    if back_to_list:
        return redirect("documents:loans")
    return redirect("documents:record_storage", pk=loan.document_id)


def _state(value: str | None) -> LoanState:
    try:
        return LoanState(value or LoanState.OPEN)
    except ValueError:
        return LoanState.OPEN


def _loans_page(request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
    user = user_of(request)
    state = _state(request.GET.get("state"))
    page = Paginator(loans_for(user, state), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "tabs": [(s.value, LOAN_STATE_LABELS[s]) for s in LoanState],
        "overdue": loans_for(user, LoanState.OVERDUE).count(),
        "today": timezone.localdate(),
        "error": error,
        "query": f"state={state.value}",
        "manager": may_edit_file_plan(user),
        "own_section_id": own.pk if (own := section_of(user, on=timezone.localdate())) is not None else None,
    }
    return render(request, "documents/storage/loans.html", context, status=status)


@login_required
def loans(request: HttpRequest) -> HttpResponse:
    """借覧: loans the user sees, 貸出中 / 返却期限切れ / 返却済, paged on the server."""
    return _loans_page(request)
