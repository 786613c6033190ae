"""From read rows to invoices: grouping, one tax rounding per rate, the ``Invoice``; private to ``tabular``.

Grouping: with ``group_by_invoice_number`` the rows sharing an invoice number are the lines of
one invoice, wherever they are in the file; the invoice's own fields (dates, 登録番号, name,
account, reference) may be written on every row or on some, but where written they must agree.
A row none of whose mapped cells holds anything (a note beside the data) is skipped.
Rows of an invoice are all or nothing: one bad row refuses the invoice, naming the row. A row
whose invoice number cannot be read belongs to no invoice, so it might be a missing line of any:
then every invoice of the file is refused with that row named. Without grouping each row is an
invoice, and an invoice number found on several rows refuses all of them (a file that should have
been grouped would otherwise be paid line by line, or partly, as the duplicate check refuses the
second row).

Tax per rate (適格請求書: rounded once per rate per invoice). When the file states each row's tax,
a rate's tax is their sum and ``validate`` judges it (it names per-line rounding when it sees it).
Otherwise:

* net amounts (税抜): taxable = the rate's rows; tax = taxable × rate, rounded down once;
* gross amounts (税込): tax = the rate's total × rate / (100 + rate), rounded down once (割戻し),
  raised by one yen in the rare case where JP PINT's tax-exclusive rule (tax = taxable × rate,
  rounded by any method) could not produce it; taxable = total − tax. Each row's line amount is
  its gross amount less its share of that tax (shares rounded down, the yen left over given to the
  rows with the largest fractions), so the lines add up to the taxable amount exactly.

The ``Invoice`` is what the JP PINT reader would give for the same invoice: type 380, JPY, totals
that add up, and a ``customization_id`` that starts with JP PINT's (``validate`` requires it)
followed by ``#cityhall:tabular:csv`` or ``#cityhall:tabular:xlsx`` so its origin stays visible.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_FLOOR, Decimal

from cityhall.automation.einvoice.jp_pint import Invoice, InvoiceLine, MonetaryTotals, PayeeAccount, TaxSubtotal
from cityhall.automation.einvoice.validation import CUSTOMIZATION_PREFIX, PAYABLE_TYPE_CODE
from cityhall.automation.tabular import _invoice_cells
from cityhall.automation.tabular._invoice_cells import RateKey
from cityhall.automation.tabular._rows import Column, ParsedRow, read_row, resolve
from cityhall.automation.tabular.errors import FileRejected
from cityhall.automation.tabular.mapping import COLUMN_FIELDS, ColumnMapping
from cityhall.automation.tabular.result import TabularOutcome, TabularResult
from cityhall.core.tables import Reason, SourceRow, Table, is_blank
from cityhall.core.tables.cells import CellProblem
from cityhall.core.tables.table import Kind

CUSTOMIZATION_IDS: dict[Kind, str] = {
    "csv": f"{CUSTOMIZATION_PREFIX}#cityhall:tabular:csv",
    "xlsx": f"{CUSTOMIZATION_PREFIX}#cityhall:tabular:xlsx",
}
_HEADER_FIELDS = ("issue_date", "due_date", "registration_number", "seller_name", "payee_account", "order_reference")
_LISTED_MAX = 3


def supplier_number(mapping: ColumnMapping, given: str | None) -> str | None:
    """The supplier's 登録番号 normalised; ``FileRejected`` when neither the file nor the caller gives one."""
    if given is not None and given.strip():
        try:
            return _invoice_cells.registration_number(given)
        except CellProblem as problem:
            raise FileRejected("registration_number", f"仕入先の登録番号: {problem.message}") from None
    if mapping.registration_number is None:
        raise FileRejected(
            "registration_number",
            "登録番号の列がない設定のため、仕入先の登録番号を指定してください（どの債権者の請求書か分かりません）。",
        )
    return None


def read_table(
    table: Table,
    mapping: ColumnMapping,
    *,
    registration_number: str | None,
    seller_name: str | None,
) -> TabularResult:
    """The invoices of a table read by either reader: columns found, rows read, invoices built."""
    columns = resolve(mapping, table)
    rows = [read_row(row, columns, mapping, table) for row in table.rows if not _nothing_read(row, columns)]
    found = outcomes(
        rows, mapping, columns, kind=table.kind, registration_number=registration_number, seller_name=seller_name
    )
    return TabularResult(found, kind=table.kind, encoding=table.encoding, sheet=table.sheet)


def _nothing_read(row: SourceRow, columns: dict[str, Column]) -> bool:
    """A whole row whose read cells are all empty (a note such as 「以下余白」 beside the data): skipped."""
    return row.problem is None and all(is_blank(row.cell(column.index)) for column in columns.values())


def outcomes(
    rows: list[ParsedRow],
    mapping: ColumnMapping,
    columns: dict[str, Column],
    *,
    kind: Kind,
    registration_number: str | None,
    seller_name: str | None,
) -> tuple[TabularOutcome, ...]:
    """One outcome per invoice (or per row that belongs to none), in the order of first rows."""
    builder = _Builder(mapping, columns, kind, registration_number, seller_name)
    result = _grouped(rows, builder) if mapping.group_by_invoice_number else _one_per_row(rows, builder)
    return tuple(sorted(result, key=lambda outcome: outcome.rows[0]))


