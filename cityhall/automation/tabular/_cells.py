"""Reading one cell of a supplier's file as an invoice value, private to ``tabular``.

Each reader takes the cell as the file holds it (text from CSV; text, int, float, date or
datetime from Excel) and returns the value, ``None`` for an empty cell, or raises
``CellProblem`` with a Japanese message saying what was found (the caller adds the row and the
column). Full-width digits and signs are read like ASCII (NFKC). What is accepted:

* amounts: whole yen, 「1,200」「１，２００円」「¥1200」「-500」「▲500」 (a minus written the
  Japanese accounting way), 「1200.00」; separators must be where thousands are; a fraction of a
  yen, a misplaced comma or anything else is refused, and so is more than 12 digits;
* tax rates: 10 and 8 as 「10」「10%」「８％」「0.1」 (an Excel percent cell), 「標準」「軽減」, and
  0 as 「0」「非課税」 (exempt, category E); the mapping's default when empty;
* dates: an Excel date, or text in the mapping's formats (``mapping.DATE_FORMATS``), 和暦 through
  ``cityhall.core.japanese.parse_wareki``; a time after the date (「2026/11/30 0:00」, as Excel
  writes dates into CSV) is ignored;
* codes (invoice number, references): text or an Excel whole number, NFKC, at most 100 characters;
  names and descriptions: text as written; control and bidirectional characters are refused
  (``cityhall.core.text``);
* the payee account: one text ``bank:branch:type:account`` (read like a JP PINT account), or its
  parts, where digits lost to Excel's number format (bank 1 for 0001) are zero-padded back.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from cityhall.automation.einvoice._bank_account import ACCOUNT_TYPES, split_account
from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.einvoice.jp_pint import PayeeAccount
from cityhall.automation.tabular.mapping import DATE_FORMATS
from cityhall.core.japanese import JapaneseInputError, parse_wareki
from cityhall.core.japanese.money import YEN_MAX
from cityhall.core.tables import is_blank
from cityhall.core.text import unsafe_character
from cityhall.finance.invoice_number import check_invoice_number

RateKey = tuple[str, Decimal]

_SHOWN_MAX = 40
_CODE_MAX = 100
_TEXT_MAX = 200
_MINUS = str.maketrans({"−": "-", "‐": "-", "‑": "-", "▲": "-", "△": "-"})
_WHOLE = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0+)?")
_FRACTION = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\.[0-9]+")
_RATES: dict[Decimal, RateKey] = {
    Decimal(10): ("S", Decimal(10)),
    Decimal(8): ("AA", Decimal(8)),
    Decimal(0): ("E", Decimal(0)),
}
_RATE_WORDS = {"標準": 10, "標準税率": 10, "軽減": 8, "軽減税率": 8, "非課税": 0}
_TIME = re.compile(r"\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$")
_DATE_PATTERNS = {
    "iso": re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"),
    "slash": re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"),
    "kanji": re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日"),
    "compact": re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
}
_ACCOUNT_TYPE_NAMES = {name: code for code, name in ACCOUNT_TYPES.items()}


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


def rate(value: object, default: int) -> RateKey:
    """The tax category and percent of a row: ``("S", 10)``, ``("AA", 8)`` or ``("E", 0)``."""
    if is_blank(value):
        return _RATES[Decimal(default)]
    problem = CellProblem(f"税率として読めません（{shown(value)}）。10、8、10%、軽減、非課税 などで書いてください。")
    if isinstance(value, bool | dt.date | dt.datetime):
        raise problem
    if isinstance(value, int | float):
        percent = Decimal(str(value))
        percent = percent * 100 if 0 < percent < 1 else percent
    else:
        written = re.sub(r"\s", "", _narrow(value))
        if written in _RATE_WORDS:
            return _RATES[Decimal(_RATE_WORDS[written])]
        number = written.removeprefix("税率").removesuffix("%")
        if not re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,4})?", number):
            raise problem
        percent = Decimal(number)
        if not written.endswith("%") and 0 < percent < 1:
            percent *= 100
    found = _RATES.get(percent.normalize())
    if found is None:
        raise problem
    return found


def day(value: object, formats: tuple[str, ...]) -> dt.date | None:
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


def registration_number(value: object) -> str | None:
    """A 登録番号 normalised (``T`` + 13 digits, 13 digits alone get their ``T``); None when empty.

    Whether its check digit holds is ``validation.validate``'s to say, as for JP PINT.
    """
    written = code(value)
    if written is None:
        return None
    if re.fullmatch(r"[0-9]{13}", written):
        written = "T" + written
    return check_invoice_number(written).number


def payee_account(value: object) -> PayeeAccount | None:
    """An account written in one cell, ``bank:branch:type:account`` or the account number alone."""
    written = code(value)
    if written is None:
        return None
    try:
        parts = split_account(written, None)
    except InvoiceRejected as exc:
        raise CellProblem(exc.message) from None
    return PayeeAccount(*parts, holder_name=None)


def digits(value: object, *, width: int, label: str) -> str | None:
    """A bank, branch or account number of at most ``width`` digits, zero-padded to it; None when empty."""
    written = code(value)
    if written is None:
        return None
    if not re.fullmatch(rf"[0-9]{{1,{width}}}", written):
        raise CellProblem(f"{label}は{width}桁までの数字のはずです（{shown(value)}）。")
    return written.zfill(width)


def account_type(value: object) -> str | None:
    """預金種目 as the 全銀 code: 「1」「普通」 = 1, 「2」「当座」 = 2, 「4」「貯蓄」 = 4, 「9」「その他」 = 9."""
    written = code(value)
    if written is None:
        return None
    written = written.removesuffix("預金")
    found = written if written in ACCOUNT_TYPES else _ACCOUNT_TYPE_NAMES.get(written)
    if found is None:
        raise CellProblem(
            f"預金種目として読めません（{shown(value)}）。1（普通）、2（当座）、4（貯蓄）、9（その他）のはずです。"
        )
    return found
