"""Paying accounts per 会計 (会計別の支払口座): the list, and the 会計管理者's form for one 会計.

The 会計管理者 and the accounting office (Role.ACCOUNTING) see the list; only the
会計管理者 changes an account. For anyone else the pages answer 404 like a missing page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.finance.forms.paying_accounts import PayingAccountForm
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.finance.selectors.paying_accounts import paying_account_target, paying_accounts_for
from cityhall.finance.services.paying_accounts import account_set_paying_account
from cityhall.finance.views._common import treasurer_of

_FIELDS = ("requester_code", "requester_name", "bank_code", "branch_code", "account_type", "account_number")


@login_required
def paying_account_list(request: HttpRequest) -> HttpResponse:
    """Every 会計 with the paying account its 全銀 files use (会計管理者 and 会計)."""
    user = user_of(request)
    rows = paying_accounts_for(user)
    if not rows:
        raise Http404(_("ページが見つかりません。"))
    return render(request, "finance/paying_accounts/list.html", {"rows": rows, "can_act": is_treasurer(user)})


@login_required
def paying_account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Set one 会計's paying account (会計管理者); all fields blank returns it to the city-wide setting."""
    user = treasurer_of(request)
    account = paying_account_target(user, pk)
    if account is None:
        raise Http404(_("会計が見つかりません。"))
    if request.method != "POST":
        initial = {name: getattr(account, f"payer_{name}") for name in _FIELDS}
        form = PayingAccountForm(initial=initial)
        return render(request, "finance/paying_accounts/edit.html", {"account": account, "form": form})
    form = PayingAccountForm(request.POST)
    if form.is_valid():
        try:
            account = account_set_paying_account(actor=user, account=account, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("%(name)sの支払口座を保存しました。") % {"name": account.name})
            return redirect("finance:paying_accounts")
    return render(request, "finance/paying_accounts/edit.html", {"account": account, "form": form}, status=400)


urlpatterns: list[URLPattern] = [
    path("paying-accounts/", paying_account_list, name="paying_accounts"),
    path("paying-accounts/<id:pk>/", paying_account_edit, name="paying_account"),
]
