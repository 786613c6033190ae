"""What drafting a payment order locks and reads before it writes (起案前の確認), per order or per batch.

``check_budget`` is the budget's hard stop with the allotment locked: the encumbrance's rest for a
支出命令, else the allotment's available balance (執行可能額). ``budget_room`` is its first half (lock
and read) and ``BudgetRoom.check`` its second (compare), with the same messages.

``DraftChecks.run`` does what a new draft needs before its rows are written: the allotment of the
drafter's section, the hard stop, the creditors locked and in use (``lock_creditors``), and the
kind of matter and file-plan class of a payment order. ``payment_order_draft`` runs a fresh one for
its order. The bulk path (``payment_orders_draft_many``) keeps one for the whole batch and runs it
outside each order's savepoint (a lock taken inside a savepoint that is rolled back would be lost on
PostgreSQL), so each allotment is locked and its balance read once per batch, each creditor locked
and found in use once, and the lookups made once. That reads the same figures as a check per order:
a draft holds no budget (``balance.HOLDING_STATUSES``), and the locks held until commit keep others
from changing what was read. A check that fails is not remembered: the next order runs it again and
fails with the same message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cityhall.accounts.models import User
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import format_yen
from cityhall.core.matters import SPENDING_KIND
from cityhall.documents.models import DECIDED_STATUSES, Document, FilePlanClass, MatterKind
from cityhall.finance import balance
from cityhall.finance.models import Allotment, BudgetLine, Encumbrance, OrderKind
from cityhall.finance.services.encumbrances import FILE_PLAN
from cityhall.finance.services.payment_order_checks import CheckedLine, allotment_for, lock_creditors


def _require_encumbrance_usable(encumbrance: Encumbrance) -> Document:
    document = Document.objects.get(pk=encumbrance.document_id)
    if document.status not in DECIDED_STATUSES:
        raise ValidationFailed(
            f"決裁前の支出負担行為には支出命令できません（現在の状態: {document.get_status_display()}）。",
            field="encumbrance",
        )
    if encumbrance.cancelled_at is not None:
        raise ValidationFailed("取り消された支出負担行為には支出命令できません。", field="encumbrance")
    return document


@dataclass(frozen=True)
class BudgetRoom:
    """What an order may charge, read under the allotment's lock: the encumbrance's rest or the balance."""

    allotment: Allotment
    available: int = 0
    encumbrance: Encumbrance | None = None
    ordered: int = 0

    def check(self, total: int) -> None:
        """Refuse ``total`` above the room, as ``check_budget`` does."""
        if self.encumbrance is None:
            balance.refuse_above(self.allotment, self.available, total)
            return
        if total > self.encumbrance.amount - self.ordered:
            raise ValidationFailed(
                f"支出負担行為の残額を超えています（負担額: {format_yen(self.encumbrance.amount)}、"
                f"命令済額: {format_yen(self.ordered)}、今回の額: {format_yen(total)}）。",
                field="amount",
                extra={"encumbered": self.encumbrance.amount, "ordered": self.ordered, "requested": total},
            )


def budget_room(kind: str, allotment_id: int, encumbrance_id: int | None, exclude: int | None) -> BudgetRoom:
    """Lock the allotment, then read the encumbrance's rest (支出命令) or the available balance."""
    allotment = balance.lock_allotment(allotment_id)
    if kind != OrderKind.LINKED or encumbrance_id is None:
        return BudgetRoom(allotment, available=balance.available_amount(allotment, exclude_document_id=exclude))
    # Read after taking the allotment lock, which amendments and cancellations take too.
    encumbrance = Encumbrance.objects.get(pk=encumbrance_id)
    _require_encumbrance_usable(encumbrance)
    ordered = balance.ordered_against(encumbrance, exclude_document_id=exclude)
    return BudgetRoom(allotment, encumbrance=encumbrance, ordered=ordered)


def check_budget(kind: str, allotment_id: int, encumbrance_id: int | None, total: int, exclude: int | None) -> None:
    """The hard stop with the allotment locked: the encumbrance's rest, or the available balance."""
    budget_room(kind, allotment_id, encumbrance_id, exclude).check(total)


class PlannedOrder(Protocol):
    """A checked plan of an order (``payment_orders._Plan``), as far as the checks before writing read it."""

    @property
    def kind(self) -> str: ...
    @property
    def line(self) -> BudgetLine: ...
    @property
    def encumbrance(self) -> Encumbrance | None: ...
    @property
    def total(self) -> int: ...
    @property
    def lines(self) -> list[CheckedLine]: ...


@dataclass(frozen=True)
class Prepared:
    """What a checked draft is written with."""

    allotment: Allotment
    matter_kind: MatterKind | None
    file_plan_class: FilePlanClass | None


@dataclass
class DraftChecks:
    """The checks before a new draft is written; what passed is kept for the next order of a batch."""

    _allotments: dict[tuple[int, int | None], Allotment] = field(default_factory=dict)
    _rooms: dict[tuple[bool, int, int | None], BudgetRoom] = field(default_factory=dict)
    _creditors: set[int] = field(default_factory=set)  # locked and in use
    _accounts: set[int] = field(default_factory=set)  # of those creditors, found in use
    _lookups: tuple[MatterKind | None, FilePlanClass | None] | None = None

    def run(self, actor: User, day: dt.date, plan: PlannedOrder) -> Prepared:
        """The allotment charged, the hard stop and the creditors of ``plan``, in this order."""
        kind, line, encumbrance, total, lines = plan.kind, plan.line, plan.encumbrance, plan.total, plan.lines
        encumbrance_id = encumbrance.pk if encumbrance is not None else None
        allotment = self._allotments.get((line.pk, encumbrance_id))
        if allotment is None:
            allotment = self._allotments[(line.pk, encumbrance_id)] = allotment_for(actor, line, encumbrance, day)
        linked = kind == OrderKind.LINKED and encumbrance_id is not None
        key = (linked, allotment.pk, encumbrance_id if linked else None)
        room = self._rooms.get(key)
        if room is None:
            room = self._rooms[key] = budget_room(kind, allotment.pk, encumbrance_id, None)
        room.check(total)
        self._check_creditors(lines)
        if self._lookups is None:
            self._lookups = (
                MatterKind.objects.filter(code=SPENDING_KIND).first(),
                FilePlanClass.objects.filter(code=FILE_PLAN).first(),
            )
        return Prepared(allotment, *self._lookups)

    def _check_creditors(self, lines: Sequence[CheckedLine]) -> None:
        new = [
            x
            for x in lines
            if x.creditor.pk not in self._creditors
            or (x.bank_account is not None and x.bank_account.pk not in self._accounts)
        ]
        if not new:
            return
        lock_creditors(new)
        self._creditors.update(x.creditor.pk for x in new)
        self._accounts.update(x.bank_account.pk for x in new if x.bank_account is not None)
