"""Encumbrance screens (支出負担行為): list, draft, detail, correct (修正), 変更契約, amend and cancel.

The approval itself (回議・決裁) happens on the document's own page
(/documents/<pk>/); these screens show and take the structured data.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.forms import claim, new_form_token, remember, with_fresh_token
from cityhall.core.http import apply_error
from cityhall.core.matters import CONTRACT_KIND
from cityhall.core.numbers import optional_id
from cityhall.documents.models import (
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    Document,
    DocumentStatus,
    MatterKind,
    RouteStep,
    StepState,
)
from cityhall.documents.services import personal_info_access_record
from cityhall.finance import balance, contracts, services
from cityhall.finance.forms.encumbrances import (
    AmendForm,
    CancelForm,
    ChangeForm,
    EncumbranceEditForm,
    EncumbranceForm,
)
from cityhall.finance.models import Encumbrance
from cityhall.finance.selectors.budget import section_allotments
from cityhall.finance.selectors.changes import change_history, change_state, possible_split
from cityhall.finance.selectors.encumbrances import can_amend_encumbrance, encumbrances_for, own_section_encumbrances
from cityhall.finance.views._common import sorted_rows

PAGE_SIZE = 50
GONE = (DocumentStatus.WITHDRAWN, DocumentStatus.REJECTED)
SORTS = {
    "number": ("document__fiscal_year", "document__section__code", "document__number", "pk"),
    "title": ("document__title", "pk"),
    "amount": ("amount", "pk"),
    "drafted_on": ("document__drafted_on", "pk"),
}


def fetch_encumbrance(request: HttpRequest, pk: int) -> Encumbrance:
    """The encumbrance if the user may see it; 404 alike for missing and forbidden."""
    found = encumbrances_for(user_of(request)).filter(pk=pk).first()
    if found is None:
        raise Http404(_("支出負担行為が見つかりません。"))
    return found


def editable_by(user: User, document: Document) -> bool:
    """Whether the user may correct the typed document now: its drafter, while 起案中 or 差戻し.

    The same rule as the update services (``lock_editable_document``), which check it again.
    """
    return document.drafter_id == user.pk and document.status in EDITABLE_STATUSES


def not_editable(request: HttpRequest, document: Document, detail: str, pk: int) -> HttpResponse | None:
    """None when the user may correct the document; else 404 for others, or back to the detail page."""
    if document.drafter_id != user_of(request).pk:
        raise Http404(_("文書が見つかりません。"))
    if document.status in EDITABLE_STATUSES:
        return None
    messages.warning(
        request,
        _("%(status)sの文書は修正できません。") % {"status": document.get_status_display()},
    )
    return redirect(detail, pk=pk)


def sent_back_reason(document: Document) -> str:
    """The reason of the last send-back (差戻しの理由) of a document the caller may already see."""
    if document.status != DocumentStatus.SENT_BACK:
        return ""
    steps = RouteStep.objects.filter(document=document, state=StepState.SENT_BACK).order_by("-acted_at", "-pk")
    return steps.values_list("comment", flat=True).first() or ""


@login_required
def encumbrance_list(request: HttpRequest) -> HttpResponse:
    """The encumbrances of the user's section (支出負担行為の一覧), newest first."""
    rows, sort = sorted_rows(request, encumbrances_for(user_of(request)), SORTS, "-drafted_on")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "finance/encumbrances/list.html", {"page": page, "sort": sort})