def _grouped(rows: list[ParsedRow], builder: _Builder) -> list[TabularOutcome]:
    groups: dict[str, list[ParsedRow]] = defaultdict(list)
    stray = []
    for row in rows:
        if row.invoice_number is None:
            stray.append(row)
        else:
            groups[row.invoice_number].append(row)
    result = [_refused(row.invoice_number, [row], list(row.reasons)) for row in stray]
    warning = []
    if stray:
        listed = _row_list([row.number for row in stray])
        warning.append(
            Reason(
                "invoice_number",
                f"{listed}の請求書番号が読めないため、どの請求書の明細か分かりません。この請求書の明細が欠けて"
                "いないか確かめられないので、その行を直してからファイルごと取り込み直してください。",
            )
        )
    for number, members in groups.items():
        result.append(builder.outcome(number, members, extra=warning))
    return result


def _one_per_row(rows: list[ParsedRow], builder: _Builder) -> list[TabularOutcome]:
    counts = Counter(row.invoice_number for row in rows if row.invoice_number is not None)
    where: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.invoice_number is not None and counts[row.invoice_number] > 1:
            where[row.invoice_number].append(row.number)
    result = []
    for row in rows:
        extra = []
        if row.invoice_number in where:
            extra.append(
                Reason(
                    "invoice_number",
                    f"請求書番号 {row.invoice_number} が複数の行（{_row_list(where[row.invoice_number])}）にあります。"
                    "1行を1件の請求書として読む設定です（複数の行で1件の請求書なら、明細行をまとめる設定にしてください）。",
                )
            )
        result.append(builder.outcome(row.invoice_number, [row], extra=extra))
    return result


def _refused(number: str | None, rows: list[ParsedRow], reasons: list[Reason]) -> TabularOutcome:
    return TabularOutcome(tuple(row.number for row in rows), number, None, tuple(reasons))


def _row_list(numbers: list[int]) -> str:
    shown = "・".join(str(n) for n in numbers[:10])
    return f"{shown}行目" + (f"ほか{len(numbers) - 10}行" if len(numbers) > 10 else "")


def _display(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, PayeeAccount):
        return ":".join(p for p in (value.bank_code, value.branch_code, value.account_type, value.account_number) if p)
    return str(value)


