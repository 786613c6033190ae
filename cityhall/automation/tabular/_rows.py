"""From a ``Table`` to the fields of each row, private to ``tabular``.

``resolve`` finds each mapped column in the header (a column the mapping names but the file lacks
refuses the file: every row would be read wrongly). ``read_row`` reads one row's cells with core's
``cells`` (``_invoice_cells`` for the values only invoices have) and collects every problem as a
``Reason`` naming the row, the column as the file heads it and, in Excel, the cell:
「3行目「金額」: 数値ではありません（'1,2a0'）」, 「4行目「金額」（C4）: 数式が入っています…」.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import Any

from openpyxl.utils import get_column_letter

from cityhall.automation.einvoice.jp_pint import PayeeAccount
from cityhall.automation.tabular import _invoice_cells
from cityhall.automation.tabular._invoice_cells import RateKey
from cityhall.automation.tabular.errors import FileRejected
from cityhall.automation.tabular.mapping import ACCOUNT_PARTS, COLUMN_FIELDS, ColumnMapping
from cityhall.core.tables import ErrorValue, Formula, Reason, SourceRow, Table, cells, header_key, is_blank
from cityhall.core.tables.cells import CellProblem

_ACCOUNT_WIDTHS = {"bank_code": 4, "branch_code": 3, "account_number": 7}


@dataclass(frozen=True)
class Column:
    """A mapped column found in the file: its 0-based index and how messages name it."""

    index: int
    label: str


@dataclass(frozen=True)
class ParsedRow:
    """The fields of one row (None where empty) and every problem found in it."""

    number: int
    invoice_number: str | None
    issue_date: dt.date | None = None
    due_date: dt.date | None = None
    registration_number: str | None = None
    seller_name: str | None = None
    description: str | None = None
    amount: Decimal | None = None
    rate: RateKey = ("S", Decimal(10))
    tax_amount: Decimal | None = None
    payee_account: PayeeAccount | None = None
    order_reference: str | None = None
    reasons: tuple[Reason, ...] = field(default=())


def resolve(mapping: ColumnMapping, table: Table) -> dict[str, Column]:
    """Each mapped field's column in ``table``; ``FileRejected`` when the header lacks one."""
    header = table.header
    width = len(header) if header is not None else len(table.rows[0].cells) if table.rows else 0
    names = _header_names(header) if header is not None else {}
    columns = {}
    for name, ref in mapping.columns().items():
        if ref.number is not None:
            index = ref.number - 1
            if index >= width and table.kind == "csv":
                raise FileRejected(
                    name, f"「{COLUMN_FIELDS[name]}」の列 {ref} がありません（このファイルは{width}列です）。"
                )
            written = _header_text(header, index)
            columns[name] = Column(index, written or f"{ref.number}列目")
            continue
        key = header_key(ref.name or "")
        found = names.get(key, [])
        if len(found) != 1:
            raise _not_found(name, ref.name or "", found, header, table.header_row)
        columns[name] = Column(found[0], _header_text(header, found[0]) or ref.name or "")
    return columns


def _header_names(header: tuple[object, ...]) -> dict[str, list[int]]:
    names: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        if isinstance(cell, str) and cell.strip():
            names.setdefault(header_key(cell), []).append(index)
    return names


def _header_text(header: tuple[object, ...] | None, index: int) -> str:
    if header is None or index >= len(header) or is_blank(header[index]):
        return ""
    return str(header[index]).strip()


def _not_found(name: str, wanted: str, found: list[int], header: tuple[object, ...] | None, row: int) -> FileRejected:
    field_label = COLUMN_FIELDS[name]
    if found:
        columns = "・".join(f"{index + 1}列目" for index in found)
        return FileRejected(
            name, f"「{field_label}」の列「{wanted}」が見出し行（{row}行目）に複数あります（{columns}）。"
        )
    written = [str(cell).strip() for cell in header or () if not is_blank(cell)]
    listed = "、".join(f"「{text}」" for text in written[:20]) or "（空）"
    return FileRejected(
        name, f"「{field_label}」の列「{wanted}」が見出し行（{row}行目）にありません。見出し行にある列: {listed}。"
    )


