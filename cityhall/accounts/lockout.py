"""The per-address ceiling on sign-in failures (アドレス単位のロック), on top of django-axes.

django-axes locks a *user name at an address* (``AXES_LOCKOUT_PARAMETERS =
[["username", "ip_address"]]``), so a stranger's failures never lock out a
colleague behind the same address. It has no second, higher threshold for the
address alone, so this small check of our own adds one: once the failures
recorded by axes for an address within the cool-off window reach
``CITYHALL_LOGIN_ADDRESS_FAILURE_LIMIT``, every sign-in from it is refused until
the window passes or IT lifts the lock.
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from cityhall.core.network import client_ip


def address_failures(ip: str) -> int:
    """Failed sign-ins from ``ip`` on any user name within the cool-off window."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def address_locked_out(request: HttpRequest) -> bool:
    """Whether the request's address has reached the per-address failure ceiling."""
    return address_failures(client_ip(request)[0]) >= settings.CITYHALL_LOGIN_ADDRESS_FAILURE_LIMIT
