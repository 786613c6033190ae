"""Background tasks of notifications (非同期処理): e-mail to people, thin and by id.

Modules enqueue ``email_users`` after commit with the recipients' ids and the
finished text; the worker looks the addresses up when it runs, so a user who
left or lost their address in between gets nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from cityhall.accounts.models import User


@task()
def email_users(user_ids: list[int], subject: str, body: str) -> int:
    """E-mail one message to the active users among ``user_ids`` who have an address (メール通知); returns how many."""
    addresses = User.objects.filter(pk__in=user_ids, is_active=True).values_list("email", flat=True)
    recipients = [address for address in addresses if address]
    if not recipients:
        return 0
    send_mail(
        subject=subject,
        message=body,
        from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
        recipient_list=recipients,
        fail_silently=False,
    )
    return len(recipients)
