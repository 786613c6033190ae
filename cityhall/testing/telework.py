"""Telework requests as tests make them (テスト用のテレワーク申請): future days and drafted requests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.japanese.business_days import is_city_business_day
from cityhall.telework.models import TeleworkRequest
from cityhall.telework.services import RequestInput, request_draft


def future_monday(weeks: int = 2) -> dt.date:
    """The Monday of the first week, ``weeks`` or more weeks after this one, whose five weekdays are all
    business days (no national holiday, not 年末年始): tests request Monday to Wednesday."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks)
    while not all(is_city_business_day(monday + dt.timedelta(days=i)) for i in range(5)):
        monday += dt.timedelta(weeks=1)
    return monday


def telework_request(person: User, *days: dt.date, tasks: str = "会議資料の作成") -> TeleworkRequest:
    """A drafted request of ``person`` for ``days`` (連絡可能 9:00–17:45)."""
    data = RequestInput(days=list(days), tasks=tasks, reachable_from=dt.time(9, 0), reachable_to=dt.time(17, 45))
    return request_draft(actor=person, data=data)