def _render_new(request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
    # The route preview (回議ルート) of the documents screens, for the matter kind 契約 and the amount typed.
    contract = MatterKind.objects.filter(code=CONTRACT_KIND).first()
    context = {"form": form, "route_kind": contract}
    return render(request, "finance/encumbrances/new.html", context, status=status)


@login_required
def encumbrance_new(request: HttpRequest) -> HttpResponse:
    """Draft an encumbrance (支出負担行為の起案); nothing is saved when the service refuses.

    A one-time token makes a double-submitted form create one draft only.
    """
    user, day = user_of(request), timezone.localdate()
    if request.method != "POST":
        return _render_new(request, EncumbranceForm(user=user, on=day, initial={"form_token": new_form_token()}))
    form = EncumbranceForm(request.POST, user=user, on=day)
    if not form.is_valid():
        return _render_new(request, with_fresh_token(form), status=400)
    first, done = claim(form)
    if not first:
        messages.warning(request, _("この起案は既に送信されています。二重に登録していません。"))
        found = Encumbrance.objects.filter(document_id=done).first() if done else None
        return redirect("finance:encumbrance", pk=found.pk) if found else redirect("finance:encumbrances")
    try:
        encumbrance = services.encumbrance_draft(actor=user, **form.service_fields())
    except ApplicationError as exc:
        apply_error(form, exc)
        return _render_new(request, with_fresh_token(form), status=exc.status_code)
    remember(form, encumbrance.document_id)
    messages.success(
        request,
        _("支出負担行為を起案しました（%(number)s）。文書を開いて回議を開始してください。")
        % {"number": encumbrance.document.number_label},
    )
    return redirect("finance:encumbrance", pk=encumbrance.pk)


@login_required
def encumbrance_route(request: HttpRequest) -> HttpResponse:
    """The route preview (回議ルート) for the method chosen: 契約 for a contract, else 支出 (htmx).

    Redirects to the documents' route preview with the kind of matter, the amount typed and the 節 of
    the line chosen (rows of the 事務決裁規程 may be limited to a 節).
    """
    kind = MatterKind.objects.filter(code=contracts.matter_kind_code(request.GET.get("contract_method", ""))).first()
    line_id = optional_id((request.GET.get("line") or "").strip())
    allotted = section_allotments(user_of(request), on=timezone.localdate()).filter(line_id=line_id)
    setsu = allotted.values_list("line__setsu__code", flat=True).first() if line_id is not None else None
    query = urlencode(
        {
            "matter_kind": kind.pk if kind is not None else "",
            "amount": request.GET.get("amount", ""),
            "setsu": setsu or "",
        }
    )
    return redirect(f"{reverse('documents:route_preview')}?{query}")


@login_required
def available_balance(request: HttpRequest) -> HttpResponse:
    """The available balance (執行可能額) of a line allotted to the user's section (htmx partial)."""
    user = user_of(request)
    value = (request.GET.get("line") or "").strip()
    allotment = None
    if (line_id := optional_id(value)) is not None:
        allotment = section_allotments(user, on=timezone.localdate()).filter(line_id=line_id).first()
    context: dict[str, Any] = {"allotment": allotment}
    if allotment is not None:
        context["available"] = balance.available_amount(allotment)
    return render(request, "finance/encumbrances/balance.html", context)


def detail_context(encumbrance: Encumbrance, user: User, **extra: Any) -> dict[str, Any]:
    """The figures of one encumbrance: amount, ordered (支出命令済額) and remaining (残額)."""
    ordered = balance.ordered_against(encumbrance)
    document = encumbrance.document
    live = document.status in DECIDED_STATUSES and encumbrance.cancelled_at is None
    changeable = live and can_amend_encumbrance(user, encumbrance)  # 減額・取消: the deciding authority only
    own = own_section_encumbrances(user).filter(pk=encumbrance.pk).exists()
    changes = [(change, change_state(change)) for change in change_history(encumbrance)]
    open_change = any(c.applied_at is None and c.document.status not in GONE for c, _state in changes)
    warning = possible_split(encumbrance)
    context: dict[str, Any] = {
        "changes": changes,
        "split_warning": warning.message if warning is not None else None,
        "changeable_by_contract": live and own and not open_change,
        "encumbrance": encumbrance,
        "document": document,
        "ordered": ordered,
        "remaining": encumbrance.amount - ordered,
        "available": balance.available_amount(encumbrance.allotment),
        "live": live,
        # 支出命令を起こす: only the section that made the encumbrance orders against it.
        "orderable": live and own,
        "changeable": changeable,
        "editable": editable_by(user, document),
        "orders": encumbrance.payment_orders.select_related("document").order_by("pk"),
    }
    if context["changeable_by_contract"]:
        context["change_form"] = ChangeForm(initial={"new_amount": f"{encumbrance.amount:,}"})
    if changeable:
        context["amend_form"] = AmendForm(initial={"amount": f"{encumbrance.amount:,}"})
        context["cancel_form"] = CancelForm()
    context.update(extra)
    return context


@login_required
def encumbrance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One encumbrance with its figures, its orders and (once decided) the amend and cancel forms.

    A view of one marked 個人情報あり is audited, as on the documents page.
    """
    encumbrance = fetch_encumbrance(request, pk)
    user = user_of(request)
    personal_info_access_record(actor=user, document=encumbrance.document, what="view")
    return render(request, "finance/encumbrances/detail.html", detail_context(encumbrance, user))


def _render_edit(request: HttpRequest, encumbrance: Encumbrance, form: Any, status: int = 200) -> HttpResponse:
    contract = MatterKind.objects.filter(code=CONTRACT_KIND).first()
    context = {"form": form, "route_kind": contract, "encumbrance": encumbrance, "editing": True}
    context["sent_back_reason"] = sent_back_reason(encumbrance.document)
    return render(request, "finance/encumbrances/new.html", context, status=status)


@login_required
def encumbrance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a draft or sent-back encumbrance (支出負担行為の修正); nothing is saved when the service refuses.

    Only its drafter may (others get 404); the budget line stays, the rest is checked again.
    """
    encumbrance = fetch_encumbrance(request, pk)
    refused = not_editable(request, encumbrance.document, "finance:encumbrance", pk)
    if refused is not None:
        return refused
    user, day = user_of(request), timezone.localdate()
    if request.method != "POST":
        form = EncumbranceEditForm(user=user, on=day, initial=EncumbranceEditForm.initial_for(encumbrance))
        return _render_edit(request, encumbrance, form)
    form = EncumbranceEditForm(request.POST, user=user, on=day)
    status = 400
    if form.is_valid():
        try:
            services.encumbrance_update(actor=user, encumbrance=encumbrance, **form.service_fields())
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("支出負担行為を修正しました。文書を開いて回議を開始してください。"))
            return redirect("finance:encumbrance", pk=pk)
    return _render_edit(request, encumbrance, form, status=status)


