"""Which column of a supplier's CSV or Excel file holds which invoice field (取込列の設定).

Suppliers lay their invoice files out as they like, so each supplier gets a ``ColumnMapping``:
for every field the column that holds it, written either as the header text of that column
(「請求金額」; compared after NFKC and without spaces, so 「請求金額 」 and full-width variants
match) or as its 1-based number (``"#3"``, the only way when ``header_row`` is 0 = no header), as
core's ``ColumnRef`` reads it (``cityhall.core.tables.columns``).

Fields (all columns optional unless said otherwise):

* ``invoice_number`` and ``issue_date`` (required), ``due_date``;
* exactly one of ``net_amount`` (税抜) and ``gross_amount`` (税込), the amount of each row;
* ``tax_rate`` (empty or no column: ``default_tax_rate``; 「10」「10%」「８％」「標準」 = 10 %,
  「8」「軽減」 = 8 %, 「0」「非課税」 = exempt) and ``tax_amount`` (the row's tax, when the file
  states it);
* ``registration_number`` (when there is none, the caller gives the supplier's own), ``seller_name``,
  ``description`` (品名・摘要), ``order_reference`` (注文番号・契約番号 matched to an encumbrance);
* the payee account, either in one column ``payee_account`` written ``bank:branch:type:account``
  (``0001:001:1:1234567``) or in ``bank_code``, ``branch_code``, ``account_number`` and optionally
  ``account_type``.

Settings: ``header_row`` (1 by default; rows above it, such as a title, are skipped),
``date_formats`` (the ways dates are written, from core's ``cells.DATE_FORMATS``; real Excel
dates are always read), ``default_tax_rate`` (10 or 8), ``group_by_invoice_number`` (several rows
with the same number are the lines of one invoice; otherwise each row is an invoice of its own)
and ``sheet`` (an Excel sheet's name; the first sheet otherwise).

``to_dict()`` and ``ColumnMapping.from_dict()`` store a mapping as JSON; ``from_dict`` refuses
unknown keys, missing required fields and values of the wrong kind with ``MappingInvalid`` and a
Japanese message, and so does building a ``ColumnMapping`` directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from cityhall.automation.tabular.errors import MappingInvalid
from cityhall.core.tables import ColumnRef
from cityhall.core.tables.cells import DATE_FORMATS, DEFAULT_DATE_FORMATS

__all__ = ["ACCOUNT_PARTS", "COLUMN_FIELDS", "TAX_RATES", "ColumnMapping"]

COLUMN_FIELDS: dict[str, str] = {
    "invoice_number": "請求書番号",
    "issue_date": "発行日",
    "due_date": "支払期日",
    "registration_number": "登録番号",
    "seller_name": "請求元の名称",
    "description": "品名・摘要",
    "net_amount": "税抜金額",
    "gross_amount": "税込金額",
    "tax_rate": "税率",
    "tax_amount": "消費税額",
    "payee_account": "振込先口座",
    "bank_code": "金融機関コード",
    "branch_code": "支店コード",
    "account_type": "預金種目",
    "account_number": "口座番号",
    "order_reference": "注文番号・契約番号",
}
"""Every field a column can hold, with its Japanese name for messages."""

ACCOUNT_PARTS = ("bank_code", "branch_code", "account_type", "account_number")
TAX_RATES = (10, 8)
_MAX_COLUMN = 16_384  # Excel's last column (XFD)
_MAX_HEADER_ROW = 1_000


@dataclass(frozen=True)
class ColumnMapping:
    """One supplier's file layout: the column of each field and how to read the rows (see the module)."""

    invoice_number: str
    issue_date: str
    net_amount: str | None = None
    gross_amount: str | None = None
    due_date: str | None = None
    registration_number: str | None = None
    seller_name: str | None = None
    description: str | None = None
    tax_rate: str | None = None
    tax_amount: str | None = None
    payee_account: str | None = None
    bank_code: str | None = None
    branch_code: str | None = None
    account_type: str | None = None
    account_number: str | None = None
    order_reference: str | None = None
    header_row: int = 1
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    default_tax_rate: int = 10
    group_by_invoice_number: bool = False
    sheet: str | None = None

    def __post_init__(self) -> None:
        _check_columns(self)
        _check_settings(self)

    @property
    def amount_field(self) -> str:
        """``"net_amount"`` (税抜) or ``"gross_amount"`` (税込): what the rows' amounts are."""
        return "net_amount" if self.net_amount is not None else "gross_amount"

    def columns(self) -> dict[str, ColumnRef]:
        """The mapped fields and their columns, in ``COLUMN_FIELDS`` order."""
        return {name: ColumnRef.parse(ref) for name in COLUMN_FIELDS if (ref := getattr(self, name)) is not None}

    def to_dict(self) -> dict[str, Any]:
        """The mapping as plain JSON data (unmapped fields left out); ``from_dict`` reads it back."""
        data: dict[str, Any] = {name: ref for name in COLUMN_FIELDS if (ref := getattr(self, name)) is not None}
        data.update(
            header_row=self.header_row,
            date_formats=list(self.date_formats),
            default_tax_rate=self.default_tax_rate,
            group_by_invoice_number=self.group_by_invoice_number,
        )
        if self.sheet is not None:
            data["sheet"] = self.sheet
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """A mapping from stored JSON data; ``MappingInvalid`` names the first key that cannot be used."""
        if not isinstance(data, Mapping):
            raise MappingInvalid("mapping", "列の設定は項目名と値の組（JSONのオブジェクト）で指定してください。")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise MappingInvalid(unknown[0], f"列の設定に不明な項目があります: {'、'.join(unknown)}。")
        for name in ("invoice_number", "issue_date"):
            if data.get(name) is None:
                raise MappingInvalid(name, f"必須の項目「{COLUMN_FIELDS[name]}」（{name}）の列がありません。")
        values = dict(data)
        formats = values.get("date_formats", DEFAULT_DATE_FORMATS)
        if isinstance(formats, list | tuple):
            values["date_formats"] = tuple(formats)
        return cls(**values)


