"""Route rules (事務決裁規程とルート): who decides, and the route a draft travels.

Pure reads: the route is planned from the delegation rules and the roster
**as of a date** (``chain_of_command(drafter, on=day)``), so the same draft
submitted after the April transfer (人事異動) goes to the new post holders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F

from cityhall.accounts.models import User
from cityhall.core.errors import ValidationFailed
from cityhall.documents.models import DelegationRule, Document, MatterKind, RouteStep, StepKind
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


def decision_rule(matter_kind: MatterKind, amount: int | None) -> DelegationRule:
    """The delegation rule (決裁区分) for a kind of matter and amount."""
    if matter_kind.amount_based and amount is None:
        raise ValidationFailed(f"「{matter_kind.name}」の文書には金額を入力してください。", field="amount")
    if amount is not None and amount < 0:
        raise ValidationFailed("金額は0円以上にしてください。", field="amount")
    rules = DelegationRule.objects.filter(matter_kind=matter_kind).select_related("decider_post")
    rules = rules.order_by(F("amount_below").asc(nulls_last=True))
    for rule in rules:
        if rule.amount_below is None or (amount or 0) < rule.amount_below:
            return rule
    raise ValidationFailed(f"「{matter_kind.name}」の決裁区分が事務決裁規程に定められていません。", field="matter_kind")


def mandatory_consults(matter_kind: MatterKind, *, on: dt.date) -> list[OrgUnit]:
    """The sections a document of the kind must be consulted with (必須合議先), existing on the day."""
    if matter_kind.pk is None:
        return []
    units = OrgUnit.objects.filter(pk__in=matter_kind.consult_units.values("pk")).on(on)
    return list(units.order_by("sort_order", "code"))


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
) -> RoutePlan:
    """The route a draft must travel (回議ルート), with the drafter's additions checked against the rules.

    回議 goes up the drafter's chain of command to the deciding post; extra
    reviewers are placed by rank below the decider; consulted sections (合議)
    form one parallel stage just before the decision. The kind's mandatory
    consults (必須合議先, ``MatterKind.consult_units``) are always in that stage, unless the
    section is the drafter's own or its head is already on the route: the drafter can add
    to the route, never take them out. A route that would break the rules raises
    ``ValidationFailed`` with a Japanese message.
    """
    rule = decision_rule(matter_kind, amount)
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
    own_section = section_of(drafter, on=on)
    consulted: set[int] = set()
    for unit in mandatory_consults(matter_kind, on=on):
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
