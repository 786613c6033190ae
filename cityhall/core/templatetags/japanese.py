"""Template filters for Japanese conventions: ``{% load japanese %}``.

``{{ d|wareki }}`` 「令和8年11月26日」, ``{{ d|wareki_weekday }}`` 「令和8年11月26日（木）」,
``{{ d|wareki_short }}`` 「R8.11.26」, ``{{ d|official_date }}`` (style from
``settings.CITYHALL_DATE_STYLE``), ``{{ d|official_date_weekday }}``,
``{{ fy|fiscal_year_label }}`` 「令和8年度」, ``{{ amount|yen }}`` 「1,234,567円」.

Like Django's own filters they never raise: an empty value renders as "" and a
value of the wrong type is rendered unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django import template

from cityhall.core.japanese import fiscal, money
from cityhall.core.japanese import wareki as wareki_dates

register = template.Library()


def _date_filter(value: object, formatter: Callable[[dt.date], str]) -> object:
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.date):
        return value
    try:
        return formatter(value)
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


@register.filter(name="fiscal_year_label")
def fiscal_year_label(value: object) -> object:
    """年度 label of a fiscal year number: 「令和8年度」."""
    if value is None or value == "":
        return ""
    try:
        return fiscal.fiscal_year_label(int(str(value)))
    except ValueError:
        return value


@register.filter
def yen(value: object) -> object:
    """Yen amount: 「1,234,567円」."""
    if value is None or value == "":
        return ""
    if not isinstance(value, int | Decimal | str) or isinstance(value, bool):
        return value
    try:
        return money.format_yen(value)
    except ValueError:
        return value
