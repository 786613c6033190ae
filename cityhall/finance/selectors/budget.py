"""Read-side of the budget (予算の参照): whose sections a user sees, lines, allotments and their balances."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.japanese import closing_period_end, fiscal_year
from cityhall.documents.rules import section_of
from cityhall.finance import balance
from cityhall.finance.models import (
    Allotment,
    BudgetClassification,
    BudgetLine,
    Level,
)
from cityhall.org import selectors as org
from cityhall.org.models import Assignment, OrgUnit, Role, UnitKind

# Roles that see every section's budget, encumbrances and orders: 会計 (財政・会計担当) and 会計管理者 (審査・支払).
CITYWIDE_ROLES = (Role.ACCOUNTING, Role.TREASURER)
# 監査 reads every section's figures and records (法199条①②: the audit committee audits the financial
# affairs; 法235条の2: 例月出納検査), read-only, with account numbers masked like everyone outside 会計.
READ_ALL_ROLES = (*CITYWIDE_ROLES, Role.AUDITOR)


@dataclass(frozen=True)
class SectionScope:
    """The sections (課) whose budget lines, encumbrances and payment orders a user may see (閲覧できる課).

    ``units`` is None for every section, else a subquery of units to filter on in SQL (``q``).
    ``whole_lines``: whether the user sees whole budget lines (予算現額 and every allotment on them),
    not only what was allotted to their sections.
    """

    units: QuerySet[OrgUnit] | None
    whole_lines: bool

    def q(self, field: str = "section") -> Q:
        """The condition that a row's ``field`` (a unit) is one the user may see."""
        return Q() if self.units is None else Q(**{f"{field}__in": self.units.values("pk")})


def visible_sections(user: User, *, on: dt.date | None = None) -> SectionScope:
    """Whose figures the user may see (the one rule of the finance lists, reports and API).

    - 会計 and 会計管理者: every section (the accounting manager reviews any section's orders); 監査 too,
      to read (法199条);
    - the executive (市長・副市長: managerial posts of the 特別職 unit, not a 秘書): every unit of their
      municipality and the whole lines, since they decide the largest matters;
    - a 部長: the 課 under the 部 they head (they decide and may reduce those sections' matters), and
      their own unit;
    - anyone else: their own 課 (that of their 係).
    """
    day = on or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return SectionScope(OrgUnit.objects.none(), whole_lines=False)
    roles = org.roles_of(user, on=day)
    if any(role in roles for role in READ_ALL_ROLES):
        return SectionScope(None, whole_lines=True)
    held = Assignment.objects.on(day).filter(user=user)
    if held.filter(unit__kind=UnitKind.EXECUTIVE, post__is_managerial=True).exists():
        return SectionScope(
            OrgUnit.objects.filter(municipality__in=held.values("unit__municipality")), whole_lines=True
        )
    headed = held.filter(unit__kind=UnitKind.DEPARTMENT, post__heads=UnitKind.DEPARTMENT).values("unit")
    own = Q(pk=section.pk) if (section := section_of(user, on=day)) is not None else Q(pk__in=[])
    return SectionScope(OrgUnit.objects.filter(own | Q(parent__in=headed)), whole_lines=False)


@dataclass(frozen=True)
class AllotmentBalance:
    """An allotment's figures (配当の執行状況): allotted, encumbered, orders without encumbrance, available.

    ``available`` is ``balance.available_amount``, the figure the hard stop uses.
    """

    allotment: Allotment
    allotted: int
    encumbered: int
    available: int
    ordered: int = 0  # 負担行為を伴わない支出命令 (兼・集合), held from submission


def standard_setsu() -> QuerySet[BudgetClassification]:
    """The standard expenditure 節 (歳出の節), in number order."""
    return BudgetClassification.objects.filter(level=Level.SETSU, account__isnull=True).order_by("sort_order")


def allotment_balance(allotment: Allotment) -> AllotmentBalance:
    """The current figures of one allotment (執行可能額), as the hard stop counts them."""
    encumbered = balance.encumbered_amount(allotment)
    ordered = balance.unencumbered_orders_amount(allotment)
    return AllotmentBalance(allotment, allotment.amount, encumbered, allotment.amount - encumbered - ordered, ordered)


def lines_for(user: User, *, on: dt.date | None = None, scope: SectionScope | None = None) -> QuerySet[BudgetLine]:
    """Budget lines the user may see: all for 会計, 会計管理者 and the executive (the 予備費 and lines not
    yet allotted included, as in the execution report), else those allotted to a 課 they see
    (``visible_sections``: a 部長 the 課 under their 部).

    ``scope``: the user's ``visible_sections`` when the caller has already read it.
    """
    rows = BudgetLine.objects.select_related("account", "moku", "setsu").order_by("account", "fiscal_year", "pk")
    scope = scope or visible_sections(user, on=on)
    if scope.units is None or scope.whole_lines:  # the executive: every line, the unallotted ones too
        return rows
    # A subquery rather than a join, so that a line allotted to two visible sections comes once.
    return rows.filter(pk__in=Allotment.objects.filter(scope.q()).values("line"))


def section_allotments(user: User, *, on: dt.date, closing: bool = False) -> QuerySet[Allotment]:
    """Allotments (配当) of the user's section for the fiscal year of ``on``, in line order.

    With ``closing``, during the closing period (出納整理期間, 1 April – 31 May) the old
    year's allotments are offered too, for orders of debts incurred by 31 March.
    """
    section = section_of(user, on=on)
    if section is None:
        return Allotment.objects.none()
    years = [fiscal_year(on)]
    if closing and on <= closing_period_end(years[0] - 1):
        years.append(years[0] - 1)
    rows = Allotment.objects.filter(section=section, line__fiscal_year__in=years, line__setsu__isnull=False)
    return rows.select_related("line").order_by("-line__fiscal_year", "line__account__sort_order", "line__pk")


def section_lines(user: User, *, on: dt.date, closing: bool = False) -> QuerySet[BudgetLine]:
    """Budget lines (予算明細) allotted to the user's section (起案できる予算科目)."""
    allotted = section_allotments(user, on=on, closing=closing).values("line_id")
    return BudgetLine.objects.filter(pk__in=allotted).order_by("-fiscal_year", "account__sort_order", "pk")


def is_treasurer(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user is the accounting manager (会計管理者) on the day."""
    return bool(getattr(user, "is_active", False)) and org.has_role(user, Role.TREASURER, on=on or timezone.localdate())
