"""Cells of exported CSV and Excel files that a spreadsheet will not run (数式インジェクション対策).

A title typed as 「=HYPERLINK("http://…","開く")」 or a heading code 「=1+2」 becomes a formula when
a clerk opens the export in Excel. Every CSV and Excel writer of the project passes its text
through here: in CSV a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe (the OWASP rule for CSV injection); in Excel it is stored as
text, never as a formula, and shows as typed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """The value for a CSV cell: text a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """``csv_cell`` of every value of a row."""
    return [csv_cell(value) for value in values]


def excel_cell(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` to a worksheet cell; text is always text, never a formula."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


class SafeCsvWriter:
    """``csv.writer`` whose rows pass through ``csv_row``."""

    def __init__(self, handle: Any, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, values: Iterable[Any]) -> Any:
        """Write one row, formula-safe."""
        return self._writer.writerow(csv_row(values))
