"""The accounting manager's review (会計管理者審査): the queue with the checks, approve and return.

Only the accounting manager (Role.TREASURER) reviews; for anyone else the pages
answer 404 like a missing page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.finance.forms.review import ReturnForm
from cityhall.finance.models import PaymentOrder
from cityhall.finance.order_sources import SourceLink, order_sources
from cityhall.finance.selectors.review import PayeeRow, review_checks, review_payees, review_queue, review_warnings
from cityhall.finance.services.review import (
    order_review_approve,
    order_review_return,
)
from cityhall.finance.views._common import treasurer_of

PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueRow:
    """One order of the review queue with its checks (審査項目)."""

    order: PaymentOrder
    checks: list[Any]
    passed: bool
    return_form: ReturnForm
    warnings: list[Any]
    payees: list[PayeeRow]
    sources: list[SourceLink]


def _queue_context(user: User, failed: ReturnForm | None = None, failed_pk: int | None = None) -> dict[str, Any]:
    orders = list(review_queue(user).select_related("allotment__line", "encumbrance__document")[:PAGE_SIZE])
    sources = order_sources(user, [order.pk for order in orders])
    rows = []
    for order in orders:
        checks = review_checks(order)
        form = failed if failed is not None and order.pk == failed_pk else ReturnForm(prefix=f"return-{order.pk}")
        passed = all(check.ok for check in checks)
        found = sources.get(order.pk, [])
        rows.append(QueueRow(order, checks, passed, form, review_warnings(order), review_payees(order), found))
    return {"rows": rows, "total": review_queue(user).count(), "failed": failed}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Decided orders waiting for review (審査待ち) with the checks the law names."""
    return render(request, "finance/review/queue.html", _queue_context(treasurer_of(request)))


def _queued_order(user: User, pk: int) -> PaymentOrder:
    order = review_queue(user).filter(pk=pk).first()
    if order is None:
        raise Http404(_("審査待ちの支出命令が見つかりません。"))
    return order


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve an order (審査済): it joins the open batch of its payment date."""
    user = treasurer_of(request)
    order = _queued_order(user, pk)
    try:
        order_review_approve(actor=user, order=order)
    except ApplicationError as exc:
        messages.error(request, f"{order.document.number_label}: {exc.message}")
    else:
        messages.success(request, _("%(number)s を審査済にしました。") % {"number": order.document.number_label})
    return redirect("finance:review_queue")


@login_required
@require_POST
def return_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Return an order with a reason (返付); its budget is released."""
    user = treasurer_of(request)
    order = _queued_order(user, pk)
    form = ReturnForm(request.POST, prefix=f"return-{pk}")
    status = 400
    if form.is_valid():
        try:
            order_review_return(actor=user, order=order, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error("reason" if exc.field in (None, "reason") else None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("%(number)s を返付しました。") % {"number": order.document.number_label})
            return redirect("finance:review_queue")
    context = _queue_context(user, failed=form, failed_pk=pk)
    return render(request, "finance/review/queue.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("review/", queue, name="review_queue"),
    path("review/<id:pk>/approve/", approve, name="review_approve"),
    path("review/<id:pk>/return/", return_order, name="review_return"),
]
