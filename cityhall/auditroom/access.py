"""Who may enter the audit room (監査室の利用権限): the roles, as data.

The room is open to whoever holds one of ``ROOM_ROLES`` on the day through a
role grant (権限付与, ``org.RoleGrant``): the 監査 role (監査委員事務局) and the
情報政策 role (IT). Grants are given and withdrawn in the organisation, dated and
audited; nothing here depends on the admin site's staff flag.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cityhall.core.errors import PermissionDenied
from cityhall.org.models import Role
from cityhall.org.selectors import roles_of

ROOM_ROLES: tuple[str, ...] = (Role.AUDITOR.value, Role.IT_ADMIN.value)
NOT_FOUND = "ページが見つかりません。"


_ANSWER = "_auditroom_may_enter"


def may_enter(user: Any) -> bool:
    """Whether the user holds a role that opens the audit room today (asked once per request's user object)."""
    if not getattr(user, "is_authenticated", False):
        return False
    answer = getattr(user, _ANSWER, None)
    if answer is None:
        answer = bool(roles_of(user, on=timezone.localdate()) & set(ROOM_ROLES))
        setattr(user, _ANSWER, answer)
    return bool(answer)


def require_entry(user: Any) -> None:
    """Refuse anyone else as "not found" (the room's existence is not a secret, its content is)."""
    if not may_enter(user):
        raise PermissionDenied(NOT_FOUND)
