"""Telework requests as tests make them (テスト用のテレワーク申請): future days and drafted requests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.telework.models import TeleworkRequest
from cityhall.telework.services import RequestInput, request_draft


def future_monday(weeks: int = 2) -> dt.date:
    """The Monday ``weeks`` weeks after this week's (always in the future)."""
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks)


def telework_request(person: User, *days: dt.date, tasks: str = "会議資料の作成") -> TeleworkRequest:
    """A drafted request of ``person`` for ``days`` (連絡可能 9:00–17:45)."""
    data = RequestInput(days=list(days), tasks=tasks, reachable_from=dt.time(9, 0), reachable_to=dt.time(17, 45))
    return request_draft(actor=person, data=data)
