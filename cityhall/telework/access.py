"""Who may configure the remote-access policy (方針の設定権限): the 情報政策 role, and from outside only if allowed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.remote_policy import DataClass, Mode, remote_mode
from cityhall.org.models import Role
from cityhall.org.selectors import has_role

NOT_FOUND = "ページが見つかりません。"
REMOTE_REFUSED = (
    "リモートアクセスの方針により、この画面は庁外（リモート）からは利用できません。"
    "庁内のネットワークから利用してください。"
)


class PolicyRemoteRefused(ApplicationError):
    """The policy screen asked from outside while the policy keeps it to the office (403)."""

    status_code = 403


def may_configure(user: Any) -> bool:
    """Whether the user holds the 情報政策 role today (the menu entry)."""
    return bool(getattr(user, "is_authenticated", False) and has_role(user, Role.IT_ADMIN, on=timezone.localdate()))


def require_configure(user: Any) -> None:
    """Refuse anyone without the role as not found, and a remote session the policy keeps out with 403."""
    if not may_configure(user):
        raise PermissionDenied(NOT_FOUND)
    if remote_mode(user, DataClass.POLICY) is Mode.NONE:
        raise PolicyRemoteRefused(REMOTE_REFUSED)
