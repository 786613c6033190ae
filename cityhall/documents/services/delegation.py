"""Editing the 事務決裁規程 (決裁区分の追加・改正・廃止・取消): by the 文書主管, audited, never retroactive.

A row in effect is never changed in place: a change (改正) ends it the day before its successor
takes effect, so a document keeps the row it was routed by (``Document.delegation_rule``). Every
edit takes effect from tomorrow at the earliest: a change applies to drafts submitted from its
date (施行日). A row that has not yet taken effect may be cancelled (取消); the row it replaced
is then in effect again. Each service locks the kind of matter, so edits of one kind run one
at a time and two rows of one slot (kind, 部・課, 節, bound) never overlap in time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, check_line
from cityhall.documents.models import DelegationRule, Document, MatterKind
from cityhall.documents.services._common import is_document_manager, require_user, today
from cityhall.org.models import OrgUnit, Post, UnitKind

NOT_ALLOWED = "事務決裁規程を編集できるのは、文書主管の職員だけです。"
_SETSU = re.compile(r"^[0-9]{1,10}$")


def _manager(actor: Any, day: dt.date) -> User:
    user = require_user(actor)
    if not is_document_manager(user, on=day):
        raise PermissionDenied(NOT_ALLOWED)
    return user


def _future(day: dt.date, today_: dt.date, *, field: str, what: str) -> None:
    if day <= today_:
        raise ValidationFailed(
            f"{what}は明日以降の日付にしてください（規程の改正は、その日以降に回議を開始する文書から適用されます）。",
            field=field,
        )


def _lock_kind(kind: MatterKind) -> MatterKind:
    return MatterKind.objects.select_for_update().get(pk=kind.pk)


def _audit(actor: User, action: str, rule: DelegationRule, before: dict[str, Any] | None, **extra: Any) -> None:
    after = snapshot(rule) | {"consult_unit_ids": sorted(u.pk for u in rule.consult_units.all())} | extra
    record(actor=actor, action=f"documents.delegation_rule.{action}", obj=rule, before=before, after=after)


def _check_row(rule: DelegationRule, consult_units: Sequence[OrgUnit]) -> None:
    """The row's own fields, with Japanese messages naming the field."""
    kind = rule.matter_kind
    if rule.unit is not None and rule.unit.kind not in (UnitKind.DEPARTMENT, UnitKind.SECTION):
        raise ValidationFailed("対象には部または課を指定してください（空欄は全庁）。", field="unit")
    rule.budget_setsu = (rule.budget_setsu or "").strip()
    if rule.budget_setsu and not _SETSU.match(rule.budget_setsu):
        raise ValidationFailed("予算の節は番号（半角数字、例: 14）で入力してください。", field="budget_setsu")
    if rule.amount_below is not None:
        if not kind.amount_based:
            raise ValidationFailed(f"「{kind.name}」は金額で決裁区分が変わらない種類です。", field="amount_below")
        if rule.amount_below <= 0 or rule.amount_below >= 10**12:
            raise ValidationFailed("金額（未満）は1円以上、1兆円未満にしてください。", field="amount_below")
    rule.label = check_line((rule.label or "").strip(), field="label", label="決裁区分", max_length=20)
    if not rule.label:
        raise ValidationFailed("決裁区分（例: 課長専決）を入力してください。", field="label")
    rule.note = check_line((rule.note or "").strip(), field="note", label="改正の理由・備考", max_length=200)
    for unit in consult_units:
        if unit.kind != UnitKind.SECTION:
            raise ValidationFailed(f"必須合議先には課を指定してください（{unit.name}）。", field="consult_units")


def _check_free(rule: DelegationRule, *, ignoring: DelegationRule | None = None) -> None:
    """No other row of the same slot is in effect during the row's period."""
    others = DelegationRule.objects.overlapping(rule.valid_from, rule.valid_to).filter(
        matter_kind=rule.matter_kind,
        unit=rule.unit,
        budget_setsu=rule.budget_setsu,
        amount_below=rule.amount_below,
    )
    if ignoring is not None:
        others = others.exclude(pk=ignoring.pk)
    clash = others.order_by("valid_from").first()
    if clash is not None:
        until = f"{clash.valid_to:%Y年%m月%d日}まで" if clash.valid_to else "廃止の予定なし"
        raise ValidationFailed(
            f"同じ種類・対象・金額の行（{clash.valid_from:%Y年%m月%d日}から{until}）と期間が重なります。"
            "その行を改正するか、廃止してから追加してください。",
            field="valid_from",
        )


def delegation_rule_add(
    *,
    actor: User,
    matter_kind: MatterKind,
    decider_post: Post,
    label: str,
    valid_from: dt.date,
    amount_below: int | None = None,
    unit: OrgUnit | None = None,
    budget_setsu: str = "",
    consult_units: Sequence[OrgUnit] = (),
    note: str = "",
    on: dt.date | None = None,
) -> DelegationRule:
    """Add a row to the 事務決裁規程 (決裁区分の追加), in effect from ``valid_from`` (tomorrow or later)."""
    day = today(on)
    actor = _manager(actor, day)
    _future(valid_from, day, field="valid_from", what="施行日")
    with transaction.atomic(durable=True):
        kind = _lock_kind(matter_kind)
        rule = DelegationRule(
            matter_kind=kind,
            unit=unit,
            budget_setsu=budget_setsu,
            amount_below=amount_below,
            decider_post=decider_post,
            label=label,
            valid_from=valid_from,
            note=note,
        )
        _check_row(rule, consult_units)
        _check_free(rule)
        rule.save()
        rule.consult_units.set(consult_units)
        _audit(actor, "add", rule, None)
    return rule


