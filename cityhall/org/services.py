"""Writes to the organisation (組織の更新): units, assignments, absences, roles.

Each public service runs in its own durable transaction, locks the rows it
decides on, validates with Japanese messages (``ValidationFailed``) and writes
its audit entry in the same transaction. Only the IT section (情報政策, the
``it_admin`` role), superusers and system actors (a label such as
``"seed_demo"``) may change the organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.utils import reset
from django.db import transaction
from django.utils import timezone

from cityhall.accounts import services as accounts_services
from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import PermissionDenied, ValidationFailed, clean
from cityhall.core.japanese.display import shown_date
from cityhall.org import selectors
from cityhall.org.models import PARENT_KIND, Absence, Assignment, Municipality, OrgUnit, Post, Role, RoleGrant

Actor = User | str


def _authorise(actor: Actor) -> None:
    if isinstance(actor, str):
        return
    if actor.is_active and (actor.is_superuser or selectors.has_role(actor, Role.IT_ADMIN)):
        return
    raise PermissionDenied("組織を変更する権限がありません。")


def _lock_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _date_range_text(start: dt.date, end: dt.date | None) -> str:
    return f"{shown_date(start)}〜{'' if end is None else shown_date(end)}"


def unit_create(
    *,
    actor: Actor,
    municipality: Municipality,
    kind: str,
    code: str,
    name: str,
    valid_from: dt.date,
    parent: OrgUnit | None = None,
    kana: str = "",
    symbol: str = "",
    sort_order: int = 0,
) -> OrgUnit:
    """Create an organisational unit (組織の新設), e.g. a new 課 from 1 April."""
    _authorise(actor)
    with transaction.atomic(durable=True):
        if parent is not None:
            parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
        expected = PARENT_KIND.get(kind)
        if parent is not None and (expected is None or parent.kind != expected):
            raise ValidationFailed(
                "上位組織の種別が正しくありません（係は課の下、課は部の下に置きます）。", field="parent"
            )
        if parent is not None and not OrgUnit.objects.on(valid_from).filter(pk=parent.pk).exists():
            raise ValidationFailed("上位組織が設置日に存在しません。", field="parent")
        unit = OrgUnit(
            municipality=municipality,
            kind=kind,
            code=code,
            name=name,
            kana=kana,
            symbol=symbol,
            parent=parent,
            sort_order=sort_order,
            valid_from=valid_from,
        )
        clean(unit)
        unit.save()
        record(actor=actor, action="org.unit.create", obj=unit, after=snapshot(unit))
    return unit


def unit_abolish(*, actor: Actor, unit: OrgUnit, valid_to: dt.date) -> OrgUnit:
    """Abolish a unit after ``valid_to`` (組織の廃止), e.g. on 31 March."""
    _authorise(actor)
    with transaction.atomic(durable=True):
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        before = snapshot(unit)
        after_end = valid_to + dt.timedelta(days=1)
        if OrgUnit.objects.filter(parent=unit).overlapping(after_end, None).exists():
            raise ValidationFailed("廃止日より後も存続する下位組織があります。", field="valid_to")
        if Assignment.objects.filter(unit=unit).overlapping(after_end, None).exists():
            raise ValidationFailed("廃止日より後も在任する職員がいます。先に異動させてください。", field="valid_to")
        unit.valid_to = valid_to
        clean(unit)
        unit.save(update_fields=["valid_to"])
        record(actor=actor, action="org.unit.abolish", obj=unit, before=before, after=snapshot(unit))
    return unit


def _close_previous_primaries(actor: Actor, user: User, valid_from: dt.date, valid_to: dt.date | None) -> None:
    """End the primary assignments that run into the new one the day before it starts."""
    overlapping = (
        Assignment.objects.select_for_update().filter(user=user, is_primary=True).overlapping(valid_from, valid_to)
    )
    for previous in overlapping:
        if previous.valid_from >= valid_from:
            raise ValidationFailed(
                "発令日以降に始まる本務の配置が既にあります"
                f"（{previous.unit} {previous.post} {_date_range_text(previous.valid_from, previous.valid_to)}）。",
                field="valid_from",
            )
        before = snapshot(previous)
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
        record(actor=actor, action="org.assignment.end", obj=previous, before=before, after=snapshot(previous))


def assignment_create(
    *,
    actor: Actor,
    user: User,
    unit: OrgUnit,
    post: Post,
    valid_from: dt.date,
    is_primary: bool = True,
    valid_to: dt.date | None = None,
) -> Assignment:
    """Assign staff to a unit and post (配置・人事異動).

    A new primary assignment (本務) ends the previous one on the day before it
    starts, which is how the April transfer is recorded; a concurrent one
    (兼務) leaves it alone.
    """
    _authorise(actor)
    with transaction.atomic(durable=True):
        user = _lock_user(user)
        if not user.is_active:
            raise ValidationFailed("無効な職員には配置できません。", field="user")
        if valid_to is not None and valid_to < valid_from:
            raise ValidationFailed("終了日は発令日以降の日付にしてください。", field="valid_to")
        unit = OrgUnit.objects.get(pk=unit.pk)
        if not OrgUnit.objects.on(valid_from).filter(pk=unit.pk).exists():
            raise ValidationFailed("発令日に存在しない組織には配置できません。", field="unit")
        if unit.valid_to is not None and (valid_to is None or valid_to > unit.valid_to):
            raise ValidationFailed(
                f"{unit}は{shown_date(unit.valid_to)}に廃止されます。終了日を指定してください。", field="valid_to"
            )
        if is_primary:
            _close_previous_primaries(actor, user, valid_from, valid_to)
        assignment = Assignment(
            user=user, unit=unit, post=post, is_primary=is_primary, valid_from=valid_from, valid_to=valid_to
        )
        clean(assignment)
        assignment.save()
        record(actor=actor, action="org.assignment.create", obj=assignment, after=snapshot(assignment))
    return assignment


def assignment_end(*, actor: Actor, assignment: Assignment, valid_to: dt.date) -> Assignment:
    """End an assignment after ``valid_to`` (退職・兼務解除)."""
    _authorise(actor)
    with transaction.atomic(durable=True):
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if valid_to < assignment.valid_from:
            raise ValidationFailed("終了日は発令日以降の日付にしてください。", field="valid_to")
        if assignment.valid_to is not None and valid_to > assignment.valid_to:
            raise ValidationFailed("終了日を延ばすことはできません。新たに配置してください。", field="valid_to")
        before = snapshot(assignment)
        assignment.valid_to = valid_to
        assignment.save(update_fields=["valid_to"])
        record(actor=actor, action="org.assignment.end", obj=assignment, before=before, after=snapshot(assignment))
    return assignment


def absence_register(
    *,
    actor: Actor,
    user: User,
    starts_on: dt.date,
    ends_on: dt.date,
    proxy: User | None = None,
    reason: str = "",
) -> Absence:
    """Register an absence and its designated proxy (不在・代決者の登録)."""
    _authorise(actor)
    with transaction.atomic(durable=True):
        user = _lock_user(user)
        if ends_on < starts_on:
            raise ValidationFailed("終了日は開始日以降の日付にしてください。", field="ends_on")
        if proxy is not None and proxy.pk == user.pk:
            raise ValidationFailed("本人を代決者にはできません。", field="proxy")
        if Absence.objects.filter(user=user, starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
            raise ValidationFailed("この期間には既に不在が登録されています。", field="starts_on")
        if proxy is not None and selectors.primary_assignment(proxy, on=starts_on) is None:
            raise ValidationFailed("代決者には開始日に在職している職員を指定してください。", field="proxy")
        absence = Absence(user=user, starts_on=starts_on, ends_on=ends_on, proxy=proxy, reason=reason)
        clean(absence)
        absence.save()
        record(actor=actor, action="org.absence.create", obj=absence, after=snapshot(absence))
    return absence


def role_grant(
    *,
    actor: Actor,
    user: User,
    role: str,
    valid_from: dt.date,
    unit: OrgUnit | None = None,
    valid_to: dt.date | None = None,
) -> RoleGrant:
    """Grant a role for a period, city-wide or for one unit (権限付与)."""
    _authorise(actor)
    with transaction.atomic(durable=True):
        user = _lock_user(user)
        if role not in Role.values:
            raise ValidationFailed("不明な権限です。", field="role")
        if valid_to is not None and valid_to < valid_from:
            raise ValidationFailed("終了日は開始日以降の日付にしてください。", field="valid_to")
        same = RoleGrant.objects.filter(user=user, role=role, unit=unit).overlapping(valid_from, valid_to)
        if same.exists():
            raise ValidationFailed("同じ期間に同じ権限が既に付与されています。", field="role")
        grant = RoleGrant(user=user, role=role, unit=unit, valid_from=valid_from, valid_to=valid_to)
        clean(grant)
        grant.save()
        record(actor=actor, action="org.role.grant", obj=grant, after=snapshot(grant))
    return grant


def role_revoke(*, actor: Actor, grant: RoleGrant, valid_to: dt.date | None = None) -> RoleGrant | None:
    """Revoke a role (権限の取消): it stays valid up to ``valid_to`` (default yesterday).

    A grant that would not have started by then is removed; returns None then.
    """
    _authorise(actor)
    last_day = valid_to if valid_to is not None else timezone.localdate() - dt.timedelta(days=1)
    with transaction.atomic(durable=True):
        grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        before: dict[str, Any] = snapshot(grant)
        if last_day < grant.valid_from:
            record(actor=actor, action="org.role.revoke", obj=grant, before=before, after=None)
            grant.delete()
            return None
        if grant.valid_to is None or grant.valid_to > last_day:
            grant.valid_to = last_day
            grant.save(update_fields=["valid_to"])
        record(actor=actor, action="org.role.revoke", obj=grant, before=before, after=snapshot(grant))
    return grant


# --- Account support by IT (アカウントの支援: 登録コード・ロック解除) ---------------------


def may_support_accounts(user: Any) -> bool:
    """Whether ``user`` may issue enrolment codes and unlock accounts (情報政策 or superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or selectors.has_role(user, Role.IT_ADMIN)


def enrolment_code_issue(*, actor: User, username: str) -> str:
    """Issue a one-time enrolment code for a user (登録コードの発行); returns the code, shown once."""
    if not may_support_accounts(actor):
        raise PermissionDenied("登録コードを発行する権限がありません。")
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(username=username.strip(), is_active=True).first()
        if user is None:
            raise ValidationFailed("該当する職員が見つかりません。", field="username")
        entry, code = accounts_services.new_enrolment_code(user=user, issued_by=actor.get_username())
        record(
            actor=actor,
            action="auth.enrolment_code_issued",
            obj=user,
            after={"code_id": entry.pk, "expires_at": entry.expires_at.isoformat()},
        )
    return code


def account_unlock(*, actor: User, username: str) -> int:
    """Lift a sign-in lock-out for a user name (ロック解除), at every address; returns how many locks were lifted."""
    if not may_support_accounts(actor):
        raise PermissionDenied("ロックを解除する権限がありません。")
    name = username.strip()
    if not name:
        raise ValidationFailed("職員のユーザー名を入力してください。", field="username")
    with transaction.atomic(durable=True):
        lifted = reset(username=name)
        record(
            actor=actor, action="auth.unlocked", object_type="accounts.user", object_id=name, after={"lifted": lifted}
        )
    return lifted
