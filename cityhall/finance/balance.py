"""Budget control (予算統制): the available balance of an allotment and the hard stop.

available (執行可能額) = allotment (配当額) − encumbered (支出負担行為額, with the increase
of each 変更契約 in circulation) − orders without encumbrance (負担行為を伴わない支出命令:
支出負担行為兼支出命令 and 集合支出命令).
An encumbrance or such an order counts from the moment it is submitted (回議中, 予約)
until it is withdrawn, rejected, sent back, cancelled or (an order) returned by the
accounting manager (返付), so that two drafts in
circulation can never promise the same yen. Callers lock the allotment row
(``lock_allotment``) in the transaction that reserves the amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet, Sum

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import format_yen
from cityhall.documents.models import DECIDED_STATUSES, DocumentStatus
from cityhall.finance.models import (
    SELF_COMMITTING_KINDS,
    Allotment,
    BudgetAmount,
    BudgetLine,
    BudgetTransfer,
    Encumbrance,
    EncumbranceChange,
    OrderRefund,
    PaymentOrder,
    ReviewStatus,
)

# Document states in which an encumbrance holds budget (予約・負担済).
HOLDING_STATUSES = (DocumentStatus.CIRCULATING, DocumentStatus.DECIDED, DocumentStatus.CLOSED)

# When a movement leaves its source line: a 流用・充用・繰越 of unallotted budget from submission, so it
# cannot be allotted twice; a 繰越 of an encumbered amount when decided, because until then the amount
# stays allotted and encumbered on the line (the decision returns it from the allotment as it leaves).
GIVING = Q(document__status__in=HOLDING_STATUSES) & (
    Q(encumbrance__isnull=True) | Q(document__status__in=DECIDED_STATUSES)
)


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
    outgoing = BudgetTransfer.objects.filter(GIVING, source=line)
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
    increases = pending_increases().filter(encumbrance__allotment=allotment)
    if exclude_document_id is not None:
        increases = increases.exclude(document_id=exclude_document_id)
    held = increases.aggregate(total=Sum(F("new_amount") - F("previous_amount")))["total"] or 0
    return int((rows.aggregate(total=Sum("amount"))["total"] or 0) + held)


def pending_increases() -> QuerySet[EncumbranceChange]:
    """Increases by 変更契約 in circulation (回議中): held from submission until decided (then in the amount),
    withdrawn, rejected or sent back; of a live encumbrance."""
    return EncumbranceChange.objects.filter(
        applied_at__isnull=True,
        document__status=DocumentStatus.CIRCULATING,
        new_amount__gt=F("previous_amount"),
        encumbrance__cancelled_at__isnull=True,
    )


def holding_orders() -> QuerySet[PaymentOrder]:
    """Payment orders that hold budget: submitted or decided, and not returned (返付) by the accounting manager."""
    return PaymentOrder.objects.filter(document__status__in=HOLDING_STATUSES).exclude(
        review_status=ReviewStatus.RETURNED
    )


def refunds_of(orders: QuerySet[PaymentOrder]) -> int:
    """Σ 戻入 (令159条) of the orders: a refund gives its amount back to the budget."""
    return int(OrderRefund.objects.filter(order__in=orders).aggregate(total=Sum("amount"))["total"] or 0)


def unencumbered_orders_amount(allotment: Allotment, *, exclude_document_id: int | None = None) -> int:
    """The amount of orders without encumbrance (負担行為を伴わない支出命令) on the allotment, less their 戻入."""
    rows = holding_orders().filter(allotment=allotment, kind__in=SELF_COMMITTING_KINDS)
    if exclude_document_id is not None:
        rows = rows.exclude(document_id=exclude_document_id)
    return int(rows.aggregate(total=Sum("total_amount"))["total"] or 0) - refunds_of(rows)


def ordered_against(encumbrance: Encumbrance, *, exclude_document_id: int | None = None) -> int:
    """The amount already ordered against an encumbrance (支出命令済額), orders in circulation included,
    less their 戻入."""
    rows = holding_orders().filter(encumbrance=encumbrance)
    if exclude_document_id is not None:
        rows = rows.exclude(document_id=exclude_document_id)
    return int(rows.aggregate(total=Sum("total_amount"))["total"] or 0) - refunds_of(rows)


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
    refuse_above(allotment, available, amount)
    return available


def refuse_above(allotment: Allotment, available: int, amount: int) -> None:
    """The hard stop's refusal (予算残額の不足) of ``amount`` above ``available``, read under the allotment's lock."""
    if amount > available:
        raise ValidationFailed(
            f"予算残額が不足しています（予算科目: {allotment.line.label}、"
            f"執行可能額: {format_yen(max(available, 0))}、要求額: {format_yen(amount)}）。",
            field="amount",
            extra={"available": available, "requested": amount},
        )


# --- Figures of many lines at once (予算現額・配当済額・執行可能額 for a page) -------------------
#
# The functions above read one line or allotment each and serve the hard stop under its
# lock. A list of lines reads the same figures with the same definitions in a fixed number
# of grouped queries (GROUP BY line or allotment), whatever the number of lines.


@dataclass(frozen=True)
class AllotmentFigures:
    """An allotment (配当) with its 支出負担行為額 and 負担行為を伴わない支出命令額."""

    allotment: Allotment
    encumbered: int
    unencumbered_orders: int

    @property
    def available(self) -> int:
        """執行可能額, as ``available_amount``."""
        return self.allotment.amount - self.encumbered - self.unencumbered_orders


@dataclass(frozen=True)
class LineFigures:
    """A line's 予算現額 (``line_amount``), 配当済額 (``allotted_amount``) and its allotments' figures."""

    budget: int
    allotted: int
    allotments: tuple[AllotmentFigures, ...]

    @property
    def unallotted(self) -> int:
        """未配当額: the budget not yet allotted to a section."""
        return self.budget - self.allotted


def _sums(rows: QuerySet[Any], key: str, field: str) -> dict[int, int]:
    """Σ ``field`` per ``key`` in one GROUP BY query."""
    grouped = rows.order_by().values(key).annotate(total=Sum(field))
    return {row[key]: int(row["total"] or 0) for row in grouped}


def line_budgets(line_ids: Collection[int]) -> dict[int, int]:
    """予算現額 per line in three grouped queries: versions + decided transfers in − held transfers out."""
    versions = _sums(BudgetAmount.objects.filter(line__in=line_ids), "line", "amount")
    gained = _sums(
        BudgetTransfer.objects.filter(target__in=line_ids, document__status__in=DECIDED_STATUSES), "target", "amount"
    )
    given = _sums(BudgetTransfer.objects.filter(GIVING, source__in=line_ids), "source", "amount")
    return {pk: versions.get(pk, 0) + gained.get(pk, 0) - given.get(pk, 0) for pk in line_ids}


def line_figures_for(
    lines: Sequence[BudgetLine], *, sections: set[int] | None = None, allotments: bool = True
) -> dict[int, LineFigures]:
    """The figures of each line by its pk, in at most six queries whatever the number of lines.

    配当済額 counts every section's allotment; the allotments listed (with their
    執行可能額) are those of ``sections`` only, or all when ``sections`` is None, in
    the order of the section code. Without ``allotments`` only 予算現額 and 配当済額 are
    read (four queries).
    """
    ids = [line.pk for line in lines]
    if not ids:
        return {}
    budgets = line_budgets(ids)
    if not allotments:
        allotted = _sums(Allotment.objects.filter(line__in=ids), "line", "amount")
        return {pk: LineFigures(budgets[pk], allotted.get(pk, 0), ()) for pk in ids}
    rows = list(Allotment.objects.filter(line__in=ids).select_related("section").order_by("section__code", "pk"))
    shown = [a for a in rows if sections is None or a.section_id in sections]
    shown_ids = [a.pk for a in shown]
    encumbered = _sums(
        Encumbrance.objects.filter(
            allotment__in=shown_ids, cancelled_at__isnull=True, document__status__in=HOLDING_STATUSES
        ),
        "allotment",
        "amount",
    )
    increases = (
        pending_increases()
        .filter(encumbrance__allotment__in=shown_ids)
        .order_by()
        .values("encumbrance__allotment")
        .annotate(total=Sum(F("new_amount") - F("previous_amount")))
    )
    for row in increases:
        key = row["encumbrance__allotment"]
        encumbered[key] = encumbered.get(key, 0) + int(row["total"] or 0)
    held = holding_orders().filter(allotment__in=shown_ids, kind__in=SELF_COMMITTING_KINDS)
    orders = _sums(held, "allotment", "total_amount")
    for pk, refunded in _sums(OrderRefund.objects.filter(order__in=held), "order__allotment", "amount").items():
        orders[pk] = orders.get(pk, 0) - refunded
    allotted_by: dict[int, int] = defaultdict(int)
    listed: dict[int, list[AllotmentFigures]] = defaultdict(list)
    for allotment in rows:
        allotted_by[allotment.line_id] += allotment.amount
    for allotment in shown:
        figures = AllotmentFigures(allotment, encumbered.get(allotment.pk, 0), orders.get(allotment.pk, 0))
        listed[allotment.line_id].append(figures)
    return {pk: LineFigures(budgets[pk], allotted_by[pk], tuple(listed[pk])) for pk in ids}