def delegation_rule_change(
    *,
    actor: User,
    rule: DelegationRule,
    valid_from: dt.date,
    decider_post: Post,
    label: str,
    amount_below: int | None,
    consult_units: Sequence[OrgUnit] = (),
    note: str = "",
    on: dt.date | None = None,
) -> DelegationRule:
    """Change a row from ``valid_from`` (改正): the row ends the day before and its successor takes over.

    The successor keeps the row's kind and scope (部・課, 節) and any end already scheduled;
    the deciding post, label, bound and mandatory consults are the new ones. Returns the successor.
    """
    day = today(on)
    actor = _manager(actor, day)
    _future(valid_from, day, field="valid_from", what="改正の施行日")
    with transaction.atomic(durable=True):
        _lock_kind(rule.matter_kind)
        old = (
            DelegationRule.objects.select_for_update(of=("self",)).select_related("matter_kind", "unit").get(pk=rule.pk)
        )
        if old.valid_from >= valid_from:
            raise ValidationFailed(
                f"この行の施行日（{old.valid_from:%Y年%m月%d日}）より後の日を改正の施行日にしてください。"
                "まだ施行されていない行は、取り消してから追加し直してください。",
                field="valid_from",
            )
        if old.valid_to is not None and old.valid_to < valid_from:
            raise Conflict(f"この行は{old.valid_to:%Y年%m月%d日}で廃止されるため、その後の日付では改正できません。")
        new = DelegationRule(
            matter_kind=old.matter_kind,
            unit=old.unit,
            budget_setsu=old.budget_setsu,
            amount_below=amount_below,
            decider_post=decider_post,
            label=label,
            valid_from=valid_from,
            valid_to=old.valid_to,
            replaces=old,
            note=note,
        )
        _check_row(new, consult_units)
        before = snapshot(old)
        old.valid_to = valid_from - dt.timedelta(days=1)
        old.save(update_fields=["valid_to"])
        _check_free(new, ignoring=old)
        new.save()
        new.consult_units.set(consult_units)
        _audit(actor, "change", old, before, replaced_by=new.pk)
        _audit(actor, "add", new, None, replaces=old.pk)
    return new


def delegation_rule_end(
    *, actor: User, rule: DelegationRule, last_day: dt.date, note: str = "", on: dt.date | None = None
) -> DelegationRule:
    """End a row (廃止): in effect up to ``last_day`` (today or later), not after it.

    A row already changed (改正: a successor follows it) is ended through its successor.
    """
    day = today(on)
    actor = _manager(actor, day)
    if last_day < day:
        raise ValidationFailed("廃止日（この日まで有効）は今日以降の日付にしてください。", field="last_day")
    with transaction.atomic(durable=True):
        _lock_kind(rule.matter_kind)
        rule = DelegationRule.objects.select_for_update().get(pk=rule.pk)
        if DelegationRule.objects.filter(replaces=rule).exists():
            raise Conflict("この行には改正後の行があります。改正後の行を廃止または取り消してください。")
        if last_day < rule.valid_from:
            raise ValidationFailed("施行前の行は、廃止ではなく取り消してください。", field="last_day")
        if rule.valid_to is not None and rule.valid_to <= last_day:
            raise Conflict(f"この行は既に{rule.valid_to:%Y年%m月%d日}で廃止されます。")
        before = snapshot(rule)
        rule.valid_to = last_day
        rule.note = check_line((note or rule.note).strip(), field="note", label="改正の理由・備考", max_length=200)
        rule.save(update_fields=["valid_to", "note"])
        _audit(actor, "end", rule, before)
    return rule


def delegation_rule_cancel(*, actor: User, rule: DelegationRule, on: dt.date | None = None) -> None:
    """Cancel a row that has not yet taken effect (取消); the row it was to replace applies again."""
    day = today(on)
    actor = _manager(actor, day)
    with transaction.atomic(durable=True):
        _lock_kind(rule.matter_kind)
        rule = DelegationRule.objects.select_for_update().get(pk=rule.pk)
        if rule.valid_from <= day:
            raise Conflict("施行された行は取り消せません。廃止してください。")
        if (
            DelegationRule.objects.filter(replaces=rule).exists()
            or Document.objects.filter(delegation_rule=rule).exists()
        ):
            raise Conflict("この行は他の行や文書から参照されているため取り消せません。")
        before = snapshot(rule) | {"consult_unit_ids": sorted(u.pk for u in rule.consult_units.all())}
        previous, pk, text = rule.replaces, rule.pk, str(rule)
        rule.consult_units.clear()
        rule.delete()
        record(
            actor=actor,
            action="documents.delegation_rule.cancel",
            object_type=DelegationRule._meta.label_lower,
            object_id=str(pk),
            object_repr=text,
            before=before,
        )
        if previous is not None:
            previous = DelegationRule.objects.select_for_update().get(pk=previous.pk)
            reopened = snapshot(previous)
            previous.valid_to = before["valid_to"]
            _check_free(previous, ignoring=previous)
            previous.save(update_fields=["valid_to"])
            _audit(actor, "reopen", previous, reopened, cancelled=pk)
