"""Creditor screens (債権者): search and list, register, detail, change, stop/restart, bank accounts.

Only holders of the 会計 role maintain creditors; for anyone else the pages do
not exist (404). Clerks choose creditors in the encumbrance and order forms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.core.forms import claim, new_form_token, remember, with_fresh_token
from cityhall.core.http import apply_error
from cityhall.finance import services
from cityhall.finance.forms.creditors import (
    AccountAddForm,
    CreditorEditForm,
    CreditorForm,
    CreditorSearchForm,
    HolderNameForm,
)
from cityhall.finance.models import Creditor, CreditorBankAccount
from cityhall.finance.selectors.creditors import creditors_for, similar_creditors
from cityhall.finance.services import creditor_accounts
from cityhall.finance.services import creditors as creditor_services
from cityhall.finance.services.creditors import (
    creditor_accounts_viewed,
    creditor_kana_search_key,
    normalize_creditor_code,
)
from cityhall.finance.views._common import finance_staff_of

PAGE_SIZE = 50


def search(rows: QuerySet[Creditor], text: str) -> QuerySet[Creditor]:
    """Creditors whose code, name or kana contains the text; hiragana and half-width kana find the kana too."""
    text = " ".join(text.split())
    if not text:
        return rows
    kana = creditor_kana_search_key(text)  # written as registration stores フリガナ
    code = normalize_creditor_code(text)  # and the code: Ａ－１ finds A-1
    return rows.filter(
        Q(code__icontains=text) | Q(code__icontains=code) | Q(name__icontains=text) | Q(kana__icontains=kana)
    )


def fetch_creditor(user: User, pk: int) -> Creditor:
    """A creditor in the 会計 staff's view; 404 alike for missing and forbidden."""
    found = creditors_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("債権者が見つかりません。"))
    return found


@login_required
def creditor_list(request: HttpRequest) -> HttpResponse:
    """The creditors (債権者の一覧), searched by code, name or kana; htmx requests get the table only."""
    user = finance_staff_of(request)
    form = CreditorSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(search(creditors_for(user), text), PAGE_SIZE).get_page(request.GET.get("page"))
    creditor_accounts_viewed(actor=user, creditors=page.object_list, where="list")  # 個人の口座は閲覧記録
    context = {"form": form, "page": page, "query": urlencode({"q": text}) if text else "", "text": text}
    htmx = request.headers.get("HX-Request") == "true"
    template = "finance/creditors/_results.html" if htmx else "finance/creditors/list.html"
    return render(request, template, context)


def _render_new(request: HttpRequest, form: Any, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "finance/creditors/new.html", {"form": form, **extra}, status=status)


def _existing(exc: ApplicationError) -> Creditor | None:
    """The creditor a duplicate error names (重複の相手), to link to it."""
    pk = exc.extra.get("existing")
    return Creditor.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def _warn_similar(request: HttpRequest, user: User, creditor: Creditor) -> None:
    """Warn of creditors with the same name or kana once normalised (重複の疑い): saved, but worth a look."""
    similar = similar_creditors(user, creditor, limit=5)
    if similar:
        names = "、".join(f"{c.code} {c.name}" for c in similar)
        messages.warning(
            request,
            _("名称またはフリガナが同じ債権者があります（%(names)s）。重複していないか確認してください。")
            % {"names": names},
        )


def _saved_message(request: HttpRequest, creditor: Creditor) -> None:
    account = creditor.bank_accounts.filter(is_active=True).order_by("-is_default", "pk").first()
    text = _("債権者「%(code)s %(name)s」を登録しました。") % {"code": creditor.code, "name": creditor.name}
    if account is not None:
        text += _("口座名義は全銀の半角カナで「%(kana)s」として保存しました。") % {"kana": account.holder_kana}
    messages.success(request, text)


@login_required
def creditor_new(request: HttpRequest) -> HttpResponse:
    """Register a creditor (債権者の登録) with one bank account; nothing is saved on any error.

    A one-time token makes a double-submitted form register once and show that creditor.
    """
    user = finance_staff_of(request)
    if request.method != "POST":
        return _render_new(request, CreditorForm(initial={"form_token": new_form_token()}))
    form = CreditorForm(request.POST)
    if not form.is_valid():
        return _render_new(request, with_fresh_token(form), status=400)
    first, done = claim(form)
    if not first:
        messages.warning(request, _("この登録は既に送信されています。二重に登録していません。"))
        return redirect("finance:creditor", pk=done) if done else redirect("finance:creditors")
    account = form.account_input() if form.has_account() else None
    try:
        result = services.creditor_create(actor=user, bank_account=account, **form.creditor_fields())
    except ApplicationError as exc:
        apply_error(form, exc)
        return _render_new(request, with_fresh_token(form), status=exc.status_code, existing=_existing(exc))
    remember(form, result.creditor.pk)
    _saved_message(request, result.creditor)
    if result.warning:
        messages.warning(request, result.warning)
    _warn_similar(request, user, result.creditor)
    return redirect("finance:creditor", pk=result.creditor.pk)


