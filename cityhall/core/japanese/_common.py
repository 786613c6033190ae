"""Helpers shared by the Japanese-convention modules (private)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from cityhall.core.errors import ValidationFailed

JAPAN_TZ = ZoneInfo("Asia/Tokyo")


class JapaneseInputError(ValidationFailed, ValueError):
    """Input that is not a valid Japanese date, kana string, etc. (入力エラー).

    It is a ``ValidationFailed`` for the application's error handling and a
    ``ValueError`` for code (and form fields) that expect one.
    """


def to_japan_date(value: dt.date | dt.datetime) -> dt.date:
    """Return the calendar date in Japan: aware datetimes are converted to Asia/Tokyo first."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(JAPAN_TZ)
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")
