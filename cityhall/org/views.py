"""IT's account-support screen (アカウントの支援): enrolment codes and lock-out release. Thin views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ValidationFailed
from cityhall.org import services


class UsernameForm(forms.Form):
    """The user name of the official to help (ユーザー名)."""

    username = forms.CharField(
        label=gettext_lazy("ユーザー名"),
        max_length=150,
        error_messages={"required": gettext_lazy("ユーザー名を入力してください。")},
    )


@login_required
@never_cache
def account_support(request: HttpRequest) -> HttpResponse:
    """Issue a one-time enrolment code (shown once) or lift a lock-out for a user name."""
    actor = user_of(request)
    if not services.may_support_accounts(actor):
        raise Http404(_("ページが見つかりません。"))
    action = request.POST.get("action") if request.method == "POST" else None
    form = UsernameForm(request.POST if action else None)
    context: dict[str, Any] = {"form": form}
    if action and form.is_valid():
        username = form.cleaned_data["username"]
        try:
            if action == "issue":
                context["issued_code"] = services.enrolment_code_issue(actor=actor, username=username)
            elif action == "unlock":
                context["unlocked"] = services.account_unlock(actor=actor, username=username)
            context["done_for"] = username
        except ValidationFailed as error:
            form.add_error("username", error.message)
    status = 400 if form.errors else 200
    return render(request, "org/account_support.html", context, status=status)
