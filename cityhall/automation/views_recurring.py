"""The recurring payments screen (定例支払): the section's templates, a new one, and a month's orders.

Anyone signed in manages their own section's templates; the month's orders are drafted by them
through ``services.recurring`` and listed with what became of each.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.automation.forms import RecurringForm
from cityhall.automation.models import RecurringPayment
from cityhall.automation.services.recurring import month_summary, recurring_create, recurring_month
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.core.japanese import fiscal_year
from cityhall.documents.rules import section_of
from cityhall.finance.models import Creditor
from cityhall.finance.selectors.budget import lines_for

TEMPLATE = "automation/recurring.html"


def _form(user: User, data: object = None) -> RecurringForm:
    year = fiscal_year(timezone.localdate())
    lines = lines_for(user).filter(fiscal_year__in=[year, year + 1], setsu__isnull=False, budget_kind="current")
    creditors = Creditor.objects.filter(is_active=True).order_by("code")
    return RecurringForm(data, creditors=creditors, lines=lines)


def _months() -> list[dt.date]:
    first = timezone.localdate().replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return [first, following]


def _page(request: HttpRequest, user: User, **extra: object) -> HttpResponse:
    section = section_of(user, on=timezone.localdate())
    templates = RecurringPayment.objects.filter(section=section, is_active=True).select_related("creditor", "line")
    context = {"templates": templates, "months": _months(), "form": _form(user), **extra}
    return render(request, TEMPLATE, context, status=400 if "errors" in extra or extra.get("invalid") else 200)


@login_required
def recurring(request: HttpRequest) -> HttpResponse:
    """The section's recurring payments; POST adds one."""
    user = user_of(request)
    if request.method != "POST":
        return _page(request, user)
    form = _form(user, request.POST)
    if form.is_valid():
        try:
            recurring_create(actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("定例支払を登録しました。"))
            return redirect("automation:recurring")
    return _page(request, user, form=form, invalid=True)


@login_required
def recurring_generate(request: HttpRequest) -> HttpResponse:
    """Draft the chosen month's orders of every active template (変動分 entered per template)."""
    user = user_of(request)
    if request.method != "POST":
        return redirect("automation:recurring")
    months = {f"{m:%Y-%m}": m for m in _months()}
    month = months.get(request.POST.get("month", ""))
    if month is None:
        return _page(request, user, errors=[_("対象の月を選んでください。")])
    variable = {
        int(key.removeprefix("variable-")): value
        for key, value in request.POST.items()
        if key.startswith("variable-") and key.removeprefix("variable-").isdigit()
    }
    try:
        items = recurring_month(actor=user, month=month, variable=variable)
    except ApplicationError as exc:
        return _page(request, user, errors=[exc.message])
    messages.success(request, month_summary(items))
    return _page(request, user, results=items, month=month)


urlpatterns: list[URLPattern] = [
    path("recurring/", recurring, name="recurring"),
    path("recurring/generate/", recurring_generate, name="recurring_generate"),
]
