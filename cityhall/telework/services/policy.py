"""Writes of the remote-access policy (リモートアクセスの方針の変更): all rules at once, audited.

A change is refused, nothing saved, when a rule names an unknown class, role or mode, gives a class
a mode its screens cannot honour (``core.remote_policy.ALLOWED``), or would lock the one changing it
out of this screen: saved from outside the office, a policy that keeps the actor's roles away from
the policy screen (「表示しない」) would leave nobody able to undo it from where they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.context import current_access
from cityhall.core.errors import ValidationFailed
from cityhall.core.remote_policy import ALLOWED, DataClass, Mode
from cityhall.org.models import Role
from cityhall.org.selectors import roles_of
from cityhall.telework import provider
from cityhall.telework.access import require_configure
from cityhall.telework.models import RemoteRule, TeleworkLimits

CHANGE = "telework.policy.change"
LIMITS_CHANGE = "telework.limits.change"
LOCK_OUT = (
    "この方針を保存すると、庁外から接続しているあなた（情報政策）がこの画面を開けなくなり、方針を戻せなくなります。"
    "「リモートアクセスの方針の画面」を「表示しない」にするときは、庁内のネットワークから変更してください。"
)


@dataclass(frozen=True)
class RuleInput:
    """One rule as given: data class, role ("" for everyone) and mode."""

    data_class: str
    role: str
    mode: str


def field_name(data_class: str, role: str) -> str:
    """The form field (and error field) of a rule: 「personal__all」, 「personal__accounting」."""
    return f"{data_class}__{role or 'all'}"


def _checked(rules: Iterable[RuleInput]) -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for rule in rules:
        field = field_name(rule.data_class, rule.role)
        if rule.data_class not in DataClass.values:
            raise ValidationFailed(f"データの区分「{rule.data_class}」はありません。", field="data_class")
        if rule.role and rule.role not in Role.values:
            raise ValidationFailed(f"権限「{rule.role}」はありません。", field="role")
        if rule.mode not in Mode.values:
            raise ValidationFailed(f"表示の方法「{rule.mode}」はありません（see, masked, none）。", field=field)
        data_class, mode = DataClass(rule.data_class), Mode(rule.mode)
        if mode not in ALLOWED[data_class]:
            allowed = "、".join(f"「{m.label}」" for m in ALLOWED[data_class])
            raise ValidationFailed(
                f"「{data_class.label}」には「{mode.label}」は設定できません（設定できるのは {allowed}）。", field=field
            )
        if (rule.data_class, rule.role) in table:
            raise ValidationFailed(f"「{data_class.label}」の同じ権限の規則が2つあります。", field=field)
        table[(rule.data_class, rule.role)] = rule.mode
    return table


def _readable(table: dict[tuple[str, str], str]) -> list[dict[str, str]]:
    return [{"data_class": dc, "role": role or "*", "mode": mode} for (dc, role), mode in sorted(table.items())]


def remote_policy_set(*, actor: User, rules: Iterable[RuleInput]) -> bool:
    """Replace the policy's rules (方針の変更) for the 情報政策 role; False when nothing changed."""
    require_configure(actor)
    table = _checked(rules)
    if not current_access().is_office:
        roles = roles_of(actor, on=timezone.localdate())
        if provider.mode_in(table, roles, DataClass.POLICY) is Mode.NONE:
            raise ValidationFailed(LOCK_OUT, field=field_name(DataClass.POLICY, Role.IT_ADMIN))
    with transaction.atomic(durable=True):
        before = {(r.data_class, r.role): r.mode for r in RemoteRule.objects.select_for_update()}
        if before == table:
            return False
        RemoteRule.objects.all().delete()
        RemoteRule.objects.bulk_create(
            RemoteRule(data_class=dc, role=role, mode=mode) for (dc, role), mode in table.items()
        )
        record(
            actor=actor,
            action=CHANGE,
            object_type="telework.remoterule",
            object_repr="リモートアクセスの方針",
            before={"rules": _readable(before)},
            after={"rules": _readable(table)},
        )
    provider.forget(actor)
    return True


@dataclass(frozen=True)
class LimitsInput:
    """The limits as IT sets them: days a week per person, share of a 課 per day, approved days only."""

    max_days_per_week: int
    max_section_percent: int
    approved_days_only: bool


def telework_limits_set(*, actor: User, limits: LimitsInput) -> bool:
    """Set the limits of telework days (テレワークの上限の変更) for the 情報政策 role; False when unchanged."""
    require_configure(actor)
    if not 1 <= limits.max_days_per_week <= 7:
        raise ValidationFailed("1週間の上限は1日から7日までにしてください。", field="max_days_per_week")
    if not 1 <= limits.max_section_percent <= 100:
        raise ValidationFailed("課の上限は1%から100%までにしてください。", field="max_section_percent")
    fields = ("max_days_per_week", "max_section_percent", "approved_days_only")
    with transaction.atomic(durable=True):
        TeleworkLimits.objects.get_or_create(pk=1)
        row = TeleworkLimits.objects.select_for_update().get(pk=1)
        before = {f: getattr(row, f) for f in fields}
        after = {f: getattr(limits, f) for f in fields}
        if before == after:
            return False
        for name, value in after.items():
            setattr(row, name, value)
        row.save()
        record(
            actor=actor,
            action=LIMITS_CHANGE,
            object_type="telework.teleworklimits",
            object_repr="テレワークの上限",
            before=before,
            after=after,
        )
    return True
