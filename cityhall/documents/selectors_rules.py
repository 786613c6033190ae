"""Reading the 事務決裁規程 (事務決裁規程の表示・プレビュー): rows by kind with their bands, and routes side by side.

The 事務決裁規程 is a public regulation: every member of staff may read it; only the 文書主管
edits it (``services.delegation``). A preview compares the route a sample matter gets under the
rules in effect today with the route it gets on a later day, under the rows scheduled by then
or with an edit not yet saved (``rules.RuleSet.with_proposed``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Min
from django.utils.translation import gettext as _

from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese import format_yen
from cityhall.documents.models import DelegationRule, MatterKind
from cityhall.documents.rules import RoutePreview, preview_route, rules_in_effect
from cityhall.org.models import OrgUnit

CURRENT, SCHEDULED, ENDED = "current", "scheduled", "ended"


def _yen(value: int) -> str:
    return format_yen(value)


@dataclass(frozen=True)
class RuleRow:
    """One row as the list shows it: its amount band (from the next lower bound of its scope) and status."""

    rule: DelegationRule
    lower: int
    status: str
    consults: tuple[OrgUnit, ...]

    @property
    def band(self) -> str:
        """「100万円以上500万円未満」, 「3,000万円以上」 or 「金額によらない」."""
        upper = self.rule.amount_below
        if upper is None:
            return _("%(lower)s以上") % {"lower": _yen(self.lower)} if self.lower else _("金額によらない")
        if self.lower:
            return _("%(lower)s以上%(upper)s未満") % {"lower": _yen(self.lower), "upper": _yen(upper)}
        return _("%(upper)s未満") % {"upper": _yen(upper)}

    @property
    def status_label(self) -> str:
        """施行中・施行予定・廃止."""
        return {CURRENT: _("施行中"), SCHEDULED: _("施行予定"), ENDED: _("廃止")}[self.status]


@dataclass(frozen=True)
class KindRules:
    """The rows of one kind of matter, with the consults every row of the kind has (種類の必須合議先)."""

    kind: MatterKind
    kind_consults: tuple[OrgUnit, ...]
    rows: tuple[RuleRow, ...]


def rule_status(rule: DelegationRule, on: dt.date) -> str:
    """施行中 (``current``), 施行予定 (``scheduled``) or 廃止 (``ended``) on the day."""
    if rule.valid_from > on:
        return SCHEDULED
    return ENDED if rule.valid_to is not None and rule.valid_to < on else CURRENT


def _lower(rule: DelegationRule, rows: Sequence[DelegationRule], on: dt.date) -> int:
    """The band's lower bound: the highest bound below the row's among the rows of its scope on its day."""
    day = max(rule.valid_from, min(on, rule.valid_to or on))
    bounds = [
        r.amount_below
        for r in rows
        if r.matter_kind_id == rule.matter_kind_id
        and (r.unit_id, r.budget_setsu) == (rule.unit_id, rule.budget_setsu)
        and r.in_effect(day)
        and r.amount_below is not None
        and (rule.amount_below is None or r.amount_below < rule.amount_below)
    ]
    return max(bounds, default=0)


def rule_table(*, on: dt.date, include_ended: bool = False) -> list[KindRules]:
    """The 事務決裁規程 by kind of matter (事務決裁規程の一覧): rows in effect on ``on`` and scheduled ones.

    ``include_ended`` adds the rows no longer in effect (改正・廃止の履歴). Rows come most general
    first: the whole city, then by 部・課 and 節, each by amount.
    """
    rows = list(
        DelegationRule.objects.select_related("matter_kind", "unit", "decider_post")
        .prefetch_related("consult_units")
        .order_by("matter_kind__sort_order", "matter_kind__code", "valid_from", "pk")
    )
    kinds = list(MatterKind.objects.prefetch_related("consult_units").order_by("sort_order", "code"))
    table = []
    for kind in kinds:
        own = [r for r in rows if r.matter_kind_id == kind.pk and (include_ended or rule_status(r, on) != ENDED)]
        own.sort(key=lambda r: (r.specificity, r.unit.name if r.unit else "", r.budget_setsu, _bound(r), r.valid_from))
        shown = tuple(RuleRow(r, _lower(r, rows, on), rule_status(r, on), tuple(r.consult_units.all())) for r in own)
        table.append(KindRules(kind, tuple(kind.consult_units.all()), shown))
    return table


def _bound(rule: DelegationRule) -> float:
    return float(rule.amount_below) if rule.amount_below is not None else float("inf")


def rule_for(pk: int) -> DelegationRule:
    """One row of the 事務決裁規程 by id (anyone may read the regulation); a missing row is ``PermissionDenied``."""
    rule = (
        DelegationRule.objects.select_related("matter_kind", "unit", "decider_post", "replaces")
        .prefetch_related("consult_units")
        .filter(pk=pk)
        .first()
    )
    if rule is None:
        raise PermissionDenied("事務決裁規程の行が見つかりません。")
    return rule


def next_change_day(*, on: dt.date) -> dt.date:
    """The first day after ``on`` on which the rules change (a row takes effect or ends), else tomorrow."""
    start = DelegationRule.objects.filter(valid_from__gt=on).aggregate(day=Min("valid_from"))["day"]
    end = DelegationRule.objects.filter(valid_to__gte=on).aggregate(day=Min("valid_to"))["day"]
    days = [d for d in (start, end + dt.timedelta(days=1) if end is not None else None) if d is not None]
    return min(days, default=on + dt.timedelta(days=1))


@dataclass(frozen=True)
class Proposed:
    """An edit not yet saved: the new row, its mandatory consults, and the row it would replace (改正)."""

    rule: DelegationRule
    consult_units: tuple[OrgUnit, ...]
    replacing: DelegationRule | None = None


def compare_routes(
    *,
    matter_kind: MatterKind,
    amount: int | None,
    section: OrgUnit,
    setsu: str,
    on: dt.date,
    later: dt.date,
    proposed: Proposed | None = None,
) -> tuple[RoutePreview, RoutePreview]:
    """A sample matter's route under the rules of ``on`` and of ``later`` (``proposed`` put in), side by side."""
    now = preview_route(matter_kind=matter_kind, amount=amount, section=section, setsu=setsu, on=on)
    rules = rules_in_effect(matter_kind, on=later)
    if proposed is not None and proposed.rule.matter_kind_id == matter_kind.pk:
        rules = rules.with_proposed(proposed.rule, proposed.consult_units, replacing=proposed.replacing)
    then = preview_route(matter_kind=matter_kind, amount=amount, section=section, setsu=setsu, on=later, rules=rules)
    return now, then
