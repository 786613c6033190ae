"""Which reader a file needs (請求書ファイルの形式): JP PINT XML, or a supplier's CSV or Excel layout.

The kind comes from the file's name, else from its first bytes (a zip is an xlsx, ``<`` is XML,
anything else is read as CSV). A CSV or Excel file is read with the supplier's ``SupplierMapping``;
without one it is refused with that reason. Each reader gives (invoice, reasons) per invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cityhall.automation.einvoice import safe_xml
from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.einvoice.jp_pint import Invoice, read_invoice
from cityhall.automation.einvoice.validation import Reason
from cityhall.automation.models import InvoiceKind, SupplierMapping
from cityhall.automation.tabular import ColumnMapping, read_csv, read_xlsx

Read = Sequence[tuple[Invoice | None, Sequence[Reason]]]


@dataclass(frozen=True)
class InvoiceFile:
    """A file as received: its name (for the report) and its bytes."""

    name: str
    data: bytes


def kind_of(file: InvoiceFile) -> str:
    """JP PINT, CSV or Excel, by the file's extension or else its first bytes."""
    name = file.name.lower()
    if name.endswith(".xml"):
        return InvoiceKind.JP_PINT
    if name.endswith(".csv"):
        return InvoiceKind.CSV
    if name.endswith(".xlsx"):
        return InvoiceKind.EXCEL
    head = file.data[:4].lstrip(b"\xef\xbb\xbf \t\r\n")
    if file.data.startswith(b"PK"):
        return InvoiceKind.EXCEL
    return InvoiceKind.JP_PINT if head.startswith(b"<") else InvoiceKind.CSV


def read_file(file: InvoiceFile, kind: str, mapping: SupplierMapping | None) -> Read:
    """The invoices of a file; raises ``InvoiceRejected`` for a file that cannot be read at all."""
    if kind == InvoiceKind.JP_PINT:
        return [(read_invoice(safe_xml.parse(file.data)), ())]
    if mapping is None:
        raise InvoiceRejected(
            "supplier", "CSV・Excel の請求書は、取込の画面で取引先（読み取り形式）を選んでから取り込んでください。"
        )
    layout = ColumnMapping.from_dict(mapping.mapping)
    number = mapping.creditor.invoice_registration_number or None
    reader = read_csv if kind == InvoiceKind.CSV else read_xlsx
    result = reader(file.data, layout, supplier_registration_number=number, supplier_name=mapping.creditor.name)
    return [(o.invoice, o.reasons) for o in result.outcomes]
