"""Writes of notifications (お知らせの作成・既読).

``notify`` is called after commit by the module whose action concerns the
recipients; it writes one row per active recipient in one ``bulk_create`` and
one audit entry for the delivery. ``mark_read`` marks only the actor's own
notifications.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.notifications.models import Notification

SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 300
URL_MAX = Notification._meta.get_field("url").max_length or 300


def notify(*, recipients: Iterable[User | int], subject: str, url: str = "", target: str = "") -> list[Notification]:
    """Send an in-app notification (お知らせ) to each active recipient; returns the rows created."""
    ids = sorted({r.pk if isinstance(r, User) else int(r) for r in recipients})
    subject = subject.strip()
    if not subject:
        raise ValidationFailed("お知らせの件名がありません。", field="subject")
    if len(url) > URL_MAX or (url and not url.startswith("/")):
        raise ValidationFailed("お知らせのリンク先はサイト内のパスにしてください。", field="url")
    if not ids:
        return []
    with transaction.atomic(durable=True):
        active = list(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
        rows = Notification.objects.bulk_create(
            [Notification(recipient_id=pk, subject=subject[:SUBJECT_MAX], url=url, target=target) for pk in active]
        )
        if rows:
            record(
                actor="system",
                action="notification.send",
                object_type="notifications.notification",
                object_id=target,
                object_repr=subject[:255],
                after={"recipients": active, "subject": subject, "url": url, "target": target},
            )
    return rows


def mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (既読にする): the given ids, or all when ``ids`` is None.

    Ids of other people's notifications are ignored, never touched. Returns
    how many were newly marked.
    """
    if not (getattr(actor, "is_authenticated", False) and actor.is_active):
        raise PermissionDenied("ログインしてください。")
    with transaction.atomic(durable=True):
        unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=sorted({int(i) for i in ids}))
        marked = sorted(unread.values_list("pk", flat=True))
        if not marked:
            return 0
        Notification.objects.filter(pk__in=marked).update(read_at=timezone.now())
        record(
            actor=actor,
            action="notification.read",
            object_type="notifications.notification",
            object_id=str(marked[0]) if len(marked) == 1 else "",
            after={"ids": marked},
        )
    return len(marked)
