"""Payment batches (支払データ): the list, one batch, the 全銀 file, paid, and returning an order.

Only the accounting manager (Role.TREASURER) exports, marks paid and returns; the
accounting office (Role.ACCOUNTING) may read the batches, as through the API. For
anyone else the pages answer 404 like a missing page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.finance.forms.review import ExportConfirmForm, ReturnForm
from cityhall.finance.models import BatchStatus, PaymentBatch, PaymentOrder
from cityhall.finance.selectors.batches import (
    batch_detail,
    batch_orders,
    batch_rows,
    batch_totals,
    batches_for,
    may_see_batches,
    send_by,
    send_is_late,
)
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.finance.services.batches import batch_export as export
from cityhall.finance.services.batches import batch_file, batch_mark_paid
from cityhall.finance.services.review import (
    order_review_return_approved,
)
from cityhall.finance.views._common import treasurer_of

PAGE_SIZE = 50
ZENGIN_CONTENT_TYPE = "text/plain; charset=Shift_JIS"


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    """Payment batches by payment date (支払データの一覧): 会計管理者 and 会計 (read only)."""
    user = user_of(request)
    if not may_see_batches(user):
        raise Http404(_("ページが見つかりません。"))
    page = Paginator(batch_rows(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "finance/batches/list.html", {"page": page, "can_act": is_treasurer(user)})


def _fetch_batch(user: User, pk: int) -> PaymentBatch:
    try:
        return batch_detail(user, pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc


@dataclass(frozen=True)
class BatchRow:
    """One order of a batch; ``return_form`` (返付) while the batch is open and the user is the 会計管理者."""

    order: PaymentOrder
    return_form: ReturnForm | None


def _batch_context(
    user: User, batch: PaymentBatch, failed: ReturnForm | None = None, failed_pk: int | None = None
) -> dict[str, Any]:
    can_act = is_treasurer(user)
    returnable = can_act and batch.status == BatchStatus.OPEN
    rows = []
    for order in batch_orders(batch):
        form = None
        if returnable:
            form = failed if failed is not None and order.pk == failed_pk else ReturnForm(prefix=f"return-{order.pk}")
        rows.append(BatchRow(order, form))
    return {
        "batch": batch,
        "rows": rows,
        "returnable": returnable,
        "failed": failed,
        "can_act": can_act,
        "send_by": send_by(batch),
        "send_is_late": send_is_late(batch),
    }


@login_required
def batch_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch with its orders; 「振込データを出力」, 「支払済にする」 and 「返付」 for the 会計管理者."""
    user = user_of(request)
    return render(request, "finance/batches/detail.html", _batch_context(user, _fetch_batch(user, pk)))


@login_required
@require_POST
def batch_order_return(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Return an approved order of an open batch with a reason (返付): it leaves the batch, its budget is released.

    A batch left without orders is deleted by the service; the list of batches is shown then.
    """
    user = treasurer_of(request)
    batch = _fetch_batch(user, pk)
    order = batch_orders(batch).filter(pk=order_pk).first()
    if order is None:
        raise Http404(_("この支払データに支出命令が見つかりません。"))
    form = ReturnForm(request.POST, prefix=f"return-{order_pk}")
    status = 400
    if form.is_valid():
        try:
            order_review_return_approved(actor=user, order=order, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error("reason" if exc.field in (None, "reason") else None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("%(number)s を返付しました。") % {"number": order.document.number_label})
            if batches_for(user).filter(pk=pk).exists():
                return redirect("finance:batch", pk=pk)
            messages.info(request, _("支出命令がなくなったため、この支払データを削除しました。"))
            return redirect("finance:batches")
    batch = _fetch_batch(user, pk)  # as it is now: another change may have come first
    if batch.status != BatchStatus.OPEN:  # exported or paid meanwhile: no return forms to show the error in
        reasons = " ".join(str(message) for errors in form.errors.values() for message in errors)
        messages.error(request, f"{order.document.number_label}: {reasons}")
        return redirect("finance:batch", pk=pk)
    context = _batch_context(user, batch, failed=form, failed_pk=order_pk)
    return render(request, "finance/batches/detail.html", context, status=status)


def _download(file_name: str, content: bytes) -> HttpResponse:
    name = PurePosixPath(file_name).name or "zengin.txt"
    response = HttpResponse(content, content_type=ZENGIN_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _confirm(request: HttpRequest, batch: PaymentBatch, form: ExportConfirmForm, status: int = 200) -> HttpResponse:
    totals = batch_totals(batch)
    orders = totals.transfer_orders + totals.cash_orders
    total = totals.transfer_total + totals.cash_total
    if not form.is_bound:
        form = ExportConfirmForm(initial={"expected_orders": orders, "expected_total": total})
    context = {"batch": batch, "totals": totals, "orders": orders, "total": total, "form": form}
    return render(request, "finance/batches/export_confirm.html", context, status=status)


@login_required
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the count and total (GET), then write the batch's 全銀 総合振込 file (POST, 振込データを出力).

    After the export the batch's page is shown again, as 出力済 with its file to download,
    so the screen never keeps the state from before the export.
    """
    user = treasurer_of(request)
    batch = _fetch_batch(user, pk)
    if request.method != "POST":
        if batch.status != BatchStatus.OPEN:
            return redirect("finance:batch", pk=pk)
        return _confirm(request, batch, ExportConfirmForm())
    form = ExportConfirmForm(request.POST)
    if not form.is_valid():
        return _confirm(request, batch, form, status=400)
    expected = (form.cleaned_data["expected_orders"], form.cleaned_data["expected_total"])
    try:
        result = export(actor=user, batch=batch, expected=expected)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        if batch.status == BatchStatus.OPEN and exc.field == "batch" and exc.status_code == 409:
            return redirect("finance:batch_export", pk=pk)  # the figures changed: confirm them again
        return redirect("finance:batch", pk=pk)
    figures = {"count": expected[0], "total": f"{expected[1]:,}"}
    if result.content:
        messages.success(request, _("振込データを出力しました（%(count)s件、%(total)s円）。") % figures)
    else:  # 窓口払 only: the batch is fixed, but there is no transfer to send
        messages.success(
            request,
            _(
                "支払データを確定しました（%(count)s件、%(total)s円）。口座振込がないため振込データのファイルはありません。"
            )
            % figures,
        )
    return redirect("finance:batch", pk=pk)


@login_required
def batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the exported file again (振込データの再取得)."""
    user = treasurer_of(request)
    batch = _fetch_batch(user, pk)
    try:
        content = batch_file(actor=user, batch=batch)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("finance:batch", pk=pk)
    return _download(batch.file_name, content)


@login_required
@require_POST
def batch_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an exported batch paid (支払済にする): the budget lines show it as paid."""
    user = treasurer_of(request)
    batch = _fetch_batch(user, pk)
    try:
        batch_mark_paid(actor=user, batch=batch)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("支払済にしました。"))
    return redirect("finance:batch", pk=pk)


urlpatterns: list[URLPattern] = [
    path("batches/", batch_list, name="batches"),
    path("batches/<id:pk>/", batch_view, name="batch"),
    path("batches/<id:pk>/export/", batch_export, name="batch_export"),
    path("batches/<id:pk>/file/", batch_download, name="batch_file"),
    path("batches/<id:pk>/paid/", batch_paid, name="batch_paid"),
    path("batches/<id:pk>/orders/<id:order_pk>/return/", batch_order_return, name="batch_order_return"),
]
