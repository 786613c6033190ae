"""The policy screen (リモートアクセスの方針): the 情報政策 role sees and changes the rules. Thin view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.telework import services
from cityhall.telework.access import PolicyRemoteRefused
from cityhall.telework.forms.policy import PolicyForm
from cityhall.telework.forms.requests import LimitsForm
from cityhall.telework.models import TeleworkLimits
from cityhall.telework.selectors import ROLES, policy_rows


@login_required
def policy_view(request: HttpRequest) -> HttpResponse:
    """Show the policy; on POST replace its rules (refused changes keep the form with the reason)."""
    user = user_of(request)
    try:
        rows = policy_rows(user)
    except PermissionDenied as exc:
        raise Http404(_("ページが見つかりません。")) from exc
    except PolicyRemoteRefused:
        return render(request, "telework/refused.html", {}, status=403)
    form = PolicyForm(rows, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changed = services.remote_policy_set(actor=user, rules=form.rules())
            except ApplicationError as exc:
                apply_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("方針を保存しました。") if changed else _("方針は変わっていません。"))
                return redirect("telework:policy")
    return render(request, "telework/policy/edit.html", {"form": form, "roles": ROLES}, status=status)


@login_required
def limits_view(request: HttpRequest) -> HttpResponse:
    """The limits of telework days (テレワークの上限) and the switch 「承認されたテレワーク日のみ」; 情報政策 only."""
    user = user_of(request)
    try:
        policy_rows(user)
    except PermissionDenied as exc:
        raise Http404(_("ページが見つかりません。")) from exc
    except PolicyRemoteRefused:
        return render(request, "telework/refused.html", {}, status=403)
    current = TeleworkLimits.current()
    initial = {f: getattr(current, f) for f in ("max_days_per_week", "max_section_percent", "approved_days_only")}
    form = LimitsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changed = services.telework_limits_set(actor=user, limits=services.LimitsInput(**form.cleaned_data))
            except ApplicationError as exc:
                apply_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("上限を保存しました。") if changed else _("上限は変わっていません。"))
                return redirect("telework:limits")
    return render(request, "telework/policy/limits.html", {"form": form}, status=status)
