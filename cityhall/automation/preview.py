"""A preview of a supplier's sample file for the layout screen (読み取り形式のプレビュー), without the database.

Shows the first rows as the file holds them (CSV decoded the way the reader decodes it; Excel
cells as written, a formula as its text) and what the layout being edited reads from the file: the
invoices found with their totals, or the reasons with row and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from itertools import islice

from openpyxl import load_workbook

from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.tabular import ColumnMapping, read_csv, read_xlsx
from cityhall.automation.tabular.csv_reader import decode

ROWS_SHOWN = 6


@dataclass(frozen=True)
class Preview:
    """The first rows of the file, and per invoice what the layout reads (number, total, or reasons)."""

    rows: list[list[str]]
    invoices: list[tuple[str, int | None, list[str]]]
    error: str = ""


def _first_rows(data: bytes, excel: bool) -> list[list[str]]:
    if excel:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        rows = [
            ["" if v is None else str(v) for v in row] for row in islice(sheet.iter_rows(values_only=True), ROWS_SHOWN)
        ]
        book.close()
        return rows
    text, _encoding = decode(data)
    return [row for row in islice(csv.reader(io.StringIO(text)), ROWS_SHOWN)]


def preview(data: bytes, name: str, mapping: ColumnMapping, registration_number: str | None) -> Preview:
    """The sample's first rows and the invoices the layout reads from it; a file not read says why."""
    excel = name.lower().endswith(".xlsx") or data.startswith(b"PK")
    reader = read_xlsx if excel else read_csv
    try:
        rows = _first_rows(data, excel)
        result = reader(data, mapping, supplier_registration_number=registration_number)
    except InvoiceRejected as exc:
        return Preview([], [], exc.message)
    except (ValueError, KeyError, OSError) as exc:  # openpyxl on a file that is not a workbook
        return Preview([], [], f"ファイルを読めません（{type(exc).__name__}）。")
    invoices = [
        (
            o.invoice.invoice_number if o.invoice else (o.invoice_number or "—"),
            int(o.invoice.totals.payable_amount) if o.invoice else None,
            [r.message for r in o.reasons],
        )
        for o in result.outcomes
    ]
    return Preview(rows, invoices)
