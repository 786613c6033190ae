"""Route rules (事務決裁規程とルート): who decides, and the route a draft travels.

Pure reads: the route is planned from the delegation rules and the roster
**as of a date** (``chain_of_command(drafter, on=day)``), so the same draft
submitted after the April transfer (人事異動) goes to the new post holders.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import ValidationFailed
from cityhall.documents import registry
from cityhall.documents.models import DelegationRule, Document, MatterKind, RouteStep, StepKind, StepState
from cityhall.documents.registry import RuleFacts
from cityhall.org import selectors as org
from cityhall.org.models import Assignment, OrgUnit, Post, UnitKind


@dataclass(frozen=True)
class PlannedStep:
    """One step of a planned route: who, in which unit and post, at which stage."""

    kind: str
    stage: int
    assignee: User
    unit: OrgUnit | None
    post: Post | None

    @property
    def label(self) -> str:
        """E.g. 「税務課 課長」."""
        return f"{self.unit.name if self.unit else ''} {self.post.name if self.post else ''}".strip()


@dataclass(frozen=True)
class RoutePlan:
    """A route resolved as of ``on``: steps in order and the decision label (専決区分)."""

    steps: tuple[PlannedStep, ...]
    rule: DelegationRule
    on: dt.date

    @property
    def decision_label(self) -> str:
        """The kind of decision shown on the record, e.g. 「課長専決」."""
        return self.rule.label

    @property
    def decider(self) -> User:
        """Who decides (決裁者)."""
        return self.steps[-1].assignee


def section_of(user: User, *, on: dt.date) -> OrgUnit | None:
    """The user's 課 on the day: their unit, or its parent when they sit in a 係."""
    own = org.primary_assignment(user, on=on)
    if own is None:
        return None
    unit = own.unit
    if unit.kind == UnitKind.SUBSECTION and unit.parent is not None:
        return unit.parent
    return unit


@dataclass(frozen=True)
class RuleSet:
    """The rows of the 事務決裁規程 for one kind of matter in effect on a day, with their mandatory consults.

    ``with_proposed`` puts an unsaved row in (in place of the row it would replace), so a change
    is previewed against sample matters before it is saved or takes effect (改正のプレビュー).
    """

    kind: MatterKind
    on: dt.date
    rows: tuple[DelegationRule, ...]
    consults: tuple[tuple[DelegationRule, tuple[OrgUnit, ...]], ...] = ()

    def consults_of(self, rule: DelegationRule) -> list[OrgUnit]:
        """The mandatory consults the row names (必須合議先), as given or as saved."""
        for row, units in self.consults:
            if row is rule:
                return list(units)
        return list(rule.consult_units.all()) if rule.pk is not None else []

    def with_proposed(
        self, rule: DelegationRule, units: Sequence[OrgUnit], *, replacing: DelegationRule | None = None
    ) -> RuleSet:
        """These rows with ``rule`` added (and ``replacing`` taken out): the rules as an edit would make them."""
        rows = tuple(r for r in self.rows if replacing is None or r.pk != replacing.pk)
        return RuleSet(self.kind, self.on, (*rows, rule), (*self.consults, (rule, tuple(units))))


def rules_in_effect(matter_kind: MatterKind, *, on: dt.date) -> RuleSet:
    """The rows of the kind in effect on the day (施行日から廃止日まで), with their consults prefetched."""
    rows = (
        DelegationRule.objects.on(on)
        .filter(matter_kind=matter_kind)
        .select_related("decider_post", "unit", "matter_kind")
        .prefetch_related("consult_units")
    )
    return RuleSet(matter_kind, on, tuple(rows))


def _scope(section: OrgUnit | None) -> set[int]:
    """The units whose rows apply to a matter of ``section``: the 課 itself and its 部."""
    if section is None:
        return set()
    return {section.pk} | ({section.parent_id} if section.parent_id is not None else set())


