"""和暦 (Japanese era dates): formatting and parsing.

Era boundaries come from japanera's era table; formatting is done here because
official documents use Arabic numerals (「令和8年11月26日」) and 「元年」 for an
era's first year, which japanera's own format codes do not combine.

Supported range: from 1 January 1873 (明治6年), when Japan adopted the
Gregorian calendar; earlier dates raise ``JapaneseInputError``.

Public API::

    era_year(d)                      -> ("令和", 8)
    format_wareki(d, weekday=False)  -> "令和8年11月26日" / "令和元年5月1日" / "令和8年11月26日（木）"
    format_wareki_short(d)           -> "R8.11.26"
    format_western(d, weekday=False) -> "2026年11月26日"
    format_date(d, style=None)       -> either, per settings.CITYHALL_DATE_STYLE ("wareki" | "western")
    weekday_name(d)                  -> "木"
    parse_wareki("令和元年5月1日")    -> date(2019, 5, 1)

Every function accepts a ``date`` or a ``datetime``; aware datetimes are first
converted to the calendar date in Japan (Asia/Tokyo).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from japanera import ERA_DATA_GENERAL

from cityhall.core.japanese._common import JapaneseInputError, to_japan_date

__all__ = [
    "DATE_STYLES",
    "ERAS",
    "DateStyle",
    "Era",
    "configured_date_style",
    "era_for",
    "era_year",
    "format_date",
    "format_wareki",
    "format_wareki_short",
    "format_western",
    "parse_wareki",
    "weekday_name",
]

DateStyle = Literal["wareki", "western"]
DATE_STYLES: tuple[str, ...] = ("wareki", "western")
WEEKDAY_NAMES = "月火水木金土日"
GREGORIAN_ADOPTION = dt.date(1873, 1, 1)


@dataclass(frozen=True)
class Era:
    """One modern era (元号): name, Latin initial and validity [since, until)."""

    name: str
    letter: str
    since: dt.date
    until: dt.date | None

    def __contains__(self, d: object) -> bool:
        """Whether the date falls within this era."""
        return isinstance(d, dt.date) and self.since <= d and (self.until is None or d < self.until)

    def year_of(self, d: dt.date) -> int:
        """Era year (年) of a date in this era; 1 is the first year (元年)."""
        return d.year - self.since.year + 1


# Eras since 明治, from japanera; a future era appears here when japanera adds it.
ERAS: tuple[Era, ...] = tuple(
    Era(name=e.kanji, letter=e.english_head, since=e.since, until=e.until)
    for e in ERA_DATA_GENERAL
    if e.since >= dt.date(1868, 1, 1)
)
_ERA_BY_NAME = {e.name: e for e in ERAS}
_ERA_BY_LETTER = {e.letter: e for e in ERAS}


def era_for(value: dt.date | dt.datetime) -> Era:
    """The era (元号) in force on a date."""
    d = to_japan_date(value)
    if d < GREGORIAN_ADOPTION:
        raise JapaneseInputError(f"{d.isoformat()} は和暦に変換できません（1873年1月1日以降に対応）。")
    for era in reversed(ERAS):
        if d in era:
            return era
    raise JapaneseInputError(f"{d.isoformat()} の元号が見つかりません。")  # pragma: no cover - table is contiguous


def era_year(value: dt.date | dt.datetime) -> tuple[str, int]:
    """Era name and era year (和暦年) of a date, e.g. ("令和", 8)."""
    d = to_japan_date(value)
    era = era_for(d)
    return era.name, era.year_of(d)


def weekday_name(value: dt.date | dt.datetime) -> str:
    """One-character Japanese weekday name (曜日), e.g. "木"."""
    return WEEKDAY_NAMES[to_japan_date(value).weekday()]


def _weekday_suffix(d: dt.date) -> str:
    return f"（{WEEKDAY_NAMES[d.weekday()]}）"


def _year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def format_wareki(value: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    """和暦 date as on official documents: 「令和8年11月26日」, 「令和元年5月1日」, optionally 「（木）」."""
    d = to_japan_date(value)
    name, year = era_year(d)
    text = f"{name}{_year_text(year)}年{d.month}月{d.day}日"
    return text + _weekday_suffix(d) if weekday else text


def format_wareki_short(value: dt.date | dt.datetime) -> str:
    """Abbreviated 和暦 for tables and forms: 「R8.11.26」 (first year written 1: 「R1.5.1」)."""
    d = to_japan_date(value)
    era = era_for(d)
    return f"{era.letter}{era.year_of(d)}.{d.month}.{d.day}"


def format_western(value: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    """西暦 date in Japanese notation: 「2026年11月26日」, optionally 「（木）」."""
    d = to_japan_date(value)
    text = f"{d.year}年{d.month}月{d.day}日"
    return text + _weekday_suffix(d) if weekday else text


def configured_date_style() -> str:
    """The city's date style from ``settings.CITYHALL_DATE_STYLE`` ("wareki" by default)."""
    style = getattr(settings, "CITYHALL_DATE_STYLE", "wareki") or "wareki"
    if style not in DATE_STYLES:
        raise ValueError(f"CITYHALL_DATE_STYLE must be one of {DATE_STYLES}, got {style!r}")
    return str(style)


