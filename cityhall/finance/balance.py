"""Budget control (予算統制): the available balance of an allotment and the hard stop.

available (執行可能額) = allotment (配当額) − encumbered (支出負担行為額) − orders
without encumbrance (負担行為を伴わない支出命令: 支出負担行為兼支出命令 and 集合支出命令).
An encumbrance or such an order counts from the moment it is submitted (回議中, 予約)
until it is withdrawn, rejected, sent back, cancelled or (an order) returned by the
accounting manager (返付), so that two drafts in
circulation can never promise the same yen. Callers lock the allotment row
(``lock_allotment``) in the transaction that reserves the amount.
"""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import format_yen
from cityhall.documents.models import DECIDED_STATUSES, DocumentStatus
from cityhall.finance.models import (
    SELF_COMMITTING_KINDS,
    Allotment,
    BudgetLine,
    BudgetTransfer,
    Encumbrance,
    PaymentOrder,
    ReviewStatus,
)

# Document states in which an encumbrance holds budget (予約・負担済).
HOLDING_STATUSES = (DocumentStatus.CIRCULATING, DocumentStatus.DECIDED, DocumentStatus.CLOSED)


def lock_allotment(allotment_id: int) -> Allotment:
    """The allotment row, locked for the rest of the transaction (select_for_update)."""
    return Allotment.objects.select_for_update(of=("self",)).select_related("line").get(pk=allotment_id)


def lock_line(line_id: int) -> BudgetLine:
    """The budget line row, locked for the rest of the transaction (select_for_update)."""
    return BudgetLine.objects.select_for_update(of=("self",)).get(pk=line_id)


def line_amount(line: BudgetLine, *, exclude_document_id: int | None = None) -> int:
    """The line's current budget (予算現額): versions (当初 + 補正) plus decided transfers in, minus transfers out.

    A transfer out (流用) counts from its submission, a transfer in only once decided.
    """
    versions = line.amounts.aggregate(total=Sum("amount"))["total"] or 0
    incoming = BudgetTransfer.objects.filter(target=line, document__status__in=DECIDED_STATUSES)
    outgoing = BudgetTransfer.objects.filter(source=line, document__status__in=HOLDING_STATUSES)
    if exclude_document_id is not None:
        outgoing = outgoing.exclude(document_id=exclude_document_id)
    gained = incoming.aggregate(total=Sum("amount"))["total"] or 0
    given = outgoing.aggregate(total=Sum("amount"))["total"] or 0
    return int(versions + gained - given)


def require_unallotted(line: BudgetLine, amount: int, *, exclude_document_id: int | None = None) -> int:
    """Hard stop for a transfer (流用): the amount must be within the line's budget not yet allotted.

    The caller holds the lock on ``line``. Returns the unallotted amount before the transfer.
    """
    free = line_amount(line, exclude_document_id=exclude_document_id) - allotted_amount(line)
    if amount > free:
        raise ValidationFailed(
            f"流用元の予算残額が不足しています（予算科目: {line.label}、"
            f"未配当額: {format_yen(max(free, 0))}、流用額: {format_yen(amount)}）。",
            field="amount",
            extra={"available": free, "requested": amount},
        )
    return free


def allotted_amount(line: BudgetLine, *, exclude_allotment_id: int | None = None) -> int:
    """The sum allotted (配当済額) from the line to all sections."""
    rows = Allotment.objects.filter(line=line)
    if exclude_allotment_id is not None:
        rows = rows.exclude(pk=exclude_allotment_id)
    return int(rows.aggregate(total=Sum("amount"))["total"] or 0)


def encumbered_amount(allotment: Allotment, *, exclude_document_id: int | None = None) -> int:
    """The amount held by encumbrances of the allotment (支出負担行為額, 回議中を含む)."""
    rows = Encumbrance.objects.filter(
        allotment=allotment, cancelled_at__isnull=True, document__status__in=HOLDING_STATUSES
    )
    if exclude_document_id is not None:
        rows = rows.exclude(document_id=exclude_document_id)
    return int(rows.aggregate(total=Sum("amount"))["total"] or 0)


def holding_orders() -> QuerySet[PaymentOrder]:
    """Payment orders that hold budget: submitted or decided, and not returned (返付) by the accounting manager."""
    return PaymentOrder.objects.filter(document__status__in=HOLDING_STATUSES).exclude(
        review_status=ReviewStatus.RETURNED
    )


def unencumbered_orders_amount(allotment: Allotment, *, exclude_document_id: int | None = None) -> int:
    """The amount of orders without encumbrance (負担行為を伴わない支出命令) on the allotment."""
    rows = holding_orders().filter(allotment=allotment, kind__in=SELF_COMMITTING_KINDS)
    if exclude_document_id is not None:
        rows = rows.exclude(document_id=exclude_document_id)
    return int(rows.aggregate(total=Sum("total_amount"))["total"] or 0)


def ordered_against(encumbrance: Encumbrance, *, exclude_document_id: int | None = None) -> int:
    """The amount already ordered against an encumbrance (支出命令済額), orders in circulation included."""
    rows = holding_orders().filter(encumbrance=encumbrance)
    if exclude_document_id is not None:
        rows = rows.exclude(document_id=exclude_document_id)
    return int(rows.aggregate(total=Sum("total_amount"))["total"] or 0)


def available_amount(allotment: Allotment, *, exclude_document_id: int | None = None) -> int:
    """The available balance (執行可能額) of the allotment."""
    return (
        allotment.amount
        - encumbered_amount(allotment, exclude_document_id=exclude_document_id)
        - unencumbered_orders_amount(allotment, exclude_document_id=exclude_document_id)
    )


def require_available(allotment: Allotment, amount: int, *, exclude_document_id: int | None = None) -> int:
    """The hard stop (予算残額のチェック): refuse ``amount`` above the available balance.

    The caller holds the lock on ``allotment``. Returns the balance before the amount.
    """
    available = available_amount(allotment, exclude_document_id=exclude_document_id)
    if amount > available:
        raise ValidationFailed(
            f"予算残額が不足しています（予算科目: {allotment.line.label}、"
            f"執行可能額: {format_yen(max(available, 0))}、要求額: {format_yen(amount)}）。",
            field="amount",
            extra={"available": available, "requested": amount},
        )
    return available
