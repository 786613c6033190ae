"""The carry-over statements (繰越計算書) the mayor reports to the council for one account and year.

* 繰越明許費繰越計算書 (地方自治法施行令第146条第2項): per 繰越明許費, the amount the budget allowed,
  what was carried into next year and how much of it was already encumbered;
* 事故繰越し繰越計算書 (令150条第3項): per 事故繰越, the encumbrance, what was paid in the year and
  what was carried, with the reason;
* 継続費繰越計算書 (令145条第1項): per 継続費, its total, the year's 年割額 and the 逓次繰越.

Only decided carries count. The 財源内訳 (特定財源・一般財源) of the official forms is not kept in
cityhall (revenue is outside it), so the statements leave it to the finance section.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from cityhall.documents.models import DECIDED_STATUSES
from cityhall.finance.models import (
    Account,
    BudgetClassification,
    BudgetTransfer,
    CarryAllowance,
    ContinuingExpense,
    TransferKind,
)


@dataclass(frozen=True)
class StatementRow:
    """One row of a 繰越計算書: the 款・項 and 事業, and the figures of its columns."""

    kan: str
    kou: str
    project: str
    figures: tuple[int, ...]
    note: str = ""


@dataclass(frozen=True)
class CarryStatement:
    """One 繰越計算書: its title, the article it follows, its columns and rows."""

    title: str
    article: str
    columns: tuple[str, ...]  # the names of the figure columns
    rows: tuple[StatementRow, ...]
    note_column: str = ""

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(row.figures[i] for row in self.rows) for i in range(len(self.columns)))


def _kan_kou(kou: BudgetClassification | None) -> tuple[str, str]:
    if kou is None:
        return ("", "")
    kan = kou.parent
    return (f"{kan.code} {kan.name}" if kan else "", f"{kou.code} {kou.name}")


def _decided(account: Account, fiscal_year: int) -> QuerySet[BudgetTransfer]:
    return BudgetTransfer.objects.filter(
        source__account=account, source__fiscal_year=fiscal_year, document__status__in=DECIDED_STATUSES
    ).select_related("source__moku__parent__parent", "document", "encumbrance__document")


def _explicit(account: Account, fiscal_year: int) -> CarryStatement:
    carried: dict[int, int] = defaultdict(int)
    encumbered: dict[int, int] = defaultdict(int)
    for carry in _decided(account, fiscal_year).filter(kind=TransferKind.CARRY_EXPLICIT, allowance__isnull=False):
        assert carry.allowance_id is not None
        carried[carry.allowance_id] += carry.amount
        if carry.encumbrance_id is not None:
            encumbered[carry.allowance_id] += carry.amount
    allowances = CarryAllowance.objects.filter(account=account, fiscal_year=fiscal_year).select_related("kou__parent")
    rows = tuple(
        StatementRow(
            *_kan_kou(a.kou),
            a.project,
            (a.amount, carried[a.pk], encumbered[a.pk], carried[a.pk] - encumbered[a.pk]),
        )
        for a in allowances
    )
    return CarryStatement(
        gettext_noop("繰越明許費繰越計算書"),
        gettext_noop("地方自治法施行令第146条第2項"),
        (
            gettext_noop("金額（繰越明許費）"),
            gettext_noop("翌年度繰越額"),
            gettext_noop("うち支出負担行為済額"),
            gettext_noop("うち未契約額"),
        ),
        rows,
    )


def _accident(account: Account, fiscal_year: int) -> CarryStatement:
    rows = []
    for carry in _decided(account, fiscal_year).filter(kind=TransferKind.CARRY_ACCIDENT).order_by("pk"):
        enc = carry.encumbrance
        committed = enc.amount + enc.carried_amount if enc else carry.amount
        paid = enc.amount if enc else 0
        rows.append(
            StatementRow(
                *_kan_kou(carry.source.moku.parent),
                carry.document.title,
                (committed, paid, carry.amount),
                carry.reason,
            )
        )
    return CarryStatement(
        gettext_noop("事故繰越し繰越計算書"),
        gettext_noop("地方自治法施行令第150条第3項"),
        (gettext_noop("支出負担行為額"), gettext_noop("支出済額"), gettext_noop("翌年度繰越額")),
        tuple(rows),
        note_column=gettext_noop("説明（事故の理由）"),
    )


def _continuing(account: Account, fiscal_year: int) -> CarryStatement:
    carried: dict[int, int] = defaultdict(int)
    for carry in _decided(account, fiscal_year).filter(kind=TransferKind.CARRY_CONTINUING):
        assert carry.continuing_id is not None
        carried[carry.continuing_id] += carry.amount
    expenses = (
        ContinuingExpense.objects.filter(account=account, first_year__lte=fiscal_year, last_year__gte=fiscal_year)
        .select_related("moku__parent__parent")
        .prefetch_related("installments")
    )
    rows = []
    for expense in expenses:
        year = next((i.amount for i in expense.installments.all() if i.fiscal_year == fiscal_year), 0)
        rows.append(
            StatementRow(
                *_kan_kou(expense.moku.parent),
                expense.project,
                (expense.total, year, carried[expense.pk]),
                f"{expense.first_year}〜{expense.last_year}年度",
            )
        )
    return CarryStatement(
        gettext_noop("継続費繰越計算書"),
        gettext_noop("地方自治法施行令第145条第1項"),
        (gettext_noop("全体計画の総額"), gettext_noop("当該年度の年割額"), gettext_noop("翌年度逓次繰越額")),
        tuple(rows),
        note_column=gettext_noop("継続年度"),
    )


def carry_statements(account: Account, fiscal_year: int) -> list[CarryStatement]:
    """The three 繰越計算書 of the account's year, each with its rows (possibly none)."""
    return [_explicit(account, fiscal_year), _accident(account, fiscal_year), _continuing(account, fiscal_year)]