def _holder_form(account: CreditorBankAccount, refused: HolderNameForm | None) -> HolderNameForm | None:
    """The account's 口座名義の訂正 form: the refused one again, a fresh one, or none for a stopped account."""
    if refused is not None and refused.prefix == f"holder-{account.pk}":
        return refused
    return HolderNameForm.of(account) if account.is_active else None


def detail_context(creditor: Creditor, holder_form: HolderNameForm | None = None, **extra: Any) -> dict[str, Any]:
    """A creditor's page: the record, its accounts (default first, stopped ones last) and the form to add one.

    ``rows`` pairs each account with its 口座名義の訂正 form; ``holder_form`` is one just refused.
    """
    accounts = CreditorBankAccount.objects.filter(creditor=creditor).order_by("-is_active", "-is_default", "pk")
    context: dict[str, Any] = {
        "creditor": creditor,
        "accounts": accounts,
        "rows": [(account, _holder_form(account, holder_form)) for account in accounts],
        "account_form": AccountAddForm(),
        "holder_form": holder_form,
    }
    context.update(extra)
    return context


def render_detail(
    request: HttpRequest, user: User, creditor: Creditor, status: int = 200, **extra: Any
) -> HttpResponse:
    """The creditor's page with every account; an individual's accounts are audited as viewed (閲覧記録)."""
    creditor_accounts_viewed(actor=user, creditors=[creditor], where="detail")
    return render(request, "finance/creditors/detail.html", detail_context(creditor, **extra), status=status)


@login_required
def creditor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One creditor with its bank accounts and 「口座の追加」; an individual's accounts are audited as viewed."""
    user = finance_staff_of(request)
    return render_detail(request, user, fetch_creditor(user, pk))


@login_required
@require_POST
def creditor_account_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a bank account (口座の追加); it becomes the default account for new payments."""
    user = finance_staff_of(request)
    creditor = fetch_creditor(user, pk)
    form = AccountAddForm(request.POST)
    status, existing = 400, None
    if form.is_valid():
        try:
            account = services.creditor_bank_account_add(actor=user, creditor=creditor, data=form.account_input())
        except ApplicationError as exc:
            apply_error(form, exc)
            status, existing = exc.status_code, _existing(exc)
        else:
            messages.success(
                request,
                _("口座（%(bank)s %(branch)s %(number)s）を追加しました。口座名義は「%(kana)s」です。")
                % {
                    "bank": account.bank_name,
                    "branch": account.branch_name,
                    "number": account.account_number,
                    "kana": account.holder_kana,
                },
            )
            return redirect("finance:creditor", pk=pk)
    return render_detail(request, user, creditor, status, account_form=form, existing=existing)


@login_required
@require_POST
def creditor_account_holder(request: HttpRequest, pk: int, account_id: int) -> HttpResponse:
    """Correct an account's holder name (口座名義の訂正); unpaid orders pay under it from the next file."""
    user = finance_staff_of(request)
    creditor = fetch_creditor(user, pk)
    account = CreditorBankAccount.objects.filter(pk=account_id, creditor=creditor).first()
    if account is None:
        raise Http404(_("この債権者の口座が見つかりません。"))
    form = HolderNameForm.of(account, request.POST)
    status = 400
    if form.is_valid():
        try:
            result = creditor_accounts.creditor_bank_account_correct_holder(
                actor=user, creditor=creditor, account_id=account_id, holder_name=form.cleaned_data["holder_name"]
            )
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
        else:
            names = {"account": str(result.account), "before": result.before, "after": result.account.holder_kana}
            if result.changed:
                text = _("口座（%(account)s）の口座名義を「%(before)s」から「%(after)s」に訂正しました。") % names
            else:
                text = _("口座（%(account)s）の口座名義は「%(after)s」のままです（変更はありません）。") % names
            messages.success(request, text)
            return redirect("finance:creditor", pk=pk)
    return render_detail(request, user, creditor, status, holder_form=form)


