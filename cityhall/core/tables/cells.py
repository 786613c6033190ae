"""Reading one cell of a file as the value its field holds (セルの読み取り): text, codes, yen, dates, years.

Our own, shared by every import (automation's invoice and switch-over rows, inquiries' lists and
answers), so that a cell is read, and refused, alike everywhere. Each reader takes the cell as the
file holds it (text from CSV; text, int, float, date or datetime from Excel) and returns the
value, ``None`` for an empty cell, or raises ``CellProblem`` with a Japanese message saying what
was found (the caller adds the row and the column). Full-width digits and signs are read like
ASCII (NFKC). What is accepted:

* amounts (``amount`` as ``Decimal``, ``yen`` as ``int``): whole yen, 「1,200」「１，２００円」
  「¥1200」「-500」「▲500」 (a minus written the Japanese accounting way), 「1200.00」; separators
  must be where thousands are; a fraction of a yen, a misplaced comma or anything else is
  refused, and so is more than 12 digits;
* dates (``day``): an Excel date, or text in the given formats (``DATE_FORMATS``, by default
  ``DEFAULT_DATE_FORMATS``), 和暦 through ``cityhall.core.japanese.parse_wareki``; a time after
  the date (「2026/11/30 0:00」, as Excel writes dates into CSV) is ignored;
* codes (``code``: numbers, references): text or an Excel whole number, NFKC, at most 100
  characters; digits of a fixed width (``digits``: bank, branch, account), zero-padded back where
  Excel's number format lost them (bank 1 for 0001); names and descriptions (``text``): text as
  written; control and bidirectional characters are refused (``cityhall.core.text``);
* whole numbers (``number``), a 年度 in 西暦 or 和暦 (``fiscal_year``: 「令和2年度」「R2」「2020」),
  yes/no (``flag``: 「1」「はい」「○」 / 「0」「いいえ」「×」). Kana are text as written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from cityhall.core.japanese import JapaneseInputError, parse_wareki
from cityhall.core.japanese.money import YEN_MAX
from cityhall.core.japanese.wareki import ERAS
from cityhall.core.tables.table import is_blank
from cityhall.core.text import unsafe_character

__all__ = [
    "DATE_FORMATS",
    "DEFAULT_DATE_FORMATS",
    "CellProblem",
    "amount",
    "code",
    "day",
    "digits",
    "fiscal_year",
    "flag",
    "number",
    "shown",
    "text",
    "yen",
]

DATE_FORMATS: dict[str, str] = {
    "iso": "2026-11-30",
    "slash": "2026/11/30",
    "kanji": "2026年11月30日",
    "wareki": "令和8年11月30日・R8.11.30",
    "compact": "20261130",
}
"""The ways a date may be written in a file, with an example each."""
DEFAULT_DATE_FORMATS = ("iso", "slash", "kanji", "wareki")
_SHOWN_MAX = 40
_CODE_MAX = 100
_TEXT_MAX = 200
_MINUS = str.maketrans({"−": "-", "‐": "-", "‑": "-", "▲": "-", "△": "-"})
_WHOLE = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0+)?")
_FRACTION = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\.[0-9]+")
_TIME = re.compile(r"\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$")
_DATE_PATTERNS = {
    "iso": re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"),
    "slash": re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"),
    "kanji": re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日"),
    "compact": re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
}
_YES = {"1", "はい", "有", "あり", "○", "〇", "yes", "true", "個人", "該当", "秘"}
_NO = {"0", "いいえ", "無", "なし", "×", "no", "false", "法人", "非該当", "-"}
_ERA_YEAR = re.compile(r"(?P<era>[^0-9]+?)(?P<year>元|[0-9]{1,2})")
_FIRST_YEAR = 1873  # the Gregorian calendar in Japan (明治6年)


class CellProblem(Exception):
    """A cell that cannot be read as the value its column should hold; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(value: object) -> str:
    """A cell's value as a message quotes it: 「'1,2a0'」, cut short."""
    text = str(value)
    return "'" + (text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…") + "'"


def _narrow(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def _excel_number(value: object) -> object:
    """An Excel float holding a whole number (1001.0) as the int it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def text(value: object, *, multiline: bool = False, max_length: int = _TEXT_MAX) -> str | None:
    """A name or description as written (stripped); None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        raise CellProblem(f"日付が入っています（{shown(value)}）。文字のはずです。")
    written = str(_excel_number(value)).strip()
    bad = unsafe_character(written, multiline=multiline)
    if bad is not None:
        raise CellProblem(f"使えない文字（U+{ord(bad):04X}）が含まれています。")
    if len(written) > max_length:
        raise CellProblem(f"{max_length}文字を超えています（{len(written)}文字）。")
    return written


def code(value: object) -> str | None:
    """A number or reference (請求書番号, 注文番号): NFKC, stripped; None when empty."""
    if isinstance(value, float) and not value.is_integer():
        raise CellProblem(f"小数の数値です（{shown(value)}）。番号は文字で書いてください。")
    written = text(value, max_length=_CODE_MAX)
    return None if written is None else _narrow(written)


def amount(value: object) -> Decimal | None:
    """A whole-yen amount (negative allowed, for a 値引 row); None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, bool | dt.date | dt.datetime):
        raise CellProblem(f"数値ではありません（{shown(value)}）。")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellProblem(f"円未満の端数があります（{shown(value)}）。")
        number = Decimal(int(value))
    else:
        written = _narrow(value).translate(_MINUS)
        cleaned = re.sub(r"\s", "", written).removesuffix("円")
        negative = cleaned.startswith("-")
        cleaned = cleaned.removeprefix("-").removeprefix("¥").removeprefix("\\")
        cleaned = ("-" if negative else "") + cleaned
        if _FRACTION.fullmatch(cleaned) and not _WHOLE.fullmatch(cleaned):
            raise CellProblem(f"円未満の端数があります（{shown(value)}）。")
        if not _WHOLE.fullmatch(cleaned):
            raise CellProblem(f"数値ではありません（{shown(value)}）。")
        number = Decimal(cleaned.replace(",", "").split(".")[0])
    if abs(number) > YEN_MAX:
        raise CellProblem(f"金額が大きすぎます（{shown(value)}。上限は{YEN_MAX:,}円です）。")
    return number


def yen(value: object) -> int | None:
    """Whole yen as an ``int``, read as ``amount`` reads it (「1,200」「１，２００円」「▲500」); None when empty."""
    found = amount(value)
    return None if found is None else int(found)


def day(value: object, formats: tuple[str, ...] = DEFAULT_DATE_FORMATS) -> dt.date | None:
    """A date from an Excel date or from text written in one of ``formats``; None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellProblem(
            f"数値です（{shown(value)}）。Excelでは日付の書式にするか、2026/11/30 のように書いてください。"
        )
    written = _TIME.sub("", _narrow(value))
    written = re.sub(r"\s", "", written)
    for name in formats:
        pattern = _DATE_PATTERNS.get(name)
        match = pattern.fullmatch(written) if pattern else None
        if match:
            year, month, day_ = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day_)
            except ValueError:
                raise CellProblem(f"存在しない日付です（{shown(value)}）。") from None
    if "wareki" in formats and not written[:1].isdigit():
        try:
            return parse_wareki(written)
        except JapaneseInputError as exc:
            if re.match(r"[^\x00-\x7f]{2}|[MTSHR][0-9]", written.upper()):
                raise CellProblem(f"{exc.message.rstrip('。')}。") from None
    examples = "、".join(DATE_FORMATS[name] for name in formats)
    raise CellProblem(f"日付として読めません（{shown(value)}）。書き方: {examples}。")


def digits(value: object, *, width: int, label: str) -> str | None:
    """A bank, branch or account number of at most ``width`` digits, zero-padded to it; None when empty."""
    written = code(value)
    if written is None:
        return None
    if not re.fullmatch(rf"[0-9]{{1,{width}}}", written):
        raise CellProblem(f"{label}は{width}桁までの数字のはずです（{shown(value)}）。")
    return written.zfill(width)


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
