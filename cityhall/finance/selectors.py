"""Read-side of financial accounting (財務会計の参照): balances and encumbrances the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import closing_period_end, fiscal_year
from cityhall.documents.models import DECIDED_STATUSES, DelegationRule
from cityhall.documents.rules import decision_rule, section_of
from cityhall.finance import balance, banks
from cityhall.finance.models import (
    Allotment,
    BudgetClassification,
    BudgetLine,
    Creditor,
    CreditorBankAccount,
    Encumbrance,
    Level,
)
from cityhall.org import selectors as org
from cityhall.org.models import Assignment, OrgUnit, Role, UnitKind

# Roles that see every section's budget, encumbrances and orders: 会計 (財政・会計担当) and 会計管理者 (審査・支払).
CITYWIDE_ROLES = (Role.ACCOUNTING, Role.TREASURER)


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

    - 会計 and 会計管理者: every section (the accounting manager reviews any section's orders);
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
    if any(role in roles for role in CITYWIDE_ROLES):
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


def sees_account_numbers(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user sees creditors' full account numbers (口座番号): 会計 and 会計管理者 only."""
    roles = org.roles_of(user, on=on or timezone.localdate())
    return any(role in roles for role in CITYWIDE_ROLES)


def encumbrances_for(user: User, *, on: dt.date | None = None) -> QuerySet[Encumbrance]:
    """Encumbrances the user may see (支出負担行為の一覧): their section's, plus those of the sections
    under a 部 they head (部長); all for 会計, 会計管理者 and the executive (市長・副市長: managerial posts
    of the 特別職 unit).

    The accounting manager reviews linked orders against any section's encumbrance; the heads see
    what they may have to reduce or cancel (``can_amend_encumbrance``).
    """
    rows = Encumbrance.objects.select_related("document", "line", "creditor", "section")
    return rows.filter(visible_sections(user, on=on).q())


def own_section_encumbrances(user: User, *, on: dt.date | None = None) -> QuerySet[Encumbrance]:
    """The encumbrances of the user's own section (自課の支出負担行為): the ones they may order against.

    会計, 部長 and the executive see more (``encumbrances_for``), but a payment order is drafted by the
    section that made the encumbrance.
    """
    day = on or timezone.localdate()
    section = section_of(user, on=day)
    rows = Encumbrance.objects.select_related("document", "line", "creditor", "section")
    return rows.filter(section=section) if section is not None else rows.none()


def creditors_for(user: User, *, on: dt.date | None = None) -> QuerySet[Creditor]:
    """Creditors the user may see: all with bank accounts (in use first) for 会計, active ones for others."""
    rows = Creditor.objects.order_by("code")
    if org.has_role(user, Role.ACCOUNTING, on=on or timezone.localdate()):
        accounts = CreditorBankAccount.objects.order_by("-is_active", "-is_default", "pk")  # 停止中は最後
        return rows.prefetch_related(Prefetch("bank_accounts", queryset=accounts))
    return rows.filter(is_active=True)


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


@dataclass(frozen=True)
class AmendAuthority:
    """Who may amend or cancel a decided encumbrance (決裁済支出負担行為の減額・取消の権限).

    The holder of the deciding post (専決者) that the delegation rules give the
    original amount, or a higher post in the section's chain of command
    (課長 → 部長 → 副市長 → 市長), or the person who decided it in their own right (決裁者).
    A 代決者 decided only for the absent 専決者 and keeps no authority afterwards: the 専決者
    on return, or a higher post meanwhile, undoes it.
    """

    rule: DelegationRule | None
    chain: tuple[OrgUnit, ...]  # the section and the units above it (課 → 部)
    decided_by: User | None  # None when nobody decided it in their own right (代決)

    @property
    def description(self) -> str:
        """Who may act, in words: e.g. 「総務課の課長以上の職員（課長専決）、または決裁した課山 太郎さん」."""
        parts = []
        if self.rule is not None:
            post = self.rule.decider_post
            unit = next((u for u in self.chain if u.kind == post.heads), None)
            where = f"{unit.name}の" if unit is not None else ""
            parts.append(f"{where}{post.name}以上の職員（{self.rule.label}）")
        if self.decided_by is not None:
            parts.append(f"決裁した{self.decided_by}さん")
        return "、または".join(parts) or "決裁権者"


def amend_authority(encumbrance: Encumbrance) -> AmendAuthority:
    """The authority behind a decided encumbrance (原議の決裁権者): its rule by the original amount, chain, decider."""
    document = encumbrance.document
    try:
        rule: DelegationRule | None = decision_rule(document.matter_kind, encumbrance.original_amount)
    except ValidationFailed:  # no rule for the kind any more: only the person who decided
        rule = None
    chain = [encumbrance.section]
    while chain[-1].parent_id is not None:
        parent = chain[-1].parent
        assert parent is not None
        chain.append(parent)
    decided_by = None if document.decided_by_proxy else document.decided_by
    return AmendAuthority(rule=rule, chain=tuple(chain), decided_by=decided_by)


def holds_amend_authority(user: User, authority: AmendAuthority, *, on: dt.date) -> bool:
    """Whether the user may amend or cancel under ``authority`` on the day (one query per branch)."""
    if not user.is_active or user.pk is None:
        return False
    chain_ids = [u.pk for u in authority.chain]
    municipality_id = authority.chain[0].municipality_id
    held = Assignment.objects.on(on).filter(user=user)
    above = Q(unit_id__in=chain_ids, post__heads=F("unit__kind")) | Q(
        unit__kind=UnitKind.EXECUTIVE, unit__municipality_id=municipality_id
    )
    if authority.rule is not None and held.filter(above, post__rank__gte=authority.rule.decider_post.rank).exists():
        return True
    if authority.decided_by is None or authority.decided_by.pk != user.pk:
        return False
    # The person who decided, while still in the section (or a 係 of it) or above it.
    return held.filter(above | Q(unit_id=chain_ids[0]) | Q(unit__parent_id=chain_ids[0])).exists()


def can_amend_encumbrance(user: User, encumbrance: Encumbrance, *, on: dt.date | None = None) -> bool:
    """Whether the user may amend (減額) or cancel (取消) the encumbrance now: decided, live, and their authority.

    The screens show the 減額・取消 forms on this condition; the services refuse on the same one.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if encumbrance.cancelled_at is not None or encumbrance.document.status not in DECIDED_STATUSES:
        return False
    return holds_amend_authority(user, amend_authority(encumbrance), on=on or timezone.localdate())


def similar_creditors(user: User, creditor: Creditor, *, limit: int = 10) -> list[Creditor]:
    """Other creditors the user sees with the same name or フリガナ once normalised (重複の可能性), by code.

    Names compare without legal forms, spaces or width differences (㈱ヤマダ = 株式会社ヤマダ = ﾔﾏﾀﾞ),
    フリガナ in the 全銀 kana; see ``banks.name_comparison_key`` and ``banks.kana_comparison_key``.
    """
    name, kana = banks.name_comparison_key(creditor.name), banks.kana_comparison_key(creditor.kana)
    rows = Creditor.objects.filter(pk__in=creditors_for(user).values("pk")).exclude(pk=creditor.pk)
    found = [
        pk
        for pk, other_name, other_kana in rows.values_list("pk", "name", "kana").iterator()
        if (name and banks.name_comparison_key(other_name) == name)
        or (kana and banks.kana_comparison_key(other_kana) == kana)
    ]
    return list(Creditor.objects.filter(pk__in=found).order_by("code")[:limit])