@login_required
def creditor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a creditor (債権者の変更): name, フリガナ, address, 登録番号, checked as on registration."""
    user = finance_staff_of(request)
    creditor = fetch_creditor(user, pk)
    if request.method != "POST":
        return render(
            request, "finance/creditors/edit.html", {"creditor": creditor, "form": CreditorEditForm.of(creditor)}
        )
    form = CreditorEditForm(request.POST)
    status, existing = 400, None
    if form.is_valid():
        try:
            result = creditor_services.creditor_update(actor=user, creditor=creditor, **form.creditor_fields())
        except ApplicationError as exc:
            apply_error(form, exc)
            status, existing = exc.status_code, _existing(exc)
        else:
            messages.success(
                request,
                _("債権者「%(code)s %(name)s」を変更しました。")
                % {"code": creditor.code, "name": result.creditor.name},
            )
            if result.warning:
                messages.warning(request, result.warning)
            _warn_similar(request, user, result.creditor)
            return redirect("finance:creditor", pk=pk)
    context = {"creditor": creditor, "form": form, "existing": existing}
    return render(request, "finance/creditors/edit.html", context, status=status)


def _act(request: HttpRequest, pk: int, act: Callable[[User, Creditor], str]) -> HttpResponse:
    """Run a maintenance service from a button; its refusal is shown on the creditor's page (not 200)."""
    user = finance_staff_of(request)
    creditor = fetch_creditor(user, pk)
    try:
        messages.success(request, act(user, creditor))
    except ApplicationError as exc:
        return render_detail(request, user, fetch_creditor(user, pk), exc.status_code, action_error=exc.message)
    return redirect("finance:creditor", pk=pk)


@login_required
@require_POST
def creditor_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a creditor (債権者の停止); refused while undecided or unpaid orders use it."""

    def act(user: User, creditor: Creditor) -> str:
        creditor_services.creditor_deactivate(actor=user, creditor=creditor)
        return _("債権者「%(code)s %(name)s」を停止しました。") % {"code": creditor.code, "name": creditor.name}

    return _act(request, pk, act)


@login_required
@require_POST
def creditor_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Restart a stopped creditor (債権者の停止の解除)."""

    def act(user: User, creditor: Creditor) -> str:
        creditor_services.creditor_reactivate(actor=user, creditor=creditor)
        return _("債権者「%(code)s %(name)s」の停止を解除しました。") % {"code": creditor.code, "name": creditor.name}

    return _act(request, pk, act)


@login_required
@require_POST
def creditor_account_default(request: HttpRequest, pk: int, account_id: int) -> HttpResponse:
    """Make an account the default (既定の口座の変更) for new payment orders."""

    def act(user: User, creditor: Creditor) -> str:
        account = creditor_accounts.creditor_bank_account_set_default(
            actor=user, creditor=creditor, account_id=account_id
        )
        return _("口座（%(account)s）を既定の振込先にしました。") % {"account": str(account)}

    return _act(request, pk, act)


def _account_text(result: services.BankAccountResult) -> str:
    """「既定の振込先は…です。」, or that there is none in use (振込口座がない), after a stop or restart."""
    if result.default is None:
        return _("使える振込口座がありません。口座を追加してください。")
    return _("既定の振込先は「%(account)s」です。") % {"account": str(result.default)}


@login_required
@require_POST
def creditor_account_deactivate(request: HttpRequest, pk: int, account_id: int) -> HttpResponse:
    """Stop an account (振込口座の停止); refused while undecided or unpaid orders pay to it."""

    def act(user: User, creditor: Creditor) -> str:
        result = services.creditor_bank_account_deactivate(actor=user, creditor=creditor, account_id=account_id)
        return _("口座（%(account)s）を停止しました。") % {"account": str(result.account)} + _account_text(result)

    return _act(request, pk, act)


@login_required
@require_POST
def creditor_account_reactivate(request: HttpRequest, pk: int, account_id: int) -> HttpResponse:
    """Use a stopped account again (振込口座の再開); refused when the same account is in use again."""

    def act(user: User, creditor: Creditor) -> str:
        result = services.creditor_bank_account_reactivate(actor=user, creditor=creditor, account_id=account_id)
        return _("口座（%(account)s）を再開しました。") % {"account": str(result.account)} + _account_text(result)

    return _act(request, pk, act)


urlpatterns: list[URLPattern] = [
    path("creditors/", creditor_list, name="creditors"),
    path("creditors/new/", creditor_new, name="creditor_new"),
    path("creditors/<id:pk>/", creditor_detail, name="creditor"),
    path("creditors/<id:pk>/edit/", creditor_edit, name="creditor_edit"),
    path("creditors/<id:pk>/deactivate/", creditor_deactivate, name="creditor_deactivate"),
    path("creditors/<id:pk>/reactivate/", creditor_reactivate, name="creditor_reactivate"),
    path("creditors/<id:pk>/accounts/", creditor_account_add, name="creditor_account_add"),
    path(
        "creditors/<id:pk>/accounts/<id:account_id>/default/",
        creditor_account_default,
        name="creditor_account_default",
    ),
    path(
        "creditors/<id:pk>/accounts/<id:account_id>/deactivate/",
        creditor_account_deactivate,
        name="creditor_account_deactivate",
    ),
    path(
        "creditors/<id:pk>/accounts/<id:account_id>/reactivate/",
        creditor_account_reactivate,
        name="creditor_account_reactivate",
    ),
    path(
        "creditors/<id:pk>/accounts/<id:account_id>/holder/",
        creditor_account_holder,
        name="creditor_account_holder",
    ),
]
