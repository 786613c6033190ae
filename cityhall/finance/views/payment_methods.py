"""Screens after a payment (支払後): the 精算 of a 資金前渡・概算払 and the 戻入 of a paid order.

Both post from the order's page and come back to it; the services check everything (令159・161・162条).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.japanese.display import shown_yen
from cityhall.finance.forms.payment_orders import RefundForm, SettlementForm
from cityhall.finance.services.payment_methods import order_refund, order_settle
from cityhall.finance.views.payment_orders import fetch_order


def _first_error(form: Any) -> str:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return _("入力内容を確認してください。")


@login_required
@require_POST
def payment_settle(request: HttpRequest, pk: int) -> HttpResponse:
    """Settle a paid 資金前渡 or 概算払 (精算); the unused part is recorded as a 戻入."""
    order = fetch_order(request, pk)
    form = SettlementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("finance:payment_order", pk=pk)
    try:
        made = order_settle(
            actor=user_of(request), order=order, actual=form.cleaned_data["actual"], note=form.cleaned_data["note"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("finance:payment_order", pk=pk)
    text = _("精算しました（精算額 %(actual)s）。") % {"actual": shown_yen(made.actual)}
    if made.returned:
        text += _("戻入額 %(amount)s を記録しました。") % {"amount": shown_yen(made.returned)}
    if made.additional:
        text += _("追加支払額 %(amount)s の支出命令を起案してください。") % {"amount": shown_yen(made.additional)}
    messages.success(request, text)
    return redirect("finance:payment_order", pk=pk)


@login_required
@require_POST
def payment_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a 戻入 (令159条) against a paid order."""
    order = fetch_order(request, pk)
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("finance:payment_order", pk=pk)
    try:
        made = order_refund(
            actor=user_of(request), order=order, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("finance:payment_order", pk=pk)
    messages.success(request, _("戻入 %(amount)s を記録しました。") % {"amount": shown_yen(made.amount)})
    return redirect("finance:payment_order", pk=pk)


urlpatterns: list[URLPattern] = [
    path("payments/<id:pk>/settle/", payment_settle, name="payment_order_settle"),
    path("payments/<id:pk>/refund/", payment_refund, name="payment_order_refund"),
]