class _Builder:
    """Builds the ``Invoice`` of one group of rows, or says why it cannot."""

    def __init__(
        self,
        mapping: ColumnMapping,
        columns: dict[str, Column],
        kind: Kind,
        registration_number: str | None,
        seller_name: str | None,
    ) -> None:
        self.mapping = mapping
        self.columns = columns
        self.kind = kind
        self.registration_number = registration_number
        self.seller_name = seller_name

    def outcome(self, number: str | None, rows: list[ParsedRow], *, extra: list[Reason]) -> TabularOutcome:
        reasons = [reason for row in rows for reason in row.reasons] + extra
        if reasons or number is None:
            return _refused(number, rows, reasons)
        header: dict[str, object] = {}
        for name in _HEADER_FIELDS:
            header[name] = self._agreed(number, rows, name, reasons)
        registration = self._registration(number, rows, header["registration_number"], reasons)
        if header["issue_date"] is None:
            reasons.append(
                Reason("issue_date", f"請求書 {number} の{self._label('issue_date')}がありません（空欄です）。")
            )
        if reasons:
            return _refused(number, rows, reasons)
        invoice = self._invoice(number, rows, header, registration or "")
        return TabularOutcome(tuple(row.number for row in rows), number, invoice)

    def _label(self, name: str) -> str:
        column = self.columns.get(name)
        return f"「{column.label}」" if column else COLUMN_FIELDS[name]

    def _agreed(self, number: str, rows: list[ParsedRow], name: str, reasons: list[Reason]) -> object:
        found: dict[object, list[int]] = {}
        for row in rows:
            value = getattr(row, name)
            if value is not None:
                found.setdefault(value, []).append(row.number)
        if len(found) > 1:
            listed = "、".join(
                f"{numbers[0]}行目: {_display(value)}" for value, numbers in list(found.items())[:_LISTED_MAX]
            )
            label = self._label(name)
            reasons.append(Reason(name, f"請求書 {number} の{label}が行によって異なります（{listed}）。"))
            return None
        return next(iter(found), None)

    def _registration(self, number: str, rows: list[ParsedRow], written: object, reasons: list[Reason]) -> str | None:
        supplier = self.registration_number
        if isinstance(written, str) and supplier is not None and written != supplier:
            reasons.append(
                Reason(
                    "registration_number",
                    f"請求書 {number} の登録番号 {written} が、この仕入先の登録番号 {supplier} と異なります。",
                )
            )
        chosen = written if isinstance(written, str) else supplier
        if chosen is None:
            reasons.append(
                Reason(
                    "registration_number",
                    f"請求書 {number} の{self._label('registration_number')}がありません（空欄です）。",
                )
            )
        return chosen

    def _invoice(self, number: str, rows: list[ParsedRow], header: dict[str, object], registration: str) -> Invoice:
        lines, subtotals = self._lines_and_subtotals(rows)
        taxable = sum((sub.taxable_amount for sub in subtotals), Decimal(0))
        tax = sum((sub.tax_amount for sub in subtotals), Decimal(0))
        issue_date, due_date = header["issue_date"], header["due_date"]
        seller, account, reference = header["seller_name"], header["payee_account"], header["order_reference"]
        assert isinstance(issue_date, dt.date)
        return Invoice(
            customization_id=CUSTOMIZATION_IDS[self.kind],
            profile_id=None,
            invoice_number=number,
            invoice_type_code=PAYABLE_TYPE_CODE,
            issue_date=issue_date,
            due_date=due_date if isinstance(due_date, dt.date) else None,
            currency="JPY",
            seller_name=seller if isinstance(seller, str) else (self.seller_name or ""),
            registration_number=registration,
            buyer_reference=None,
            order_reference=reference if isinstance(reference, str) else None,
            contract_reference=None,
            preceding_invoices=(),
            lines=lines,
            allowance_charges=(),
            tax_subtotals=subtotals,
            tax_total=tax,
            totals=MonetaryTotals(
                line_extension_amount=taxable,
                tax_exclusive_amount=taxable,
                tax_inclusive_amount=taxable + tax,
                payable_amount=taxable + tax,
            ),
            payee_account=account if isinstance(account, PayeeAccount) else None,
            payee_name=None,
            amount_currencies=frozenset({"JPY"}),
        )

    def _lines_and_subtotals(self, rows: list[ParsedRow]) -> tuple[tuple[InvoiceLine, ...], tuple[TaxSubtotal, ...]]:
        by_rate: dict[RateKey, list[ParsedRow]] = defaultdict(list)
        for row in rows:
            by_rate[row.rate].append(row)
        nets: dict[int, Decimal] = {}
        subtotals = []
        for rate in sorted(by_rate, key=lambda key: key[1], reverse=True):
            members = by_rate[rate]
            row_nets, tax = self._rate(rate, members)
            nets.update(zip((row.number for row in members), row_nets, strict=True))
            subtotals.append(TaxSubtotal(sum(row_nets, Decimal(0)), tax, rate[0], rate[1]))
        lines = tuple(
            InvoiceLine(
                id=str(row.number),
                name=row.description,
                description=None,
                quantity=None,
                line_extension_amount=nets[row.number],
                tax_category=row.rate[0],
                tax_percent=row.rate[1],
            )
            for row in rows
        )
        return lines, tuple(subtotals)

    def _rate(self, rate: RateKey, rows: list[ParsedRow]) -> tuple[list[Decimal], Decimal]:
        """The line amounts (税抜) of one rate's rows and the rate's tax."""
        amounts = [row.amount or Decimal(0) for row in rows]
        gross = self.mapping.amount_field == "gross_amount"
        percent = rate[1]
        if "tax_amount" in self.columns:
            taxes = [row.tax_amount or Decimal(0) for row in rows]
            nets = [a - t for a, t in zip(amounts, taxes, strict=True)] if gross else amounts
            return nets, sum(taxes, Decimal(0))
        if not percent:
            return amounts, Decimal(0)
        if not gross:
            return amounts, _floor(sum(amounts, Decimal(0)) * percent / 100)
        tax = tax_in_gross(sum(amounts, Decimal(0)), percent)
        return _allocate(amounts, tax, percent), tax


def _floor(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_FLOOR)


def tax_in_gross(gross: Decimal, percent: Decimal) -> Decimal:
    """The tax in a tax-inclusive total, rounded down once, unless JP PINT's rule cannot give it (see the module)."""
    tax = _floor(gross * percent / (100 + percent))
    # With the tax rounded down, (gross − tax) × rate lies in [tax, tax + 1 + rate / 100): at 10 %
    # it can reach tax + 1 (gross 10 yen: tax 0, taxable 10, 10 × 10 % = 1), and then no rounding
    # of it gives ``tax``. One yen more is what it gives rounded up (and half up).
    if (gross - tax) * percent >= 100 * (tax + 1):
        tax += 1
    return tax


def _allocate(amounts: list[Decimal], tax: Decimal, percent: Decimal) -> list[Decimal]:
    """Each gross amount less its share of ``tax``: shares rounded down, the rest by largest fraction."""
    exact = [amount * percent / (100 + percent) for amount in amounts]
    shares = [_floor(value) for value in exact]
    left = int(tax - sum(shares, Decimal(0)))
    # Rounding each share down loses less than a yen per row, and ``tax`` is at most one yen above
    # the rounded-down total, so ``left`` is between 0 and the number of rows.
    order = sorted(range(len(amounts)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return [amount - share for amount, share in zip(amounts, shares, strict=True)]
