"""The one strict reading of whole numbers from a request: ids, page numbers, 年度, versions, counts.

``str.isdigit()`` and ``int()`` accept more than a clerk types and more than the database holds:
「²」 and 「①」 pass ``isdigit()`` and then fail in ``int()``; ``int()`` reads "1_000", " 7\\n" and
other scripts' digits; and an id of twenty digits overflows SQLite's and PostgreSQL's 64-bit
integers inside the query. Here text is NFKC-normalised (so full-width 「１２」 reads as 12, as a
Japanese keyboard types it), must then be ASCII digits with an optional leading minus, at most
``MAX_DIGITS`` long (Python refuses to convert very long digit strings), and the number must lie
in the range the caller names. Booleans are not numbers (``True`` is not 1).

Screens use ``optional_id`` / ``page_number`` (bad input reads as "none" / page 1, like an unknown
link), services and forms ``parse_int`` (a ``ValidationFailed`` with a Japanese message naming the
field). The API's typed parameters for the same ranges are in ``cityhall.core.http``.
"""

from __future__ import annotations

import re
import unicodedata

from cityhall.core.errors import ValidationFailed

__all__ = [
    "FISCAL_YEAR_MAX",
    "FISCAL_YEAR_MIN",
    "ID_MAX",
    "PAGE_MAX",
    "ascii_integer",
    "optional_id",
    "optional_ids",
    "page_number",
    "parse_id",
    "parse_int",
]

ID_MAX = 2**63 - 1
"""The largest primary key: a signed 64-bit integer (PostgreSQL bigint, SQLite INTEGER)."""
PAGE_MAX = 100_000
"""The last page number accepted (100,000 pages of 100 rows is far beyond any list here)."""
FISCAL_YEAR_MIN = 1900
FISCAL_YEAR_MAX = 2999
"""年度 accepted in a request: dates, 和暦 and the fiscal calendar work for these."""
MAX_DIGITS = 20
_INTEGER = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}")


def ascii_integer(value: object) -> int | None:
    """The whole number ``value`` spells (ints, or text of ASCII digits after NFKC), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().replace("\u2212", "-")
    if not _INTEGER.fullmatch(text):
        return None
    return int(text)


def parse_int(value: object, *, field: str, label: str, minimum: int = 0, maximum: int = ID_MAX, unit: str = "") -> int:
    """A whole number between ``minimum`` and ``maximum``, or ``ValidationFailed`` naming ``field``."""
    number = ascii_integer(value)
    if number is None:
        raise ValidationFailed(f"{label}は半角数字の整数で入力してください。", field=field)
    if number < minimum or number > maximum:
        raise ValidationFailed(
            f"{label}は{minimum:,}{unit}から{maximum:,}{unit}までの整数で入力してください。", field=field
        )
    return number


def parse_id(value: object, *, field: str, label: str) -> int:
    """An id (1 … 2⁶³−1), or ``ValidationFailed`` naming ``field``."""
    number = ascii_integer(value)
    if number is None or not 1 <= number <= ID_MAX:
        raise ValidationFailed(f"{label}の指定が正しくありません。", field=field)
    return number


def optional_id(value: object) -> int | None:
    """An id from a query string or form, or None when it is absent, not a number or out of range."""
    number = ascii_integer(value)
    return number if number is not None and 1 <= number <= ID_MAX else None


def optional_ids(values: list[str]) -> list[int]:
    """The ids among ``values`` (a ``getlist``), skipping anything that is not one."""
    return [number for number in (optional_id(v) for v in values) if number is not None]


def page_number(value: object) -> int:
    """A page number from a query string: 1 for junk, at most ``PAGE_MAX``."""
    number = ascii_integer(value)
    if number is None or number < 1:
        return 1
    return min(number, PAGE_MAX)


class IdConverter:
    """The URL converter ``<id:pk>``: digits that fit the database's ids; longer ones are no match (404).

    Django's ``<int:pk>`` matches any number of digits, and a twenty-digit id overflows inside the
    query (a server error) instead of finding nothing.
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = optional_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)