def decision_rule(
    matter_kind: MatterKind,
    amount: int | None,
    *,
    section: OrgUnit | None = None,
    setsu: str = "",
    on: dt.date | None = None,
    rules: RuleSet | None = None,
) -> DelegationRule:
    """The row of the 事務決裁規程 (決裁区分) for a matter, as of ``on`` (default today).

    Of the rows of the kind in effect whose scope covers the matter (the whole city, the 部 of
    ``section``, ``section`` itself; any 節 or the matter's 節 ``setsu``) and whose amount band
    holds ``amount``, the most specific wins: 課 before 部 before the whole city, then a row of
    the 節 before one for any 節; among those, the lowest bound.
    """
    if matter_kind.amount_based and amount is None:
        raise ValidationFailed(f"「{matter_kind.name}」の文書には金額を入力してください。", field="amount")
    if amount is not None and amount < 0:
        raise ValidationFailed("金額は0円以上にしてください。", field="amount")
    if rules is None or rules.kind.pk != matter_kind.pk:
        rules = rules_in_effect(matter_kind, on=on or timezone.localdate())
    units = _scope(section)
    value = amount or 0
    candidates = [
        r
        for r in rules.rows
        if (r.unit_id is None or r.unit_id in units)
        and (not r.budget_setsu or r.budget_setsu == setsu)
        and (r.amount_below is None or value < r.amount_below)
    ]
    if not candidates:
        raise ValidationFailed(
            f"「{matter_kind.name}」の決裁区分が事務決裁規程に定められていません。", field="matter_kind"
        )
    return min(candidates, key=_precedence)


def _precedence(rule: DelegationRule) -> tuple[int, int, float]:
    level, by_setsu = rule.specificity
    return -level, -by_setsu, rule.amount_below if rule.amount_below is not None else math.inf


def mandatory_consults(
    matter_kind: MatterKind, *, on: dt.date, rule: DelegationRule | None = None, rules: RuleSet | None = None
) -> list[OrgUnit]:
    """The sections the matter must be consulted with (必須合議先), existing on the day: the kind's and the row's."""
    ids: set[int] = set()
    if matter_kind.pk is not None:
        ids |= set(matter_kind.consult_units.values_list("pk", flat=True))
    if rule is not None:
        ids |= {u.pk for u in (rules.consults_of(rule) if rules is not None else rule.consult_units.all())}
    if not ids:
        return []
    return list(OrgUnit.objects.filter(pk__in=ids).on(on).order_by("sort_order", "code"))


def facts_of(document: Document) -> RuleFacts:
    """What the document's type tells the rules beyond kind and amount (予算の節), by its ``rule_facts`` hook."""
    typed = registry.get_type(document.doc_type)
    return typed.facts_for(document) if typed is not None else RuleFacts()


def _step(kind: str, stage: int, assignment: Assignment) -> PlannedStep:
    return PlannedStep(kind=kind, stage=stage, assignee=assignment.user, unit=assignment.unit, post=assignment.post)


