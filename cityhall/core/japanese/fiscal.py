"""年度 (fiscal year, 1 April – 31 March, 地方自治法208条) and 出納整理期間.

A fiscal year is named by the calendar year in which it starts: FY2026 runs
from 2026-04-01 to 2027-03-31 and is labelled 「令和8年度」.

Era of a fiscal-year label: the era in force on 31 December of the starting
year. This gives 「令和元年度」 for FY2019, which began on 2019-04-01 under 平成
(officially 平成31年度 until 30 April 2019); cities renamed it 令和元年度 after the
era change, and so do we. Likewise FY1989 is 「平成元年度」 and FY1988 is
「昭和63年度」.

Public API::

    fiscal_year(d)            -> 2025 for 2026-03-31, 2026 for 2026-04-01
    fiscal_year_start(fy)     -> date(fy, 4, 1)
    fiscal_year_end(fy)       -> date(fy + 1, 3, 31)
    fiscal_year_label(fy)     -> "令和8年度" (or "2026年度" in the western style)
    closing_period_end(fy)    -> date(fy + 1, 5, 31)   (出納整理期間の末日, 地方自治法235条の5)
    is_in_closing_period(d, fy)
"""

from __future__ import annotations

import datetime as dt

from cityhall.core.japanese._common import to_japan_date
from cityhall.core.japanese.wareki import configured_date_style, era_year

__all__ = [
    "FISCAL_YEAR_START_MONTH",
    "closing_period_end",
    "fiscal_year",
    "fiscal_year_end",
    "fiscal_year_label",
    "fiscal_year_start",
    "is_in_closing_period",
]

FISCAL_YEAR_START_MONTH = 4


def fiscal_year(value: dt.date | dt.datetime) -> int:
    """年度 of a date: the calendar year in which its April–March year starts."""
    d = to_japan_date(value)
    return d.year if d.month >= FISCAL_YEAR_START_MONTH else d.year - 1


def fiscal_year_start(fy: int) -> dt.date:
    """First day of the 年度 (1 April)."""
    return dt.date(fy, FISCAL_YEAR_START_MONTH, 1)


def fiscal_year_end(fy: int) -> dt.date:
    """Last day of the 年度 (31 March of the next calendar year)."""
    return dt.date(fy + 1, 3, 31)


def fiscal_year_label(fy: int, style: str | None = None) -> str:
    """年度 label: 「令和8年度」, 「令和元年度」; 「2026年度」 when the style is "western"."""
    chosen = configured_date_style() if style is None else style
    if chosen == "western":
        return f"{fy}年度"
    if chosen != "wareki":
        raise ValueError(f"date style must be 'wareki' or 'western', got {chosen!r}")
    name, year = era_year(dt.date(fy, 12, 31))
    return f"{name}{'元' if year == 1 else year}年度"


def closing_period_end(fy: int) -> dt.date:
    """Last day of the 出納整理期間 (closing period) of a 年度: 31 May of the next calendar year."""
    return dt.date(fy + 1, 5, 31)


def is_in_closing_period(value: dt.date | dt.datetime, fy: int) -> bool:
    """Whether a date lies in the 出納整理期間 of 年度 ``fy`` (1 April – 31 May after the year ends)."""
    d = to_japan_date(value)
    return fiscal_year_end(fy) < d <= closing_period_end(fy)
