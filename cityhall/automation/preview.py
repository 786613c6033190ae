"""A preview of a supplier's sample file for the layout screen (読み取り形式のプレビュー), without the database.

Shows the first rows as the file holds them (CSV decoded the way the reader decodes it; Excel
cells as written, a formula as its text) and what the layout being edited reads from the file: the
invoices found with their totals, or the reasons with row and column.
"""

from __future__ import annotations

from dataclasses import dataclass

from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.tabular import ColumnMapping, first_rows, read_csv, read_xlsx

ROWS_SHOWN = 6


@dataclass(frozen=True)
class Preview:
    """The first rows of the file, and per invoice what the layout reads (number, total, or reasons)."""

    rows: list[list[str]]
    invoices: list[tuple[str, int | None, list[str]]]
    error: str = ""


def preview(data: bytes, name: str, mapping: ColumnMapping, registration_number: str | None) -> Preview:
    """The sample's first rows and the invoices the layout reads from it; a file not read says why."""
    excel = name.lower().endswith(".xlsx") or data.startswith(b"PK")
    reader = read_xlsx if excel else read_csv
    try:
        rows = first_rows(data, ROWS_SHOWN, excel=excel)
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
