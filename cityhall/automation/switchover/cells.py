"""Cell readers the switch-over kinds share (one cell → one value, or ``CellProblem``).

The invoices' readers (``tabular._cells``: codes, names, whole-yen amounts, dates with 和暦, bank
and branch digits, 預金種目) are reused as they are; this module adds what old systems' exports
hold besides: whole numbers, a fiscal year written in 西暦 or 和暦 (「令和2年度」「R2」「2020」), a
retention period as a file plan writes it (「5年」「永年」「常用」), yes/no flags, and kana as written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import partial

from cityhall.automation.tabular import _cells
from cityhall.automation.tabular._cells import CellProblem, account_type, code, shown, text
from cityhall.automation.tabular.mapping import DEFAULT_DATE_FORMATS
from cityhall.core.japanese.wareki import ERAS
from cityhall.core.tables import is_blank
from cityhall.documents.models import PERMANENT, RETENTION_YEARS

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
    "retention",
    "shown",
    "text",
]

_YES = {"1", "はい", "有", "あり", "○", "〇", "yes", "true", "個人", "該当", "秘"}
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


IN_USE = "常用"
"""A retention that starts only when a ledger is no longer used (常用)."""
_ERA_YEAR = re.compile(r"(?P<era>[^0-9]+?)(?P<year>元|[0-9]{1,2})")
_FIRST_YEAR = 1873  # the Gregorian calendar in Japan (明治6年)


def fiscal_year(value: object) -> int | None:
    """A 年度 in 西暦 or 和暦: 2020, 「2020年度」, 「令和2年度」「令和元年度」「R2」「H31」; None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, bool | dt.date | dt.datetime) or (isinstance(value, float) and not value.is_integer()):
        raise CellProblem(f"年度として読めません（{shown(value)}）。")
    written = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(int(value) if isinstance(value, float) else value)))
    written = written.removesuffix("年度").removesuffix("年")
    if written.isascii() and written.isdigit():
        year = int(written)
        if not _FIRST_YEAR <= year <= 9999:
            raise CellProblem(f"年度として読めません（{shown(value)}）。")
        return year
    match = _ERA_YEAR.fullmatch(written)
    named = match["era"].rstrip(".").upper() if match else ""
    era = None if match is None else next((e for e in ERAS if named in (e.name, e.letter.upper())), None)
    if match is None or era is None:
        raise CellProblem(
            f"年度として読めません（{shown(value)}）。「令和2年度」「R2」「2020」のように書いてください。"
        )
    year = era.since.year + (1 if match["year"] == "元" else int(match["year"])) - 1
    # A 年度 runs April to March: it bears the era's name if any day of it falls within the era.
    if dt.date(year + 1, 3, 31) < era.since or (era.until is not None and dt.date(year, 4, 1) >= era.until):
        raise CellProblem(f"{era.name}にその年度はありません（{shown(value)}）。")
    return year


def retention(value: object) -> int | str | None:
    """A retention as the file plan writes it: years (「5」「5年」), 0 for 「永年」, or 「常用」; None when empty."""
    if is_blank(value):
        return None
    problem = CellProblem(
        f"保存期間として読めません（{shown(value)}）。1・3・5・10・30年、永年または常用で書いてください。"
    )
    if isinstance(value, bool | dt.date | dt.datetime) or (isinstance(value, float) and not value.is_integer()):
        raise problem
    written = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(int(value) if isinstance(value, float) else value)))
    if written in ("永年", "永久"):
        return PERMANENT
    if written == IN_USE:
        return IN_USE
    years = written.removesuffix("年")
    if not (years.isascii() and years.isdigit()) or int(years) == PERMANENT or int(years) not in RETENTION_YEARS:
        raise problem
    return int(years)
