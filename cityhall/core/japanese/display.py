"""Dates, moments, fiscal years and amounts as a page shows them, in the language of the request.

One style per language: in Japanese, dates as the city writes them (和暦 unless
``CITYHALL_DATE_STYLE`` says otherwise), times 「08:05」, fiscal years 「令和8年度」 and amounts
「1,234円」; in English, ISO dates (2026-11-26), 「FY2026」 and 「¥1,234」. Dates taken from an
aware datetime are Japan's dates. The template filters (``cityhall.core.templatetags.japanese``)
and Python code that builds text for a screen both use these, so a label made in Python looks
like one made in a template. Official documents (the signed 起案用紙, 全銀 files) keep Japanese
and use ``wareki``/``money`` directly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

from cityhall.core.japanese import fiscal, money, wareki
from cityhall.core.japanese._common import JAPAN_TZ, to_japan_date


def english() -> bool:
    """Whether the active language is English (the pages' only other language)."""
    return (translation.get_language() or "ja").split("-")[0] == "en"


def shown_date(value: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    """Japan's date of ``value``: 「令和8年11月26日」 (with 「（木）」 when ``weekday``), English 「2026-11-26」."""
    day = to_japan_date(value)
    if english():
        return f"{day.isoformat()} ({day:%a})" if weekday else day.isoformat()
    return wareki.format_date(day, weekday=weekday)


def shown_datetime(value: dt.datetime) -> str:
    """A moment in Japan time: 「令和8年11月26日 08:05」, English 「2026-11-26 08:05」."""
    moment = value.astimezone(JAPAN_TZ) if value.tzinfo is not None else value
    return f"{shown_date(moment.date())} {moment:%H:%M}"


def shown_fiscal_year(year: int) -> str:
    """年度: 「令和8年度」, English 「FY2026」."""
    return f"FY{year}" if english() else fiscal.fiscal_year_label(year)


def shown_yen(amount: int | Decimal | str) -> str:
    """An amount: 「1,234,567円」, English 「¥1,234,567」."""
    text = money.format_yen(amount)
    if english():
        number = text.removesuffix("円")
        return f"-¥{number[1:]}" if number.startswith("-") else f"¥{number}"
    return text