def read_row(row: SourceRow, columns: dict[str, Column], mapping: ColumnMapping, table: Table) -> ParsedRow:
    """The fields of ``row``; problems become reasons and leave the field None."""
    reader = _RowReader(row, columns, table)
    if row.problem is not None:
        number = reader.read("invoice_number", cells.code, quiet=True)
        return ParsedRow(row.number, number, reasons=(Reason("row", f"{row.number}行目: {row.problem}"),))
    invoice_number = reader.read("invoice_number", cells.code)
    amount_field = mapping.amount_field
    amount = reader.read(amount_field, cells.amount)
    if invoice_number is None and "invoice_number" not in reader.failed:
        reader.missing("invoice_number")
    if amount is None and amount_field not in reader.failed:
        reader.missing(amount_field)
    rate = reader.read("tax_rate", lambda v: _invoice_cells.rate(v, mapping.default_tax_rate))
    rate = rate or _invoice_cells.rate(None, mapping.default_tax_rate)
    tax_amount = reader.read("tax_amount", cells.amount)
    if "tax_amount" in columns and not reader.failed & {"tax_amount", "tax_rate"}:
        if tax_amount is None and rate[1]:
            reader.missing("tax_amount")
        elif tax_amount and not rate[1]:
            reader.problem("tax_amount", f"非課税の行に消費税額（{cells.shown(tax_amount)}）があります。")
    parsed = ParsedRow(
        row.number,
        invoice_number,
        issue_date=reader.read("issue_date", lambda v: cells.day(v, mapping.date_formats)),
        due_date=reader.read("due_date", lambda v: cells.day(v, mapping.date_formats)),
        registration_number=reader.read("registration_number", _invoice_cells.registration_number),
        seller_name=reader.read("seller_name", cells.text),
        description=reader.read("description", lambda v: cells.text(v, multiline=True)),
        amount=amount,
        rate=rate,
        tax_amount=tax_amount,
        payee_account=_account(reader),
        order_reference=reader.read("order_reference", cells.code),
    )
    return replace(parsed, reasons=tuple(reader.reasons))


def _account(reader: _RowReader) -> PayeeAccount | None:
    if "payee_account" in reader.columns:
        account: PayeeAccount | None = reader.read("payee_account", _invoice_cells.payee_account)
        return account
    if "bank_code" not in reader.columns:
        return None
    parts: dict[str, str | None] = {}
    for name in ACCOUNT_PARTS:
        if name == "account_type":
            parts[name] = reader.read(name, _invoice_cells.account_type)
        else:
            parts[name] = reader.read(
                name, partial(cells.digits, width=_ACCOUNT_WIDTHS[name], label=COLUMN_FIELDS[name])
            )
    if any(name in reader.failed for name in ACCOUNT_PARTS) or not any(parts.values()):
        return None
    missing = [name for name in _ACCOUNT_WIDTHS if parts[name] is None]
    for name in missing:
        reader.missing(name, "（振込先口座の他の列は書かれています）")
    if missing:
        return None
    return PayeeAccount(
        parts["bank_code"], parts["branch_code"], parts["account_type"], parts["account_number"] or "", None
    )


class _RowReader:
    """Reads the mapped cells of one row, collecting a reason for each cell that cannot be read."""

    def __init__(self, row: SourceRow, columns: dict[str, Column], table: Table) -> None:
        self.row = row
        self.columns = columns
        self.table = table
        self.reasons: list[Reason] = []
        self.failed: set[str] = set()

    def where(self, name: str) -> str:
        column = self.columns[name]
        cell = f"（{get_column_letter(column.index + 1)}{self.row.number}）" if self.table.kind == "xlsx" else ""
        return f"{self.row.number}行目「{column.label}」{cell}"

    def read(self, name: str, parse: Callable[[object], Any], *, quiet: bool = False) -> Any:
        if name not in self.columns:
            return None
        value = self.row.cell(self.columns[name].index)
        try:
            if isinstance(value, Formula):
                raise CellProblem(
                    f"数式が入っています（{cells.shown(value.text)}）。数式の計算結果は取り込みません。"
                    "値として貼り付けてから取り込んでください。"
                )
            if isinstance(value, ErrorValue):
                raise CellProblem(f"エラー値（{value.code}）が入っています。")
            return parse(value)
        except CellProblem as problem:
            if quiet:
                return None
            self.problem(name, problem.message)
            return None

    def problem(self, name: str, message: str) -> None:
        self.failed.add(name)
        self.reasons.append(Reason(name, f"{self.where(name)}: {message}"))

    def missing(self, name: str, note: str = "") -> None:
        self.problem(name, f"空欄です{note}。{COLUMN_FIELDS[name]}が必要です。")