@login_required
@require_POST
def encumbrance_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Decrease a decided encumbrance's amount (減額); an increase is refused (a new encumbrance instead)."""
    encumbrance = fetch_encumbrance(request, pk)
    form = AmendForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.encumbrance_amend(
                actor=user_of(request),
                encumbrance=encumbrance,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("支出負担行為を減額しました。"))
            return redirect("finance:encumbrance", pk=pk)
    context = detail_context(fetch_encumbrance(request, pk), user_of(request), amend_form=form, failed="amend")
    return render(request, "finance/encumbrances/detail.html", context, status=status)


@login_required
@require_POST
def encumbrance_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a 変更契約 (支出負担行為の変更) to a new total; the drafter then routes it from its document."""
    encumbrance = fetch_encumbrance(request, pk)
    form = ChangeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            change = services.encumbrance_change_draft(
                actor=user_of(request), encumbrance=encumbrance, **form.cleaned_data
            )
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("変更契約を起案しました（%(number)s）。文書を開いて回議を開始してください。")
                % {"number": change.document.number_label},
            )
            return redirect("documents:detail", change.document_id)
    context = detail_context(fetch_encumbrance(request, pk), user_of(request), failed="change")
    context["change_form"] = form
    return render(request, "finance/encumbrances/detail.html", context, status=status)


@login_required
@require_POST
def encumbrance_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a decided encumbrance (取消); its amount returns to the balance."""
    encumbrance = fetch_encumbrance(request, pk)
    form = CancelForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.encumbrance_cancel(
                actor=user_of(request), encumbrance=encumbrance, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("支出負担行為を取り消しました。"))
            return redirect("finance:encumbrance", pk=pk)
    context = detail_context(fetch_encumbrance(request, pk), user_of(request), cancel_form=form, failed="cancel")
    return render(request, "finance/encumbrances/detail.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("encumbrances/", encumbrance_list, name="encumbrances"),
    path("encumbrances/new/", encumbrance_new, name="encumbrance_new"),
    path("encumbrances/balance/", available_balance, name="encumbrance_balance"),
    path("encumbrances/route/", encumbrance_route, name="encumbrance_route"),
    path("encumbrances/<id:pk>/", encumbrance_detail, name="encumbrance"),
    path("encumbrances/<id:pk>/edit/", encumbrance_edit, name="encumbrance_edit"),
    path("encumbrances/<id:pk>/amend/", encumbrance_amend, name="encumbrance_amend"),
    path("encumbrances/<id:pk>/change/", encumbrance_change, name="encumbrance_change"),
    path("encumbrances/<id:pk>/cancel/", encumbrance_cancel, name="encumbrance_cancel"),
]
