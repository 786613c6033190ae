"""営業日 (business days) for the city hall and for banks.

Two calendars:

* ``"city"`` (開庁日): closed on Saturdays, Sundays, national holidays
  (国民の祝日, 振替休日 and 国民の休日, from jpholiday) and the year-end/New Year
  closure 12/29–1/3 (年末年始の休日, set by each city's 休日条例).
* ``"bank"`` (銀行営業日): closed on Saturdays, Sundays, national holidays and
  12/31–1/3 (銀行法施行令). Payment and transfer dates use this calendar.

Public API::

    is_national_holiday(d), holiday_name(d)
    is_year_end_closure(d, calendar="city")
    is_holiday(d, calendar="city")             national holiday or year-end closure (weekends not included)
    is_business_day(d, calendar="city"), is_city_business_day(d), is_bank_business_day(d)
    closure_reason(d, calendar="city")         "日曜日", "元日", "年末年始" … or None on a business day
    next_business_day(d, calendar), previous_business_day(d, calendar)   strictly after / before d
    next_bank_business_day(d), previous_bank_business_day(d)
    business_day_on_or_after(d, calendar), business_day_on_or_before(d, calendar)
    add_business_days(d, n, calendar="city")
    business_days_between(a, b, calendar="city")

Every function accepts a ``date`` or a ``datetime`` (aware datetimes are taken
as the calendar date in Japan).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import jpholiday

from cityhall.core.japanese._common import to_japan_date

__all__ = [
    "CALENDARS",
    "Calendar",
    "add_business_days",
    "business_day_on_or_after",
    "business_day_on_or_before",
    "business_days_between",
    "closure_reason",
    "holiday_name",
    "is_bank_business_day",
    "is_business_day",
    "is_city_business_day",
    "is_holiday",
    "is_national_holiday",
    "is_year_end_closure",
    "next_bank_business_day",
    "next_business_day",
    "previous_bank_business_day",
    "previous_business_day",
]

Calendar = Literal["city", "bank"]
CALENDARS: tuple[str, ...] = ("city", "bank")
_ONE_DAY = dt.timedelta(days=1)
# First day of the December part of the year-end closure, per calendar.
_YEAR_END_FROM = {"city": 29, "bank": 31}
_NEW_YEAR_UNTIL = 3


def _check_calendar(calendar: str) -> str:
    if calendar not in _YEAR_END_FROM:
        raise ValueError(f"calendar must be one of {CALENDARS}, got {calendar!r}")
    return calendar


def is_national_holiday(value: dt.date | dt.datetime) -> bool:
    """Whether the date is a national holiday (国民の祝日・振替休日・国民の休日)."""
    return bool(jpholiday.is_holiday(to_japan_date(value)))


def holiday_name(value: dt.date | dt.datetime) -> str | None:
    """Name of the national holiday on that date (e.g. 「元日」, 「振替休日」), or None."""
    return jpholiday.is_holiday_name(to_japan_date(value))


def is_year_end_closure(value: dt.date | dt.datetime, calendar: Calendar = "city") -> bool:
    """Whether the date is in the 年末年始 closure: 12/29–1/3 for the city, 12/31–1/3 for banks."""
    d = to_japan_date(value)
    start = _YEAR_END_FROM[_check_calendar(calendar)]
    return (d.month == 12 and d.day >= start) or (d.month == 1 and d.day <= _NEW_YEAR_UNTIL)


def is_holiday(value: dt.date | dt.datetime, calendar: Calendar = "city") -> bool:
    """Whether the date is a 休日 other than a weekend: national holiday or 年末年始 closure."""
    return is_year_end_closure(value, calendar) or is_national_holiday(value)


def closure_reason(value: dt.date | dt.datetime, calendar: Calendar = "city") -> str | None:
    """Why the office (or bank) is closed that day, in Japanese; None on a business day."""
    d = to_japan_date(value)
    name = holiday_name(d)
    if name:
        return name
    if is_year_end_closure(d, calendar):
        return "年末年始"
    if d.weekday() >= 5:
        return "土曜日" if d.weekday() == 5 else "日曜日"
    return None


def is_business_day(value: dt.date | dt.datetime, calendar: Calendar = "city") -> bool:
    """Whether the city hall (or the banks) are open that day (営業日)."""
    d = to_japan_date(value)
    return d.weekday() < 5 and not is_holiday(d, calendar)


def is_city_business_day(value: dt.date | dt.datetime) -> bool:
    """開庁日: not a weekend, national holiday or 12/29–1/3."""
    return is_business_day(value, "city")


def is_bank_business_day(value: dt.date | dt.datetime) -> bool:
    """銀行営業日: not a weekend, national holiday or 12/31–1/3."""
    return is_business_day(value, "bank")


def next_business_day(value: dt.date | dt.datetime, calendar: Calendar = "city") -> dt.date:
    """First business day strictly after the date (翌営業日)."""
    d = to_japan_date(value) + _ONE_DAY
    while not is_business_day(d, calendar):
        d += _ONE_DAY
    return d


def previous_business_day(value: dt.date | dt.datetime, calendar: Calendar = "city") -> dt.date:
    """Last business day strictly before the date (前営業日)."""
    d = to_japan_date(value) - _ONE_DAY
    while not is_business_day(d, calendar):
        d -= _ONE_DAY
    return d


def next_bank_business_day(value: dt.date | dt.datetime) -> dt.date:
    """First bank business day strictly after the date (銀行の翌営業日)."""
    return next_business_day(value, "bank")


def previous_bank_business_day(value: dt.date | dt.datetime) -> dt.date:
    """Last bank business day strictly before the date (銀行の前営業日)."""
    return previous_business_day(value, "bank")


def business_day_on_or_after(value: dt.date | dt.datetime, calendar: Calendar = "bank") -> dt.date:
    """The date itself if it is a business day, else the next one (休日の場合は翌営業日)."""
    d = to_japan_date(value)
    return d if is_business_day(d, calendar) else next_business_day(d, calendar)


def business_day_on_or_before(value: dt.date | dt.datetime, calendar: Calendar = "bank") -> dt.date:
    """The date itself if it is a business day, else the previous one (休日の場合は前営業日)."""
    d = to_japan_date(value)
    return d if is_business_day(d, calendar) else previous_business_day(d, calendar)


def add_business_days(value: dt.date | dt.datetime, n: int, calendar: Calendar = "city") -> dt.date:
    """The n-th business day after the date (before it when n < 0); n = 0 returns the date unchanged."""
    d = to_japan_date(value)
    step = next_business_day if n > 0 else previous_business_day
    for _ in range(abs(n)):
        d = step(d, calendar)
    return d


def business_days_between(start: dt.date | dt.datetime, end: dt.date | dt.datetime, calendar: Calendar = "city") -> int:
    """Business days counted from start to end: those with start < d <= end, negated when end < start.

    When end is before start, the days with end <= d < start are counted, so it is
    always the inverse of ``add_business_days``:
    ``business_days_between(a, add_business_days(a, n)) == n`` for any n.
    """
    _check_calendar(calendar)
    a, b = to_japan_date(start), to_japan_date(end)
    sign = 1
    if b < a:
        # Count [b, a) by shifting both ends one day back: (b - 1, a - 1].
        a, b, sign = b - _ONE_DAY, a - _ONE_DAY, -1
    count = 0
    d = a + _ONE_DAY
    while d <= b:
        count += is_business_day(d, calendar)
        d += _ONE_DAY
    return sign * count
