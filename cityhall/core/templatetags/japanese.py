"""Template filters for Japanese conventions: ``{% load japanese %}``.

``{{ d|wareki }}`` 「令和8年11月26日」, ``{{ d|wareki_weekday }}`` 「令和8年11月26日（木）」,
``{{ d|wareki_short }}`` 「R8.11.26」, ``{{ d|official_date }}`` (style from
``settings.CITYHALL_DATE_STYLE``), ``{{ d|official_date_weekday }}``,
``{{ moment|official_datetime }}`` 「令和8年11月26日 08:05」, ``{{ fy|fiscal_year_label }}``
「令和8年度」, ``{{ amount|yen }}`` 「1,234,567円」.

One style per language: in Japanese, dates as the city writes them (和暦 unless configured
otherwise) and amounts in 円; in English, ISO dates (2026-11-26) and 「¥1,234,567」. A date
taken from an aware datetime is always Japan's date (Asia/Tokyo), whatever the server's zone:
pass the datetime itself, never ``value.date`` (that is the UTC date before 09:00 in Japan).

Like Django's own filters they never raise: an empty value renders as "" and a
value of the wrong type is rendered unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django import template
from django.utils import translation

from cityhall.core.japanese import fiscal, money
from cityhall.core.japanese import wareki as wareki_dates
from cityhall.core.japanese._common import JAPAN_TZ, to_japan_date

register = template.Library()


def _english() -> bool:
    return (translation.get_language() or "ja").split("-")[0] == "en"


def _date_filter(value: object, formatter: Callable[[dt.date], str]) -> object:
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.date):
        return value
    day = to_japan_date(value)
    if _english():
        return day.isoformat()
    try:
        return formatter(day)
    except ValueError:
        return value


@register.filter(expects_localtime=False)
def wareki(value: object) -> object:
    """和暦 date: 「令和8年11月26日」."""
    return _date_filter(value, wareki_dates.format_wareki)


@register.filter(expects_localtime=False)
def wareki_weekday(value: object) -> object:
    """和暦 date with weekday: 「令和8年11月26日（木）」."""
    return _date_filter(value, lambda d: wareki_dates.format_wareki(d, weekday=True))


@register.filter(expects_localtime=False)
def wareki_short(value: object) -> object:
    """Abbreviated 和暦 date: 「R8.11.26」."""
    return _date_filter(value, wareki_dates.format_wareki_short)


@register.filter(expects_localtime=False)
def official_date(value: object) -> object:
    """Date in the city's configured style (和暦 or 西暦)."""
    return _date_filter(value, wareki_dates.format_date)


@register.filter(expects_localtime=False)
def official_date_weekday(value: object) -> object:
    """Date with weekday in the city's configured style."""
    return _date_filter(value, lambda d: wareki_dates.format_date(d, weekday=True))


@register.filter(expects_localtime=False)
def official_datetime(value: object) -> object:
    """A moment in Japan time: 「令和8年11月26日 08:05」 (English: 「2026-11-26 08:05」)."""
    if not isinstance(value, dt.datetime):
        return _date_filter(value, wareki_dates.format_date)
    moment = value.astimezone(JAPAN_TZ) if value.tzinfo is not None else value
    day = _date_filter(moment.date(), wareki_dates.format_date)
    return f"{day} {moment:%H:%M}"


@register.filter(name="fiscal_year_label")
def fiscal_year_label(value: object) -> object:
    """年度 label of a fiscal year number: 「令和8年度」 (English: 「FY2026」)."""
    if value is None or value == "":
        return ""
    try:
        year = int(str(value))
        return f"FY{year}" if _english() else fiscal.fiscal_year_label(year)
    except ValueError:
        return value


@register.filter
def yen(value: object) -> object:
    """Yen amount: 「1,234,567円」 (English: 「¥1,234,567」)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, int | Decimal | str) or isinstance(value, bool):
        return value
    try:
        text = money.format_yen(value)
    except ValueError:
        return value
    if _english():
        number = text.removesuffix("円")
        return f"-¥{number[1:]}" if number.startswith("-") else f"¥{number}"
    return text
