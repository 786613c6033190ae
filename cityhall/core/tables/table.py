"""The rows of a file as both readers hand them on (表の行), and the limits every file is read within.

Our own: ``csv_reader`` and ``excel_reader`` differ only in how they get from bytes to rows of
cells, and from a ``Table`` on one path serves every import (``rows.read_rows`` for a tuple of
fields; automation's invoice rows). A cell is what the file holds: text for CSV; text, numbers,
dates, booleans, ``Formula`` or ``ErrorValue`` for Excel; ``None`` when empty. A row that cannot
be split into cells (a CSV quote never closed, a wrong number of columns) keeps whatever cells
could be recovered and a ``problem``; it is never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cityhall.core.tables.errors import TableRejected

MAX_BYTES = 5_000_000
"""The largest file read, as for automation's XML reader (an invoice file of 50,000 rows fits)."""
MAX_ROWS = 50_000
"""The most data rows in one file (blank rows not counted)."""

Kind = Literal["csv", "xlsx"]


@dataclass(frozen=True)
class Formula:
    """An Excel cell holding a formula: never read, whatever value Excel cached for it."""

    text: str


@dataclass(frozen=True)
class ErrorValue:
    """An Excel cell holding an error such as ``#N/A`` or ``#DIV/0!``."""

    code: str


@dataclass(frozen=True)
class SourceRow:
    """One data row: its number as the clerk sees it, its cells (0-based), what is wrong with it as a whole."""

    number: int
    cells: tuple[object, ...]
    problem: str | None = None

    def cell(self, index: int) -> object:
        """The cell in column ``index`` (0-based); None beyond the row's end."""
        return self.cells[index] if index < len(self.cells) else None


@dataclass(frozen=True)
class Table:
    """A file's header (None without one) and its data rows, blank rows left out, and how it was read."""

    kind: Kind
    header: tuple[object, ...] | None
    header_row: int
    rows: tuple[SourceRow, ...]
    encoding: str | None = None
    """``utf-8-sig``, ``utf-8`` or ``cp932`` for a CSV file; None for Excel."""
    sheet: str | None = None
    """The Excel sheet read; None for CSV."""


def is_blank(value: object) -> bool:
    """Whether a cell is empty (nothing, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def check_size(data: bytes, what: str) -> None:
    """Refuse an empty file and one over ``MAX_BYTES`` before anything reads it."""
    if not data:
        raise TableRejected("file", f"{what}が空です。")
    if len(data) > MAX_BYTES:
        raise TableRejected(
            "file",
            f"{what}が大きすぎます（{len(data):,}バイト。上限は{MAX_BYTES:,}バイトです）。ファイルを分けてください。",
        )


def too_many_rows(what: str) -> TableRejected:
    """The error for a file over ``MAX_ROWS`` data rows (nothing of it is read)."""
    return TableRejected("file", f"{what}のデータ行が{MAX_ROWS:,}行を超えています。ファイルを分けてください。")
