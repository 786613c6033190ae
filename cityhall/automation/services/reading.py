"""Which reader a file needs (請求書ファイルの形式): JP PINT XML, or a supplier's CSV or Excel layout.

The kind comes from the file's name, else from its first bytes (a zip is an xlsx, ``<`` is XML,
anything else is read as CSV). A CSV or Excel file is read with a supplier's ``SupplierMapping``
(``Layouts``): the one chosen for the upload, or else the layout of the supplier whose 登録番号 the
file names in its first rows, so a folder of several suppliers' files imports in one go. Each
reader gives (invoice, reasons) per invoice.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cityhall.automation.einvoice import safe_xml
from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.einvoice.jp_pint import Invoice, read_invoice
from cityhall.automation.einvoice.validation import Reason
from cityhall.automation.models import InvoiceKind, SupplierMapping
from cityhall.automation.tabular import ColumnMapping, first_rows, read_csv, read_xlsx

Read = Sequence[tuple[Invoice | None, Sequence[Reason]]]

HEAD_ROWS = 20
"""How many first rows of a CSV or Excel file are searched for its supplier's 登録番号."""
# T and 13 digits, also printed in groups (T1-2345-6789-0123, after NFKC).
_REGISTRATION_NUMBER = re.compile(r"(?<![0-9A-Za-z])T(?:[ \-‐‑−]?[0-9]){13}(?![0-9])")
_SEPARATORS = re.compile(r"[ \-‐‑−]")


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


def registration_numbers(rows: Sequence[Sequence[str]]) -> set[str]:
    """The 登録番号 (T + 13 digits, full-width or in groups too) written anywhere in ``rows``."""
    text = unicodedata.normalize("NFKC", "\n".join("\t".join(row) for row in rows))
    return {_SEPARATORS.sub("", found) for found in _REGISTRATION_NUMBER.findall(text)}


class Layouts:
    """The layouts (読み取り形式) one import reads its CSV and Excel files with.

    The layout chosen for the upload (screen, API ``supplier_id``, command ``--supplier``) reads every
    such file. With none chosen, each file is read with the layout of the supplier whose 登録番号 is
    written in its first ``HEAD_ROWS`` rows (a title line, or a column of the first invoices), among
    the suppliers that have a layout; a file naming none of them, or several, is refused with that
    reason. The layouts are read from the database once per import, when the first file needs one.
    """

    def __init__(self, chosen: SupplierMapping | None = None) -> None:
        self.chosen = chosen
        self._by_number: dict[str, list[SupplierMapping]] | None = None

    def _known(self) -> dict[str, list[SupplierMapping]]:
        if self._by_number is None:
            self._by_number = defaultdict(list)
            for row in SupplierMapping.objects.select_related("creditor").filter(creditor__is_active=True):
                if row.creditor.invoice_registration_number:
                    self._by_number[row.creditor.invoice_registration_number].append(row)
        return self._by_number

    def for_file(self, file: InvoiceFile, kind: str) -> SupplierMapping:
        """The layout ``file`` is read with; ``InvoiceRejected`` when it cannot be told."""
        if self.chosen is not None:
            return self.chosen
        rows = first_rows(file.data, HEAD_ROWS, excel=kind == InvoiceKind.EXCEL, every_sheet=True)
        known = self._known()
        named = {row.pk: row for number in registration_numbers(rows) for row in known.get(number, [])}
        found = sorted(named.values(), key=lambda row: row.creditor.code)
        if len(found) == 1:
            return found[0]
        if not found:
            raise InvoiceRejected(
                "supplier",
                f"最初の{HEAD_ROWS}行に、読み取り形式が登録された取引先の登録番号（T＋13桁）がありません。"
                "取込の画面で取引先（読み取り形式）を選んでから取り込んでください。",
            )
        names = "、".join(f"{row.creditor.name}（{row.creditor.invoice_registration_number}）" for row in found)
        raise InvoiceRejected(
            "supplier",
            f"最初の{HEAD_ROWS}行に、読み取り形式のある取引先の登録番号が複数あります: {names}。"
            "取込の画面で取引先（読み取り形式）を選んでから取り込んでください。",
        )


def read_file(file: InvoiceFile, kind: str, layouts: Layouts) -> Read:
    """The invoices of a file; raises ``InvoiceRejected`` for a file that cannot be read at all."""
    if kind == InvoiceKind.JP_PINT:
        return [(read_invoice(safe_xml.parse(file.data)), ())]
    mapping = layouts.for_file(file, kind)
    layout = ColumnMapping.from_dict(mapping.mapping)
    number = mapping.creditor.invoice_registration_number or None
    reader = read_csv if kind == InvoiceKind.CSV else read_xlsx
    result = reader(file.data, layout, supplier_registration_number=number, supplier_name=mapping.creditor.name)
    return [(o.invoice, o.reasons) for o in result.outcomes]
