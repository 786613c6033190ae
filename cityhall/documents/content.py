"""A typed document's content as data (文書の型の内容): titled sections of rows and tables.

A typed document's ``content`` hook (``registry.register_type``) describes its structured data
(予算科目, 債権者, 明細, 振込先 …) with these dataclasses, never with HTML; the documents app
shows it on the document page and in the inbox preview, and prints it on the signed 起案用紙.

A value is data too: a ``str`` is text, an ``int`` an amount in yen (shown with ``|yen``), a
``datetime.date`` a date (shown in 和暦), ``None`` nothing (「—」). The screens escape every
value like any other text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Value = str | int | dt.date | None
ValueKind = Literal["text", "yen", "date", "empty"]


def value_kind(value: Value) -> ValueKind:
    """How a value is shown: 「yen」 for an amount, 「date」 for a date, 「empty」 for None, else 「text」."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "text"
    if isinstance(value, int):
        return "yen"
    if isinstance(value, dt.date):
        return "date"
    return "text"


@dataclass(frozen=True)
class Cell:
    """One value with the way it is shown (for templates, which cannot ask a value its type)."""

    value: Value
    kind: ValueKind


@dataclass(frozen=True)
class ContentRow:
    """One particular (項目): a label and its value, e.g. (「債権者」, 「株式会社ヤマダ商事」)."""

    label: str
    value: Value

    @property
    def kind(self) -> ValueKind:
        """How the value is shown (``value_kind``)."""
        return value_kind(self.value)


@dataclass(frozen=True)
class ContentTable:
    """A table (明細・振込先): a caption, column headings and rows of values."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]

    @property
    def cell_rows(self) -> list[list[Cell]]:
        """The rows with each value's kind, for templates."""
        return [[Cell(value, value_kind(value)) for value in row] for row in self.rows]


@dataclass(frozen=True)
class ContentSection:
    """A titled part of the content (「支出負担行為の内容」「明細」「振込先」)."""

    title: str
    rows: tuple[ContentRow, ...] = ()
    tables: tuple[ContentTable, ...] = ()


@dataclass(frozen=True)
class TypedContent:
    """What a typed document decides, as data: its sections and the link to its own record.

    ``record_url`` leads to the type's own screen (支出命令・支出負担行為の画面) when the reader may
    open it, ``record_label`` names that link.
    """

    sections: tuple[ContentSection, ...]
    record_url: str | None = None
    record_label: str = ""
