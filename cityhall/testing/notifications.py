"""In-app notices for the tests of the screens that show them (お知らせ)."""

from __future__ import annotations

from cityhall.accounts.models import User
from cityhall.notifications.services import notify


def unread_notice(user: User, subject: str = "決裁の依頼: テスト", url: str = "/") -> None:
    """Give ``user`` one unread notice, as the engine does when a step waits for them."""
    notify(recipients=[user], subject=subject, url=url)


def queue_an_email(*user_ids: int) -> None:
    """Put one e-mail task on the default task backend's queue, as a notice does after commit."""
    from cityhall.notifications.tasks import email_users

    email_users.using(backend="default").enqueue(list(user_ids), "件名", "本文")
