"""The configured policy as ``core.remote_policy``'s provider (設定された方針の適用).

A remote session's mode for a data class is the most permissive rule among the roles the user
holds today (a role grant widens what its holders may do), else the rule for everyone (既定), else
core's built-in ``DEFAULTS``. The rules and the user's roles are read once per request's user object.

**Approved telework days (承認されたテレワーク日のみ).** :func:`register_day_check` is where the
telework requests will plug in: a check ``(user, day, data_class) -> bool`` that answers False turns
the session's mode for that class into ``NONE`` on that day. With no check registered (today: the
requests are not built yet) every day is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import timezone

from cityhall.core.remote_policy import ALLOWED, DEFAULTS, DataClass, Mode, widest
from cityhall.org.selectors import roles_of
from cityhall.telework.models import RemoteRule

Table = Mapping[tuple[str, str], str]
"""(data class, role or "") → mode."""
DayCheck = Callable[[Any, dt.date, DataClass], bool]

_CACHE = "_telework_remote_policy"
_day_checks: list[DayCheck] = []


def register_day_check(check: DayCheck) -> None:
    """Register a check of the day (「承認されたテレワーク日のみ」), called for every remote decision."""
    if check not in _day_checks:
        _day_checks.append(check)


def unregister_day_check(check: DayCheck) -> None:
    """Remove a day check (tests)."""
    if check in _day_checks:
        _day_checks.remove(check)


def rules_table() -> dict[tuple[str, str], str]:
    """Every configured rule, in one query."""
    return {(dc, role): mode for dc, role, mode in RemoteRule.objects.values_list("data_class", "role", "mode")}


def mode_in(table: Table, roles: set[str], data_class: str) -> Mode:
    """The mode ``table`` gives a holder of ``roles`` for ``data_class`` (role rules, the 既定 rule, DEFAULTS)."""
    by_role = [Mode(table[(data_class, role)]) for role in roles if (data_class, role) in table]
    found = widest(by_role)
    if found is None and (data_class, "") in table:
        found = Mode(table[(data_class, "")])
    if found is None or found not in ALLOWED[data_class]:
        return DEFAULTS[data_class]
    return found


def configured_mode(user: Any, data_class: DataClass) -> Mode | None:
    """The provider: the user's mode for ``data_class`` in a remote session today; None for no user."""
    if not getattr(user, "is_authenticated", False):
        return None
    day = timezone.localdate()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = (rules_table(), roles_of(user, on=day))
        setattr(user, _CACHE, cached)
    table, roles = cached
    mode = mode_in(table, roles, data_class)
    if mode is not Mode.NONE and not all(check(user, day, data_class) for check in _day_checks):
        return Mode.NONE
    return mode


def forget(user: Any) -> None:
    """Drop the user's cached rules (after the policy changed in the same request)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)