def plan_route(
    *,
    drafter: User,
    matter_kind: MatterKind,
    amount: int | None,
    on: dt.date,
    extra_reviewers: Sequence[User] = (),
    consult_units: Sequence[OrgUnit] = (),
    section: OrgUnit | None = None,
    setsu: str = "",
    rules: RuleSet | None = None,
) -> RoutePlan:
    """The route a draft must travel (回議ルート), with the drafter's additions checked against the rules.

    The row of the 事務決裁規程 is chosen as of ``on`` for the matter of ``section`` (default:
    the drafter's 課 on the day) and budget 節 ``setsu`` (``decision_rule``); ``rules`` replaces
    the saved rows (a preview of an edit). 回議 goes up the drafter's chain of command to the
    deciding post; extra reviewers are placed by rank below the decider; consulted sections
    (合議) form one parallel stage just before the decision. The mandatory consults
    (必須合議先: the kind's and the row's) are always in that stage, unless the section is the
    drafter's own or its head is already on the route: the drafter can add to the route,
    never take them out. A route that would break the rules raises ``ValidationFailed`` with
    a Japanese message.
    """
    own_section = section_of(drafter, on=on)
    scope = section if section is not None else own_section
    rule = decision_rule(matter_kind, amount, section=scope, setsu=setsu, on=on, rules=rules)
    chain = org.chain_of_command(drafter, on=on)
    required: list[Assignment] = []
    for assignment in chain:
        required.append(assignment)
        if assignment.post.rank >= rule.decider_post.rank:
            break
    else:
        raise ValidationFailed(
            f"{on:%Y年%m月%d日}の組織に「{rule.label}」の決裁者（{rule.decider_post.name}）が見つかりません。",
            field="matter_kind",
        )
    decider = required[-1]
    reviewers = required[:-1]
    seen = {drafter.pk, *(a.user_id for a in required)}
    for user in extra_reviewers:
        if user.pk in seen:
            raise ValidationFailed(f"{user}さんは既にルートに入っています。", field="extra_reviewers")
        own = org.primary_assignment(user, on=on)
        if own is None or not user.is_active:
            raise ValidationFailed(f"{user}さんは{on:%Y年%m月%d日}に在職していません。", field="extra_reviewers")
        if own.post.rank >= decider.post.rank:
            raise ValidationFailed(
                f"「{rule.label}」の文書に、決裁者と同じかそれより上の職（{own.post.name}）の職員は"
                "回議者として追加できません。",
                field="extra_reviewers",
            )
        own.user = user
        reviewers.append(own)
        seen.add(user.pk)
    reviewers.sort(key=lambda a: a.post.rank)
    steps = [_step(StepKind.REVIEW, stage, a) for stage, a in enumerate(reviewers, start=1)]
    stage = len(reviewers) + 1
    consulted: set[int] = set()
    for unit in mandatory_consults(matter_kind, on=on, rule=rule, rules=rules):
        # A section of the route already (the drafter's own, or its head on the chain) has seen the matter.
        if (own_section is not None and unit.pk == own_section.pk) or unit.pk in consulted:
            continue
        head = org.unit_head(unit, on=on)
        if head is None:
            raise ValidationFailed(
                f"「{matter_kind.name}」の必須合議先の{unit.name}に{on:%Y年%m月%d日}現在の課長がいないため、"
                "回議できません。",
                field="matter_kind",
            )
        if head.user_id in seen:
            continue
        consulted.add(unit.pk)
        seen.add(head.user_id)
        steps.append(_step(StepKind.CONSULT, stage, head))
    required_units = set(consulted)
    for unit in consult_units:
        if unit.pk in required_units:
            continue  # the drafter named a mandatory consult too: it is on the route once
        if unit.kind != UnitKind.SECTION:
            raise ValidationFailed(f"合議先には課を指定してください（{unit.name}）。", field="consult_units")
        if own_section is not None and unit.pk == own_section.pk:
            raise ValidationFailed("自分の課には合議できません。", field="consult_units")
        if unit.pk in consulted:
            raise ValidationFailed(f"{unit.name}が合議先に重複しています。", field="consult_units")
        head = org.unit_head(unit, on=on)
        if head is None:
            raise ValidationFailed(
                f"{unit.name}には{on:%Y年%m月%d日}に課長がいないため合議できません。", field="consult_units"
            )
        if head.user_id in seen:
            raise ValidationFailed(f"{head.user}さんは既にルートに入っています。", field="consult_units")
        consulted.add(unit.pk)
        seen.add(head.user_id)
        steps.append(_step(StepKind.CONSULT, stage, head))
    if consulted:
        stage += 1
    steps.append(_step(StepKind.DECIDE, stage, decider))
    return RoutePlan(steps=tuple(steps), rule=rule, on=on)


def may_skip(step: RouteStep, document: Document, *, on: dt.date) -> bool:
    """Whether an absent approver's step may be skipped into post-review (後閲): 回議 only, not important."""
    return step.kind == StepKind.REVIEW and not document.is_important and org.is_absent(step.assignee, on=on)


def is_proxy_of(actor: User, user: User, *, on: dt.date) -> bool:
    """Whether ``actor`` is the one who decides for ``user`` on the day (代決者), ``user`` being absent."""
    if actor.pk == user.pk:
        return False
    proxy = org.proxy_for(user, on=on)
    return proxy is not None and proxy.pk == actor.pk


