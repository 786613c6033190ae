"""Dates as they appear on seals and approval sheets (和暦 or western).

``CITYHALL_DATE_STYLE`` chooses between 和暦 (「令和8年11月26日」, stamp
「8.11.26」) and western dates (「2026年11月26日」, stamp 「2026.11.26」).
The era arithmetic is ``cityhall.core.japanese``'s.
"""

from __future__ import annotations

import datetime

from cityhall.core.japanese.wareki import configured_date_style, era_year, format_date


def long_date(day: datetime.date, style: str | None = None) -> str:
    """A full date for text: 「令和8年11月26日」 (和暦) or 「2026年11月26日」 (西暦)."""
    return format_date(day, style or configured_date_style())


def stamp_date(day: datetime.date, style: str | None = None) -> str:
    """A short date for a date stamp (日付印): 「8.11.26」 (和暦) or 「2026.11.26」 (西暦)."""
    if (style or configured_date_style()) == "western":
        return f"{day.year}.{day.month}.{day.day}"
    _era, year = era_year(day)
    return f"{year}.{day.month}.{day.day}"
