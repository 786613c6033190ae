"""Cell readers the switch-over kinds share (one cell → one value, or ``CellProblem``).

The invoices' readers (``tabular._cells``: codes, names, whole-yen amounts, dates with 和暦, bank
and branch digits, 預金種目) are reused as they are; this module adds what old systems' exports
hold besides: whole numbers, a fiscal year in 西暦 or 和暦, yes/no flags, and kana as written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import partial

from cityhall.automation.tabular import _cells
from cityhall.automation.tabular._cells import CellProblem, account_type, code, shown, text
from cityhall.automation.tabular._table import is_blank
from cityhall.automation.tabular.mapping import DEFAULT_DATE_FORMATS
from cityhall.core.japanese.wareki import ERAS

__all__ = [
    "CellProblem",
    "account_type",
    "amount",
    "code",
    "day",
    "digits",
    "fiscal_year",
    "flag",
    "number",
    "shown",
    "text",
]

_YES = {"1", "はい", "有", "あり", "○", "〇", "yes", "true", "個人", "該当"}
# 「2027」「2027年度」, or 和暦 by era name or letter: 「令和9年度」「令和元年度」「R9」「R.9」.
_WESTERN_YEAR = re.compile(r"(?P<year>[0-9]{4})(?:年度?)?")
_ERA_YEAR = re.compile(r"(?P<era>[^0-9元.]+)\.?(?P<year>元|[0-9]{1,2})(?:年度?)?")
_ERA_START = {e.name: e.since.year for e in ERAS} | {e.letter: e.since.year for e in ERAS}
_NO = {"0", "いいえ", "無", "なし", "×", "no", "false", "法人", "非該当", "-"}


def amount(value: object) -> int | None:
    """Whole yen (「1,200」「１，２００円」「▲500」); None when empty."""
    found = _cells.amount(value)
    return None if found is None else int(found)


def day(value: object) -> dt.date | None:
    """A date: an Excel date, 2026-11-30, 2026/11/30, 2026年11月30日 or 和暦 (令和8年11月30日, R8.11.30)."""
    return _cells.day(value, DEFAULT_DATE_FORMATS)


def digits(width: int, label: str) -> partial[str | None]:
    """A reader of codes of at most ``width`` digits, zero-padded (a bank code Excel turned into 1)."""
    return partial(_cells.digits, width=width, label=label)


def number(value: object) -> int | None:
    """A whole number written as digits (a fiscal year, a count of years); None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, bool | dt.date | dt.datetime) or (isinstance(value, float) and not value.is_integer()):
        raise CellProblem(f"整数ではありません（{shown(value)}）。")
    written = unicodedata.normalize("NFKC", str(int(value) if isinstance(value, float) else value)).strip()
    if not written.isascii() or not written.isdigit() or len(written) > 9:
        raise CellProblem(f"整数ではありません（{shown(value)}）。")
    return int(written)


def flag(value: object) -> bool | None:
    """Yes or no (「1」「はい」「○」 / 「0」「いいえ」「×」); None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    written = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if written in _YES:
        return True
    if written in _NO:
        return False
    raise CellProblem(f"「はい」か「いいえ」（1 か 0）で書いてください（{shown(value)}）。")


def fiscal_year(value: object) -> int | None:
    """A 年度 as the year it starts in: 「2027」「2027年度」 or 和暦 「令和9年度」「令和元年度」「R9」; None when empty.

    An era's year counts from the calendar year the era began (令和元年度 is 2019), as 年度 labels do.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool | dt.date | dt.datetime) or (isinstance(value, float) and not value.is_integer()):
        raise CellProblem(f"年度ではありません（{shown(value)}）。「2027」か「令和9年度」のように書いてください。")
    written = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(int(value) if isinstance(value, float) else value)))
    if found := _WESTERN_YEAR.fullmatch(written):
        return int(found["year"])
    found = _ERA_YEAR.fullmatch(written)
    start = _ERA_START.get(found["era"].upper() if found["era"].isascii() else found["era"]) if found else None
    if found is None or start is None:
        raise CellProblem(f"年度ではありません（{shown(value)}）。「2027」か「令和9年度」のように書いてください。")
    number = 1 if found["year"] == "元" else int(found["year"])
    if number < 1:
        raise CellProblem(f"存在しない年度です（{shown(value)}）。")
    return start + number - 1
