"""The 事務決裁規程 through the API: read by everyone; add, change, end and cancel by the 文書主管; preview.

The same services as the screens (``services.delegation``): edits take effect from tomorrow at the
earliest, a change ends its row the day before its successor, and each edit is audited. The
preview answers the route of a sample matter today and on a later day, with an unsaved row put in.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ValidationFailed
from cityhall.core.http import BodyId, Id, Yen
from cityhall.documents import services
from cityhall.documents.api import _common as c
from cityhall.documents.models import DelegationRule, MatterKind
from cityhall.documents.rules import RoutePreview
from cityhall.documents.selectors_rules import Proposed, compare_routes, rule_for, rule_status
from cityhall.org.models import OrgUnit, Post

router = Router(tags=["事務決裁規程"])


class DelegationRuleOut(Schema):
    """One row of the 事務決裁規程 (決裁区分)."""

    id: int
    matter_kind_id: int
    matter_kind: str
    unit_id: int | None = Field(description="対象の部・課（null は全庁）")
    unit: str | None
    budget_setsu: str = Field(description="予算の節の番号（空は全ての節）")
    amount_below: int | None = Field(description="この金額未満（null は上限なし）")
    decider_post: str = Field(description="決裁する職のコード（kacho など）")
    decider_post_name: str
    label: str = Field(description="決裁区分（課長専決など）")
    consult_unit_ids: list[int] = Field(description="必須合議先の課")
    valid_from: dt.date = Field(description="施行日")
    valid_to: dt.date | None = Field(description="廃止日（この日まで有効）")
    replaces_id: int | None = Field(description="改正前の行")
    note: str
    status: str = Field(description="current 施行中 / scheduled 施行予定 / ended 廃止")

    @staticmethod
    def resolve_matter_kind(obj: DelegationRule) -> str:
        return obj.matter_kind.name

    @staticmethod
    def resolve_unit(obj: DelegationRule) -> str | None:
        return obj.unit.name if obj.unit is not None else None

    @staticmethod
    def resolve_decider_post(obj: DelegationRule) -> str:
        return obj.decider_post.code

    @staticmethod
    def resolve_decider_post_name(obj: DelegationRule) -> str:
        return obj.decider_post.name

    @staticmethod
    def resolve_consult_unit_ids(obj: DelegationRule) -> list[int]:
        return sorted(u.pk for u in obj.consult_units.all())

    @staticmethod
    def resolve_status(obj: DelegationRule) -> str:
        return rule_status(obj, timezone.localdate())


class RuleChangeIn(Schema):
    """What a change (改正) sets from its 施行日: the deciding post, label, bound and mandatory consults."""

    decider_post: str = Field(description="決裁する職のコード（kacho, bucho, fukushicho, shicho …）")
    label: str
    amount_below: Yen | None = None
    consult_unit_ids: list[BodyId] = Field(default_factory=list, description="必須合議先の課")
    valid_from: dt.date = Field(description="施行日（明日以降）")
    note: str = ""


class RuleIn(RuleChangeIn):
    """A new row (行の追加): a change's fields with the kind of matter and the scope."""

    matter_kind_id: BodyId
    unit_id: BodyId | None = Field(None, description="対象の部・課（省略は全庁）")
    budget_setsu: str = Field("", description="予算の節の番号（省略は全ての節）")


class RuleEndIn(Schema):
    """Ending a row (廃止)."""

    last_day: dt.date = Field(description="廃止日（この日まで有効、今日以降）")
    note: str = ""


class RoutePreviewIn(Schema):
    """A sample matter, the day to compare with, and optionally an unsaved row (or change of ``replaces_id``)."""

    matter_kind_id: BodyId
    amount: Yen | None = None
    section_id: BodyId
    budget_setsu: str = ""
    later: dt.date | None = Field(None, description="比べる日（省略時は proposed の施行日、なければ明日）")
    proposed: RuleIn | None = Field(None, description="保存前の行（改正なら replaces_id も）")
    replaces_id: BodyId | None = None


class PreviewStepOut(Schema):
    """One step of a previewed route."""

    kind: str
    label: str
    assignee: str


class RoutePreviewOut(Schema):
    """The route a sample matter gets on a day, or why it gets none."""

    on: dt.date
    decision_label: str | None
    rule_id: int | None
    steps: list[PreviewStepOut]
    error: str
    drafter: str | None


class RouteComparisonOut(Schema):
    """The routes side by side: under the rules of today and of the later day."""

    current: RoutePreviewOut
    later: RoutePreviewOut


ONE = {200: DelegationRuleOut, **c.ERRORS}
NEW = {201: DelegationRuleOut, **c.ERRORS}


def _post(code: str) -> Post:
    post = Post.objects.filter(code=code).first()
    if post is None:
        raise ValidationFailed("決裁する職が見つかりません（職のコードを指定してください）。", field="decider_post")
    return post


def _unit(pk: int | None, field: str) -> OrgUnit | None:
    return c.units([pk], field)[0] if pk is not None else None


