"""The 事務決裁規程 screens: the rows for everyone; add, change, end and cancel for the 文書主管, with a preview.

Every edit can be previewed first: the route a sample matter gets today beside the route it would
get from the edit's 施行日 with the edit put in (``selectors_rules.compare_routes``); nothing is
saved until the 文書主管 presses 保存.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.documents import services
from cityhall.documents.forms_rules import RuleChangeForm, RuleEndForm, RuleForm, RulePreviewForm
from cityhall.documents.models import DelegationRule
from cityhall.documents.selectors_rules import Proposed, compare_routes, next_change_day, rule_for, rule_table
from cityhall.documents.services._common import is_document_manager


def _manager(request: HttpRequest) -> User:
    """The signed-in 文書主管; anyone else finds no editing screens (404)."""
    user = user_of(request)
    if not is_document_manager(user, on=timezone.localdate()):
        raise Http404(_("ページが見つかりません。"))
    return user


def _rule(pk: int) -> DelegationRule:
    try:
        return rule_for(pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc


def _listed(rule: DelegationRule) -> str:
    return f"{reverse('documents:delegation_rules')}#rule-{rule.pk}"


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """事務決裁規程: the rows in effect and scheduled (``?show=all``: ended too), and the route preview."""
    day = timezone.localdate()
    bound = "matter_kind" in request.GET
    form = RulePreviewForm(request.GET if bound else None, initial={"later": next_change_day(on=day)})
    comparison = None
    if bound and form.is_valid():
        d = form.cleaned_data
        comparison = compare_routes(
            matter_kind=d["matter_kind"],
            amount=d["amount"],
            section=d["section"],
            setsu=d["setsu"].strip(),
            on=day,
            later=d["later"],
        )
    context = {
        "table": rule_table(on=day, include_ended=request.GET.get("show") == "all"),
        "show_all": request.GET.get("show") == "all",
        "form": form,
        "comparison": comparison,
        "can_edit": is_document_manager(user_of(request), on=day),
        "today": day,
    }
    return render(request, "documents/rules/list.html", context, status=200 if form.is_valid() or not bound else 400)


def _proposed(data: dict[str, Any], replacing: DelegationRule | None) -> Proposed:
    """The row the form describes, unsaved, for the preview."""
    base = replacing
    rule = DelegationRule(
        matter_kind=base.matter_kind if base is not None else data["matter_kind"],
        unit=base.unit if base is not None else data["unit"],
        budget_setsu=base.budget_setsu if base is not None else data["budget_setsu"].strip(),
        amount_below=data["amount_below"],
        decider_post=data["decider_post"],
        label=data["label"],
        valid_from=data["valid_from"],
    )
    return Proposed(rule, tuple(data["consult_units"]), replacing)


def _preview(form: RuleForm, replacing: DelegationRule | None) -> Any:
    """Both routes of the form's sample matter, or None with the missing sample named next to its field."""
    d = form.cleaned_data
    if d.get("sample_section") is None:
        form.add_error("sample_section", _("プレビューする例の課を選んでください。"))
        return None
    proposed = _proposed(d, replacing)
    return compare_routes(
        matter_kind=proposed.rule.matter_kind,
        amount=d["sample_amount"],
        section=d["sample_section"],
        setsu=d["sample_setsu"].strip() or proposed.rule.budget_setsu,
        on=timezone.localdate(),
        later=d["valid_from"],
        proposed=proposed,
    )


def _form_page(request: HttpRequest, form: RuleForm, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "documents/rules/form.html", {"form": form, **extra}, status=status)


@login_required
def rule_new(request: HttpRequest) -> HttpResponse:
    """Add a row (行の追加): preview it against a sample matter, then save it from its 施行日."""
    user = _manager(request)
    if request.method != "POST":
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        return _form_page(request, RuleForm(initial={"valid_from": tomorrow}))
    form = RuleForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    if "preview" in request.POST:
        comparison = _preview(form, None)
        return _form_page(request, form, status=200 if comparison else 400, comparison=comparison)
    d = form.cleaned_data
    try:
        rule = services.delegation_rule_add(
            actor=user,
            matter_kind=d["matter_kind"],
            unit=d["unit"],
            budget_setsu=d["budget_setsu"],
            amount_below=d["amount_below"],
            decider_post=d["decider_post"],
            label=d["label"],
            consult_units=list(d["consult_units"]),
            valid_from=d["valid_from"],
            note=d["note"],
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return _form_page(request, form, status=exc.status_code)
    messages.success(request, _("事務決裁規程に行を追加しました。"))
    return redirect(_listed(rule))


def _row_page(request: HttpRequest, rule: DelegationRule, status: int = 200, **forms: Any) -> HttpResponse:
    """A row's page: the change form (with its preview), the end form, and cancel for a row not yet in effect."""
    today = timezone.localdate()
    forms.setdefault(
        "form",
        RuleChangeForm(
            initial={
                "decider_post": rule.decider_post,
                "label": rule.label,
                "amount_below": rule.amount_below,
                "consult_units": list(rule.consult_units.all()),
                "valid_from": max(today, rule.valid_from) + dt.timedelta(days=1),
                "sample_setsu": rule.budget_setsu,
            }
        ),
    )
    forms.setdefault("end_form", RuleEndForm(initial={"last_day": today}))
    return render(request, "documents/rules/form.html", {"rule": rule, "today": today, **forms}, status=status)


@login_required
def rule_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a row from a future day (改正): its successor takes over; preview first."""
    user = _manager(request)
    rule = _rule(pk)
    if request.method != "POST":
        return _row_page(request, rule)
    form = RuleChangeForm(request.POST)
    if not form.is_valid():
        return _row_page(request, rule, status=400, form=form)
    if "preview" in request.POST:
        comparison = _preview(form, rule)
        return _row_page(request, rule, status=200 if comparison else 400, form=form, comparison=comparison)
    d = form.cleaned_data
    try:
        new = services.delegation_rule_change(
            actor=user,
            rule=rule,
            valid_from=d["valid_from"],
            amount_below=d["amount_below"],
            decider_post=d["decider_post"],
            label=d["label"],
            consult_units=list(d["consult_units"]),
            note=d["note"],
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return _row_page(request, rule, status=exc.status_code, form=form)
    day = f"{new.valid_from:%Y年%m月%d日}"
    messages.success(request, _("事務決裁規程を改正しました（%(day)s施行）。") % {"day": day})
    return redirect(_listed(new))


@login_required
@require_POST
def rule_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a row (廃止): it applies up to the day given."""
    user = _manager(request)
    rule = _rule(pk)
    form = RuleEndForm(request.POST)
    if not form.is_valid():
        return _row_page(request, rule, status=400, end_form=form)
    try:
        services.delegation_rule_end(
            actor=user, rule=rule, last_day=form.cleaned_data["last_day"], note=form.cleaned_data["note"]
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return _row_page(request, rule, status=exc.status_code, end_form=form)
    messages.success(request, _("事務決裁規程の行を廃止しました。"))
    return redirect(_listed(rule))


@login_required
@require_POST
def rule_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a row not yet in effect (取消); the row it was to replace applies again."""
    user = _manager(request)
    rule = _rule(pk)
    try:
        services.delegation_rule_cancel(actor=user, rule=rule)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("documents:delegation_rule", pk=pk)
    messages.success(request, _("施行前の行を取り消しました。"))
    return redirect("documents:delegation_rules")
