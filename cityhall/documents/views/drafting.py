"""Drafting screens (起案): new draft with a first attachment, editing, and the route preview (ルートの確認)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.forms import claim, new_form_token, remember, with_fresh_token
from cityhall.core.http import apply_error
from cityhall.core.japanese.money import parse_yen
from cityhall.core.numbers import optional_id, optional_ids
from cityhall.documents import registry, services
from cityhall.documents.files import CheckedFile
from cityhall.documents.forms import DraftForm, NewDraftForm, upload_stream
from cityhall.documents.models import Document, MatterKind, Receipt
from cityhall.documents.rules import facts_of, plan_route
from cityhall.documents.views._common import fetch
from cityhall.documents.views.receipts import fetch_receipt
from cityhall.org.models import OrgUnit
from cityhall.signing.dates import long_date


def _render(request: HttpRequest, form: DraftForm, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "documents/draft_form.html", {"form": form, **extra}, status=status)


def _answered_receipt(request: HttpRequest, value: str | None) -> Receipt | None:
    """The received document (収受) a new draft answers, if given; 404 when the user may not see it."""
    pk = optional_id(value)
    return fetch_receipt(request, pk) if pk is not None else None


def _answer_initial(receipt: Receipt) -> dict[str, Any]:
    """An answer's draft refers to its receipt (収受番号・収受日・発信者) and keeps its personal-data mark."""
    reference = _(
        "%(day)s付けで収受した%(sender)sからの文書（%(number)s）について、次のとおり回答してよろしいか伺います。"
    ) % {
        "day": long_date(receipt.received_on),
        "sender": receipt.sender,
        "number": receipt.number_label,
    }
    return {
        "receipt": receipt.pk,
        "title": _("「%(title)s」について（回答）") % {"title": receipt.title},
        "body": reference,
        "has_personal_info": receipt.has_personal_info,
    }


def _checked_file(request: HttpRequest, form: NewDraftForm) -> CheckedFile | None:
    """The file sent with a new draft, checked once the user is known to be able to draft."""
    upload = form.cleaned_data.get("file")
    if upload is None:
        return None
    return services.new_draft_attachment_check(actor=user_of(request), **upload_stream(upload))


@login_required
def draft_new(request: HttpRequest) -> HttpResponse:
    """New draft (起案); a one-time token makes a double-submitted form create one draft only.

    ``?receipt=ID`` drafts the answer to a received document (回答の起案) and links it.
    """
    if request.method != "POST":
        receipt = _answered_receipt(request, request.GET.get("receipt"))
        initial: dict[str, Any] = {"form_token": new_form_token()}
        if receipt is not None:
            initial |= _answer_initial(receipt)
        return _render(request, NewDraftForm(initial=initial), receipt=receipt)
    form = NewDraftForm(request.POST, request.FILES)
    receipt = _answered_receipt(request, request.POST.get("receipt"))
    if not form.is_valid():
        return _render(request, with_fresh_token(form), status=400, receipt=receipt)
    try:
        checked = _checked_file(request, form)
    except ApplicationError as exc:
        apply_error(form, exc)
        return _render(request, with_fresh_token(form), status=exc.status_code, receipt=receipt)
    first, done = claim(form)
    if not first:
        messages.warning(request, _("この起案は既に送信されています。二重に登録していません。"))
        return redirect("documents:detail", pk=done) if done else redirect("documents:inbox")
    try:
        document = services.draft_create(actor=user_of(request), receipt=receipt, **form.service_fields())
        remember(form, document.pk)
    except ApplicationError as exc:
        apply_error(form, exc)
        return _render(request, with_fresh_token(form), status=exc.status_code, receipt=receipt)
    if checked is not None:
        try:
            services.attachment_add(
                actor=user_of(request), document=document, expected_version=document.version, **upload_stream(checked)
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
    messages.success(request, _("起案を保存しました（%(number)s）。") % {"number": document.number_label})
    return redirect("documents:detail", pk=document.pk)


def _edit_form(document: Document, data: QueryDict | None = None) -> DraftForm:
    """The edit form; a typed document's kind of matter and amount are shown, not edited."""
    if data is None:
        initial = {name: getattr(document, name) for name in ("title", "body", "amount", "is_confidential")}
        initial |= {"has_personal_info": document.has_personal_info, "is_important": document.is_important}
        initial |= {"matter_kind": document.matter_kind_id, "file_plan_class": document.file_plan_class_id}
        form = DraftForm(
            initial={**initial, "expected_version": document.version}, keep_class=document.file_plan_class_id
        )
    else:
        form = DraftForm(data, keep_class=document.file_plan_class_id)
    if document.doc_type:
        form.carry_typed_fields()
    return form


def _render_edit(request: HttpRequest, form: DraftForm, document: Document, status: int = 200) -> HttpResponse:
    typed = registry.get_type(document.doc_type)
    typed_url = typed.url_for(document) if typed is not None else None
    return _render(request, form, status=status, document=document, typed=typed, typed_url=typed_url)


@login_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft while 起案中 or 差戻し, guarded by the version the drafter opened."""
    document = fetch(request, pk)
    if request.method != "POST":
        return _render_edit(request, _edit_form(document), document)
    form = _edit_form(document, request.POST)
    if not form.is_valid():
        return _render_edit(request, form, document, status=400)
    try:
        services.draft_update(
            actor=user_of(request),
            document=document,
            expected_version=form.cleaned_data["expected_version"] or 0,
            **form.service_fields(),
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return _render_edit(request, form, document, status=exc.status_code)
    messages.success(request, _("起案を修正しました。"))
    return redirect("documents:detail", pk=document.pk)


def _setsu(request: HttpRequest) -> str:
    """The budget 節 a typed document's own screen passes (``?setsu=10``): digits only, else none."""
    value = (request.GET.get("setsu") or "").strip()
    return value if value.isascii() and value.isdigit() and len(value) <= 10 else ""


@login_required
def route_preview(request: HttpRequest) -> HttpResponse:
    """The route the rules require for a kind of matter and amount (htmx partial; 専決区分 shown)."""
    user = user_of(request)
    kind_id = optional_id(request.GET.get("matter_kind"))
    kind = MatterKind.objects.filter(pk=kind_id).first() if kind_id is not None else None
    # From a document's page: its section and budget 節 choose the row of the 事務決裁規程.
    doc_id = optional_id(request.GET.get("document"))
    document = fetch(request, doc_id) if doc_id is not None else None
    reviewers = list(User.objects.filter(pk__in=optional_ids(request.GET.getlist("extra_reviewers"))))
    units = list(OrgUnit.objects.filter(pk__in=optional_ids(request.GET.getlist("consult_units"))))
    context: dict[str, Any] = {"plan": None, "error": ""}
    if kind is None:
        context["error"] = _("事案の種類を選ぶとルートを表示します。")
    else:
        try:
            text = request.GET.get("amount", "").strip()
            amount = parse_yen(text, minimum=0) if text else None
            context["plan"] = plan_route(
                drafter=user,
                matter_kind=kind,
                amount=amount,
                on=timezone.localdate(),
                extra_reviewers=reviewers,
                consult_units=units,
                section=document.section if document is not None else None,
                setsu=facts_of(document).budget_setsu if document is not None else _setsu(request),
            )
        except ApplicationError as exc:
            context["error"] = exc.message
    return render(request, "documents/partials/route_preview.html", context)
