"""Dates as they appear on seals and approval sheets (和暦 or western).

``CITYHALL_DATE_STYLE`` chooses between 和暦 (「令和8年11月26日」, stamp
「8.11.26」) and western dates (「2026年11月26日」, stamp 「2026.11.26」).
"""

from __future__ import annotations

import datetime

from django.conf import settings

# (first day of the era, name). Newest first.
_ERAS: tuple[tuple[datetime.date, str], ...] = (
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1873, 1, 1), "明治"),
)


def date_style() -> str:
    """The configured date style: ``"wareki"`` (和暦) or ``"western"`` (西暦)."""
    style = getattr(settings, "CITYHALL_DATE_STYLE", "wareki")
    return "western" if style == "western" else "wareki"


def wareki(day: datetime.date) -> tuple[str, int]:
    """The era name and era year (和暦) of ``day``, e.g. ``("令和", 8)`` for 2026-11-26."""
    for start, name in _ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day.isoformat()} は和暦に変換できません (明治6年より前)。")


def long_date(day: datetime.date, style: str | None = None) -> str:
    """A full date for text: 「令和8年11月26日」 (和暦) or 「2026年11月26日」 (西暦)."""
    if (style or date_style()) == "western":
        return f"{day.year}年{day.month}月{day.day}日"
    era, year = wareki(day)
    return f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"


def stamp_date(day: datetime.date, style: str | None = None) -> str:
    """A short date for a date stamp (日付印): 「8.11.26」 (和暦) or 「2026.11.26」 (西暦)."""
    if (style or date_style()) == "western":
        return f"{day.year}.{day.month}.{day.day}"
    _era, year = wareki(day)
    return f"{year}.{day.month}.{day.day}"
