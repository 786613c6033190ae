"""Cell readers the switch-over kinds share (one cell → one value, or ``CellProblem``).

The invoices' readers (``tabular._cells``: codes, names, whole-yen amounts, dates with 和暦, bank
and branch digits, 預金種目) are reused as they are; this module adds what old systems' exports
hold besides: whole numbers such as a fiscal year, yes/no flags, and kana as written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import partial

from cityhall.automation.tabular import _cells
from cityhall.automation.tabular._cells import CellProblem, account_type, code, shown, text
from cityhall.automation.tabular._table import is_blank
from cityhall.automation.tabular.mapping import DEFAULT_DATE_FORMATS

__all__ = [
    "CellProblem",
    "account_type",
    "amount",
    "code",
    "day",
    "digits",
    "flag",
    "number",
    "shown",
    "text",
]

_YES = {"1", "はい", "有", "あり", "○", "〇", "yes", "true", "個人", "該当"}
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
