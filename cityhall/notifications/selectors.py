"""Reads of notifications (お知らせの参照), always the requesting user's own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cityhall.notifications.models import Notification

RECENT_LIMIT = 50


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "pk", None) is not None


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread (未読件数); one query."""
    if not _signed_in(user):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def recent(user: Any, *, limit: int = RECENT_LIMIT, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's latest notifications (最近のお知らせ), newest first."""
    if not _signed_in(user):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")[:limit]
