"""Who may open the DX dashboard (DXダッシュボードの利用権限): the 幹部 role (the mayor and the CIO).

Anyone else gets "not found" (404) on the pages and the API: the figures are the city's.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cityhall.core.errors import PermissionDenied
from cityhall.org.models import Role
from cityhall.org.selectors import roles_of

DASHBOARD_ROLES: tuple[str, ...] = (Role.EXECUTIVE.value,)
NOT_FOUND = "ページが見つかりません。"
_ANSWER = "_dashboard_may_view"


def may_view(user: Any) -> bool:
    """Whether the user holds the 幹部 role today (asked once per request's user object)."""
    if not getattr(user, "is_authenticated", False):
        return False
    answer = getattr(user, _ANSWER, None)
    if answer is None:
        answer = bool(roles_of(user, on=timezone.localdate()) & set(DASHBOARD_ROLES))
        setattr(user, _ANSWER, answer)
    return bool(answer)


def require_view(user: Any) -> None:
    """Refuse anyone else as "not found"."""
    if not may_view(user):
        raise PermissionDenied(NOT_FOUND)
