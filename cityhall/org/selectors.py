"""Reads of the organisation (組織の参照), always as of a date.

Every selector takes ``on`` (default: today in the local time zone), so that
approval routes resolve approvers from the roster of the day the matter is
decided, and history shows who held which post when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.org.models import Absence, Assignment, OrgUnit, Post, Role, RoleGrant, UnitKind

# Request users may be anonymous; selectors answer "nothing" for them.
AnyUser = User | AnonymousUser
# Posts at or above this rank approve (係長 and above).
APPROVER_MIN_RANK = 30


def _day(on: dt.date | None) -> dt.date:
    return on if on is not None else timezone.localdate()


def primary_assignment(user: AnyUser, *, on: dt.date | None = None) -> Assignment | None:
    """The user's main assignment (本務) on the day, with unit, parent and post, in one query."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    return (
        Assignment.objects.on(_day(on))
        .filter(user=user, is_primary=True)
        .select_related("unit", "unit__parent", "post")
        .order_by("-valid_from")
        .first()
    )


def assignments_of(user: User, *, on: dt.date | None = None) -> QuerySet[Assignment]:
    """All the user's assignments (本務 and 兼務) valid on the day, primary first."""
    return (
        Assignment.objects.on(_day(on))
        .filter(user=user)
        .select_related("unit", "post")
        .order_by("-is_primary", "-post__rank")
    )


def holders_of(*, unit: OrgUnit, post_code_or_post: str | Post, on: dt.date | None = None) -> QuerySet[User]:
    """Users holding the post in the unit on the day (e.g. 税務課の課長 on 2026-04-01)."""
    post_filter = Q(post=post_code_or_post) if isinstance(post_code_or_post, Post) else Q(post__code=post_code_or_post)
    held = Assignment.objects.on(_day(on)).filter(post_filter, unit=unit)
    return get_user_model().objects.filter(pk__in=held.values("user_id")).order_by("pk")


def _head_assignments(units: list[OrgUnit], day: dt.date) -> dict[int, Assignment]:
    """The head's assignment of each unit (the highest-ranked post that heads its kind), primary first."""
    heads: dict[int, Assignment] = {}
    rows = (
        Assignment.objects.on(day)
        .filter(unit__in=units, post__heads=F("unit__kind"))
        .select_related("user", "unit", "post")
        .order_by("unit_id", "-post__rank", "-is_primary", "valid_from", "pk")
    )
    for row in rows:
        heads.setdefault(row.unit_id, row)
    return heads


def unit_head(unit: OrgUnit, *, on: dt.date | None = None) -> Assignment | None:
    """The head of the unit on the day (係長 of a 係, 課長 of a 課, 部長 of a 部, 市長 of 特別職)."""
    return _head_assignments([unit], _day(on)).get(unit.pk)


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    chain = [unit]
    while chain[-1].parent_id is not None:
        parent = chain[-1].parent
        assert parent is not None
        chain.append(parent)
    return chain


def chain_of_command(user: User, *, on: dt.date | None = None) -> list[Assignment]:
    """The approvers above the user, in order (回議の順: 係長 → 課長 → 部長 → 副市長 → 市長).

    Starts at the user's primary assignment; vacant posts are skipped, and a
    head whose rank is not above the user's (the user themself, or a 係長 in
    their own 係) is left out.
    """
    day = _day(on)
    own = primary_assignment(user, on=day)
    if own is None:
        return []
    unit = OrgUnit.objects.select_related("parent", "parent__parent", "parent__parent__parent").get(pk=own.unit_id)
    units = _ancestors(unit)
    heads = _head_assignments(units, day)
    chain = [heads[u.pk] for u in units if u.pk in heads]
    executives = (
        Assignment.objects.on(day)
        .filter(unit__kind=UnitKind.EXECUTIVE, unit__municipality_id=unit.municipality_id, is_primary=True)
        .select_related("user", "unit", "post")
        .order_by("post__rank", "valid_from", "pk")
    )
    chain.extend(a for a in executives if a.unit_id != unit.pk)
    result: list[Assignment] = []
    rank = own.post.rank
    for assignment in chain:
        if assignment.user_id != user.pk and assignment.post.rank > rank:
            result.append(assignment)
            rank = assignment.post.rank
    return result


def absence_on(user: User, *, on: dt.date | None = None) -> Absence | None:
    """The user's absence (不在) covering the day, if any."""
    day = _day(on)
    return (
        Absence.objects.filter(user=user, starts_on__lte=day, ends_on__gte=day)
        .select_related("proxy")
        .order_by("-starts_on")
        .first()
    )


def is_absent(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user is absent (不在) on the day."""
    return absence_on(user, on=on) is not None


def proxy_for(user: User, *, on: dt.date | None = None) -> User | None:
    """Who decides for the absent user on the day (代決者), or None.

    The designated proxy of the absence if they are present; otherwise the
    highest-ranked present managerial holder below the user in the same unit
    (課長補佐 for a 課長). None when the user is present or nobody qualifies.
    """
    day = _day(on)
    absence = absence_on(user, on=day)
    if absence is None:
        return None
    if absence.proxy is not None and not is_absent(absence.proxy, on=day):
        return absence.proxy
    own = primary_assignment(user, on=day)
    if own is None:
        return None
    deputies = (
        Assignment.objects.on(day)
        .filter(unit_id=own.unit_id, post__is_managerial=True, post__rank__lt=own.post.rank)
        .exclude(user=user)
        .select_related("user")
        .order_by("-post__rank", "valid_from", "pk")
    )
    for deputy in deputies:
        if not is_absent(deputy.user, on=day):
            return deputy.user
    return None


_read_once: ContextVar[dict[tuple[int, dt.date], frozenset[str]] | None] = ContextVar("roles_read", default=None)


@contextmanager
def roles_read_once() -> Iterator[None]:
    """Within the block, each user's roles on a day are read from the database once (a page's menu asks often).

    Only for reads that write nothing: a role granted inside the block would not be seen.
    """
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def roles_of(user: AnyUser, *, on: dt.date | None = None) -> set[str]:
    """The user's roles (権限) on the day: explicit grants plus those their posts imply.

    Anyone with a primary assignment drafts (起案者); anyone holding a post of
    rank 係長 or above approves (決裁者).
    """
    if not getattr(user, "is_authenticated", False) or user.pk is None or not user.is_active:
        return set()
    day = _day(on)
    memo = _read_once.get()
    if memo is not None and (user.pk, day) in memo:
        return set(memo[(user.pk, day)])
    roles = set(RoleGrant.objects.on(day).filter(user=user).values_list("role", flat=True))
    ranks = list(Assignment.objects.on(day).filter(user=user).values_list("is_primary", "post__rank"))
    if any(primary for primary, _ in ranks):
        roles.add(Role.DRAFTER.value)
    if any(rank >= APPROVER_MIN_RANK for _, rank in ranks):
        roles.add(Role.APPROVER.value)
    if memo is not None:
        memo[(user.pk, day)] = frozenset(roles)
    return roles


def has_role(user: AnyUser, role: str, *, on: dt.date | None = None) -> bool:
    """Whether the user holds the role (権限) on the day."""
    return role in roles_of(user, on=on)


def role_scope(user: User, role: str, *, on: dt.date | None = None) -> list[OrgUnit] | None:
    """Units the role is limited to on the day; None when granted for the whole city (全庁)."""
    grants = list(RoleGrant.objects.on(_day(on)).filter(user=user, role=role).select_related("unit"))
    if any(g.unit is None for g in grants):
        return None
    return [g.unit for g in grants if g.unit is not None]