def format_date(value: dt.date | dt.datetime, style: str | None = None, *, weekday: bool = False) -> str:
    """Official date (公文書の日付) in the given style, or the configured one when ``style`` is None."""
    chosen = configured_date_style() if style is None else style
    if chosen == "wareki":
        return format_wareki(value, weekday=weekday)
    if chosen == "western":
        return format_western(value, weekday=weekday)
    raise ValueError(f"date style must be one of {DATE_STYLES}, got {chosen!r}")


# --- parsing ---------------------------------------------------------------

_NUMBER = r"[0-9]{1,2}|[〇一二三四五六七八九十]{1,3}"
_WEEKDAY = rf"(?:\((?P<weekday>[{WEEKDAY_NAMES}])\))?"
_LONG_RE = re.compile(
    rf"^(?P<era>{'|'.join(_ERA_BY_NAME)})(?P<year>元|{_NUMBER})年"
    rf"(?P<month>{_NUMBER})月(?P<day>{_NUMBER})日{_WEEKDAY}$"
)
_SHORT_RE = re.compile(
    rf"^(?P<letter>[{''.join(_ERA_BY_LETTER)}])(?P<year>[0-9]{{1,2}})"
    rf"([./-])(?P<month>[0-9]{{1,2}})\3(?P<day>[0-9]{{1,2}}){_WEEKDAY}$"
)
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _to_int(text: str) -> int:
    """Integer from Arabic digits, 「元」 or a kanji numeral up to 99 (二十六)."""
    if text == "元":
        return 1
    if text.isascii():
        return int(text)
    tens, sep, ones = text.partition("十")
    if not sep:
        if len(text) != 1:
            raise KeyError(text)
        return _KANJI_DIGITS[text]
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def parse_wareki(text: str, *, field: str | None = None) -> dt.date:
    """Parse a 和暦 date such as 「令和8年11月26日」, 「令和元年5月1日」, 「令和８年…」, 「R8.11.26」.

    Accepts full-width digits and letters, spaces, era ligatures (㋿ ㍻), 元年,
    kanji numerals and a weekday suffix 「（木）」, which must match the date; the
    date must exist and fall within the named era (「令和元年4月30日」 and
    「平成31年5月1日」 are rejected).
    """
    normalized = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    long_match = _LONG_RE.match(normalized)
    short_match = None if long_match else _SHORT_RE.match(normalized.upper())
    match = long_match or short_match
    if match is None:
        raise JapaneseInputError(f"和暦の日付として読み取れません: 「{text}」", field=field)
    era = _ERA_BY_NAME[match["era"]] if long_match else _ERA_BY_LETTER[match["letter"]]
    try:
        year, month, day = (_to_int(match[g]) for g in ("year", "month", "day"))
    except (KeyError, ValueError):
        raise JapaneseInputError(f"和暦の日付として読み取れません: 「{text}」", field=field) from None
    if year < 1:
        raise JapaneseInputError(f"存在しない年です: 「{text}」", field=field)
    try:
        result = dt.date(era.since.year + year - 1, month, day)
    except ValueError:
        raise JapaneseInputError(f"存在しない日付です: 「{text}」", field=field) from None
    if result not in era or result < GREGORIAN_ADOPTION:
        raise JapaneseInputError(
            f"{era.name}{_year_text(year)}年{month}月{day}日は{era.name}の期間外です: 「{text}」", field=field
        )
    if match["weekday"] and match["weekday"] != WEEKDAY_NAMES[result.weekday()]:
        raise JapaneseInputError(
            f"曜日が日付と合いません（{WEEKDAY_NAMES[result.weekday()]}曜日です）: 「{text}」", field=field
        )
    return result