def _preview_out(preview: RoutePreview) -> dict[str, object]:
    plan = preview.plan
    return {
        "on": preview.on,
        "decision_label": plan.decision_label if plan is not None else None,
        "rule_id": plan.rule.pk if plan is not None else None,
        "steps": [{"kind": s.kind, "label": s.label, "assignee": s.assignee.full_name} for s in plan.steps]
        if plan is not None
        else [],
        "error": preview.error,
        "drafter": preview.drafter.full_name if preview.drafter is not None else None,
    }


@router.get("/delegation-rules", response=list[DelegationRuleOut], summary="事務決裁規程の一覧")
def rule_list(request: HttpRequest, include_ended: bool = False) -> list[DelegationRule]:
    """The rows in effect and scheduled (施行中・施行予定); ``include_ended`` adds the ended ones."""
    rows = DelegationRule.objects.select_related("matter_kind", "unit", "decider_post").prefetch_related(
        "consult_units"
    )
    if not include_ended:
        today = timezone.localdate()
        rows = rows.exclude(valid_to__lt=today)
    return list(rows.order_by("matter_kind__sort_order", "matter_kind_id", "valid_from", "pk"))


@router.post("/delegation-rules", response=NEW, summary="事務決裁規程の行の追加")
def rule_add(request: HttpRequest, payload: RuleIn) -> Status[DelegationRule]:
    """Add a row from its 施行日 (文書主管 only)."""
    rule = services.delegation_rule_add(
        actor=user_of(request),
        matter_kind=c.matter_kind(payload.matter_kind_id),
        unit=_unit(payload.unit_id, "unit_id"),
        budget_setsu=payload.budget_setsu,
        amount_below=payload.amount_below,
        decider_post=_post(payload.decider_post),
        label=payload.label,
        consult_units=c.units(payload.consult_unit_ids, "consult_unit_ids"),
        valid_from=payload.valid_from,
        note=payload.note,
    )
    return Status(201, rule_for(rule.pk))


@router.post("/delegation-rules/{int:rule_id}/change", response=NEW, summary="事務決裁規程の改正")
def rule_change(request: HttpRequest, rule_id: Id, payload: RuleChangeIn) -> Status[DelegationRule]:
    """Change a row from a future 施行日: the row ends the day before; answers the successor (文書主管 only)."""
    new = services.delegation_rule_change(
        actor=user_of(request),
        rule=rule_for(rule_id),
        valid_from=payload.valid_from,
        decider_post=_post(payload.decider_post),
        label=payload.label,
        amount_below=payload.amount_below,
        consult_units=c.units(payload.consult_unit_ids, "consult_unit_ids"),
        note=payload.note,
    )
    return Status(201, rule_for(new.pk))


@router.post("/delegation-rules/{int:rule_id}/end", response=ONE, summary="事務決裁規程の行の廃止")
def rule_end(request: HttpRequest, rule_id: Id, payload: RuleEndIn) -> DelegationRule:
    """End a row: it applies up to ``last_day`` (文書主管 only)."""
    rule = services.delegation_rule_end(
        actor=user_of(request), rule=rule_for(rule_id), last_day=payload.last_day, note=payload.note
    )
    return rule_for(rule.pk)


@router.delete("/delegation-rules/{int:rule_id}", response={204: None, **c.ERRORS}, summary="施行前の行の取消")
def rule_cancel(request: HttpRequest, rule_id: Id) -> Status[None]:
    """Cancel a row not yet in effect; the row it was to replace applies again (文書主管 only)."""
    services.delegation_rule_cancel(actor=user_of(request), rule=rule_for(rule_id))
    return Status(204, None)


@router.post("/delegation-rules/preview", response={200: RouteComparisonOut, **c.ERRORS}, summary="ルートのプレビュー")
def rule_preview(request: HttpRequest, payload: RoutePreviewIn) -> dict[str, object]:
    """The route of a sample matter today and on ``later``, with an unsaved row put in if given."""
    kind: MatterKind = c.matter_kind(payload.matter_kind_id)
    section = c.units([payload.section_id], "section_id")[0]
    today = timezone.localdate()
    proposed = None
    if payload.proposed is not None:
        p = payload.proposed
        replacing = rule_for(payload.replaces_id) if payload.replaces_id is not None else None
        rule = DelegationRule(
            matter_kind=replacing.matter_kind if replacing is not None else c.matter_kind(p.matter_kind_id),
            unit=replacing.unit if replacing is not None else _unit(p.unit_id, "unit_id"),
            budget_setsu=replacing.budget_setsu if replacing is not None else p.budget_setsu.strip(),
            amount_below=p.amount_below,
            decider_post=_post(p.decider_post),
            label=p.label,
            valid_from=p.valid_from,
        )
        proposed = Proposed(rule, tuple(c.units(p.consult_unit_ids, "consult_unit_ids")), replacing)
    later = payload.later or (proposed.rule.valid_from if proposed else today + dt.timedelta(days=1))
    now, then = compare_routes(
        matter_kind=kind,
        amount=payload.amount,
        section=section,
        setsu=payload.budget_setsu.strip(),
        on=today,
        later=later,
        proposed=proposed,
    )
    return {"current": _preview_out(now), "later": _preview_out(then)}
