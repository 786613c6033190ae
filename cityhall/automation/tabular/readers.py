"""Supplier invoices sent as CSV or Excel files (表形式の請求書), read into the same ``Invoice`` as JP PINT.

The bytes are read by core's table readers (``cityhall.core.tables``: encodings, broken rows,
formulas, merged cells, zip bombs, the size limits, each refusal in Japanese); what is the
invoices' own is here and in the private modules: the supplier's ``ColumnMapping``, the
登録番号, the fields of each row (``_rows``), grouping and tax per rate (``_invoices``). A file
that cannot be read at all raises ``FileRejected`` (an ``InvoiceRejected``), whether core refused
it (``errors.rejected_as_file``) or the mapping does not fit it.
"""

from __future__ import annotations

from cityhall.automation.tabular._invoices import read_table, supplier_number
from cityhall.automation.tabular.errors import rejected_as_file
from cityhall.automation.tabular.mapping import ColumnMapping
from cityhall.automation.tabular.result import TabularResult
from cityhall.core.tables import csv_reader, csv_table, excel_reader

__all__ = ["first_rows", "read_csv", "read_xlsx"]


def read_csv(
    data: bytes,
    mapping: ColumnMapping,
    *,
    supplier_registration_number: str | None,
    supplier_name: str | None = None,
) -> TabularResult:
    """The invoices of a supplier's CSV file; ``FileRejected`` when the file cannot be read at all.

    ``supplier_registration_number`` is the supplier's 登録番号, used when the mapping has no
    such column and checked against the file's when it has; ``supplier_name`` is the seller's
    name when the mapping has no column for it.
    """
    registration = supplier_number(mapping, supplier_registration_number)
    with rejected_as_file():
        table = csv_table(data, header_row=mapping.header_row)
    return read_table(table, mapping, registration_number=registration, seller_name=supplier_name)


def read_xlsx(
    data: bytes,
    mapping: ColumnMapping,
    *,
    supplier_registration_number: str | None,
    supplier_name: str | None = None,
) -> TabularResult:
    """The invoices of a supplier's Excel workbook; ``FileRejected`` when it cannot be read at all.

    ``supplier_registration_number`` and ``supplier_name`` as for ``read_csv``.
    """
    registration = supplier_number(mapping, supplier_registration_number)
    numbered = [ref.number for ref in mapping.columns().values() if ref.number is not None]
    with rejected_as_file():
        table = excel_reader.xlsx_table(
            data, header_row=mapping.header_row, sheet=mapping.sheet, width=max(numbered, default=0)
        )
    return read_table(table, mapping, registration_number=registration, seller_name=supplier_name)


def first_rows(data: bytes, count: int, *, excel: bool, every_sheet: bool = False) -> list[list[str]]:
    """The first ``count`` rows of a CSV or Excel file as text (with ``every_sheet``, of an Excel
    file's first ten sheets), for a preview or to tell whose file it is; ``FileRejected`` as above."""
    with rejected_as_file():
        if excel:
            return excel_reader.first_rows(data, count, every_sheet=every_sheet)
        return csv_reader.first_rows(data, count)