def _check_columns(mapping: ColumnMapping) -> None:
    seen: dict[ColumnRef, str] = {}
    for name in COLUMN_FIELDS:
        ref = getattr(mapping, name)
        if ref is None:
            continue
        label = f"「{COLUMN_FIELDS[name]}」（{name}）"
        if not isinstance(ref, str) or not ref.strip():
            raise MappingInvalid(name, f"{label}の列は見出しの文字か「#3」のような列番号で指定してください。")
        column = ColumnRef.parse(ref)
        if column.number is not None and not 1 <= column.number <= _MAX_COLUMN:
            raise MappingInvalid(name, f"{label}の列番号「{ref}」は #1 から #{_MAX_COLUMN} までで指定してください。")
        if column in seen:
            raise MappingInvalid(
                name, f"{label}と「{COLUMN_FIELDS[seen[column]]}」に同じ列 {column} が指定されています。"
            )
        seen[column] = name
        if mapping.header_row == 0 and column.number is None:
            raise MappingInvalid(
                name, f"見出し行がない設定（header_row = 0）では、{label}の列は「#3」のような列番号で指定してください。"
            )
    if (mapping.net_amount is None) == (mapping.gross_amount is None):
        raise MappingInvalid(
            "net_amount",
            "金額の列は「税抜金額」（net_amount）か「税込金額」（gross_amount）のどちらか一方を指定してください。",
        )
    _check_account(mapping)


def _check_account(mapping: ColumnMapping) -> None:
    parts = {name for name in ACCOUNT_PARTS if getattr(mapping, name) is not None}
    if mapping.payee_account is not None and parts:
        raise MappingInvalid(
            "payee_account",
            "振込先口座は1列（payee_account）か、金融機関コード・支店コード・口座番号の列のどちらかで指定してください。",
        )
    required = {"bank_code", "branch_code", "account_number"}
    if parts and not required <= parts:
        missing = "・".join(COLUMN_FIELDS[name] for name in ACCOUNT_PARTS if name in required - parts)
        raise MappingInvalid(
            sorted(required - parts)[0], f"振込先口座を別々の列で読むには{missing}の列も指定してください。"
        )


def _check_settings(mapping: ColumnMapping) -> None:
    header_row = mapping.header_row
    if not isinstance(header_row, int) or isinstance(header_row, bool) or not 0 <= header_row <= _MAX_HEADER_ROW:
        raise MappingInvalid(
            "header_row",
            f"見出し行（header_row）は 0（見出しなし）から {_MAX_HEADER_ROW} までの行番号で指定してください。",
        )
    formats = mapping.date_formats
    if not isinstance(formats, tuple) or not formats or not all(isinstance(f, str) for f in formats):
        raise MappingInvalid(
            "date_formats", f"日付の書き方（date_formats）は {'・'.join(DATE_FORMATS)} から選んでください。"
        )
    unknown = [f for f in formats if f not in DATE_FORMATS]
    if unknown:
        raise MappingInvalid(
            "date_formats",
            f"日付の書き方「{'、'.join(unknown)}」は使えません（{'・'.join(DATE_FORMATS)} から選んでください）。",
        )
    rate = mapping.default_tax_rate
    if isinstance(rate, bool) or rate not in TAX_RATES:
        raise MappingInvalid("default_tax_rate", "既定の税率（default_tax_rate）は 10 か 8 で指定してください。")
    if not isinstance(mapping.group_by_invoice_number, bool):
        raise MappingInvalid(
            "group_by_invoice_number",
            "明細行をまとめるか（group_by_invoice_number）は true か false で指定してください。",
        )
    sheet = mapping.sheet
    if sheet is not None and (not isinstance(sheet, str) or not sheet.strip()):
        raise MappingInvalid(
            "sheet", "シート名（sheet）は文字で指定するか、省略してください（最初のシートを読みます）。"
        )