def may_decide_as_proxy(step: RouteStep, document: Document, actor: User, *, on: dt.date) -> bool:
    """Whether ``actor`` may decide for the absent decider (代決): not for important matters (重要案件).

    Never the drafter: nobody decides what they drafted, also not as the decider's proxy (職務分掌).
    """
    if step.kind != StepKind.DECIDE or document.is_important or actor.pk == document.drafter_id:
        return False
    return is_proxy_of(actor, step.assignee, on=on)


def deciders_on(section: OrgUnit, rule: DelegationRule, *, on: dt.date) -> list[Assignment]:
    """Who could have decided a matter of ``rule`` for ``section`` on the day (決裁権限のある職員).

    The heads of the section's 係, the section's head and those above them, each only when
    their post reaches the rule's deciding post (roster as of ``on``).
    """
    head = org.unit_head(section, on=on)
    chain = [head, *org.chain_of_command(head.user, on=on)] if head is not None else []
    for unit in OrgUnit.objects.filter(parent=section, kind=UnitKind.SUBSECTION):
        sub_head = org.unit_head(unit, on=on)
        if sub_head is not None:
            chain.append(sub_head)
    return [a for a in chain if a.post.rank >= rule.decider_post.rank]


SEND_BACK_TARGET_STATES = (StepState.APPROVED, StepState.AGREED, StepState.OBJECTED)
"""The states of an earlier step a draft may be sent back to (差戻し先): someone who judged it."""


def send_back_targets(steps: Sequence[RouteStep], step: RouteStep) -> list[RouteStep]:
    """The earlier approvers ``step``'s holder may send the draft back to (差戻し先), in route order.

    Steps of earlier stages of the round that were approved or answered as 合議: not a step
    skipped into 後閲 (its holder is absent), nor one of the same or a later stage. Only a
    pending 回議 or 決裁 step sends back.
    """
    if step.state != StepState.PENDING or step.kind == StepKind.CONSULT:
        return []
    return [s for s in steps if s.round == step.round and s.stage < step.stage and s.state in SEND_BACK_TARGET_STATES]


def sample_drafter(section: OrgUnit, *, on: dt.date) -> User | None:
    """A member of staff of ``section`` (or one of its 係) on the day who could draft: the lowest post."""
    held = (
        Assignment.objects.on(on)
        .filter(is_primary=True, user__is_active=True)
        .filter(Q(unit=section) | Q(unit__parent=section))
        .select_related("user")
        .order_by("post__rank", "unit__sort_order", "unit__code", "pk")
        .first()
    )
    return held.user if held is not None else None


@dataclass(frozen=True)
class RoutePreview:
    """The route a sample matter would get on a day: the plan, or why there is none (in Japanese)."""

    on: dt.date
    plan: RoutePlan | None
    error: str = ""
    drafter: User | None = None

    @property
    def rule(self) -> DelegationRule | None:
        """The row that decides it, if any."""
        return self.plan.rule if self.plan is not None else None


def preview_route(
    *,
    matter_kind: MatterKind,
    amount: int | None,
    section: OrgUnit,
    setsu: str = "",
    on: dt.date,
    rules: RuleSet | None = None,
) -> RoutePreview:
    """The route a sample matter of ``section`` would get on ``on`` (ルートのプレビュー), under ``rules`` if given.

    The route starts from a member of the section as drafter (``sample_drafter``); a rule that
    cannot be applied (no row, no decider on the day) is shown as its message, never raised.
    """
    drafter = sample_drafter(section, on=on)
    if drafter is None:
        return RoutePreview(on, None, f"{section.name}には{on:%Y年%m月%d日}に起案できる職員がいません。")
    try:
        plan = plan_route(
            drafter=drafter, matter_kind=matter_kind, amount=amount, on=on, section=section, setsu=setsu, rules=rules
        )
    except ValidationFailed as exc:
        return RoutePreview(on, None, exc.message, drafter)
    return RoutePreview(on, plan, "", drafter)
