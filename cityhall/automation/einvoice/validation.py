"""Whether a read JP PINT invoice may become a payment order (取り込み前の検査).

``validate(invoice, today=…, seen=…)`` returns every problem at once as ``Reason`` (field and a
Japanese message naming what was expected and what was found, amounts as 「1,234円」), an
empty list when the invoice may be imported. Nothing is raised: the bulk import shows each
file's reasons next to it. The rules, in the order reported:

1. the document: a JP PINT invoice (``CustomizationID`` starting ``CUSTOMIZATION_PREFIX``), of
   type 380 (commercial invoice; credit notes, corrections and the like are refused with their
   own reason), in JPY, with every amount a whole number of yen and in that currency;
2. the seller's 登録番号: ``T`` + a corporate number whose check digit holds
   (``cityhall.finance.invoice_number``); an individual registrant's number is not accepted here;
3. no line number written twice (a copied line bills twice);
4. totals: lines = ``LineExtensionAmount``; allowances and charges = their totals;
   LineExtension − allowances + charges = ``TaxExclusiveAmount``; TaxExclusive + tax =
   ``TaxInclusiveAmount``; TaxInclusive − Prepaid + Rounding = ``PayableAmount``, which must be
   more than 0 円 and fit the 全銀 file;
5. tax per rate (``_tax``): each category at its rate, one subtotal per rate whose taxable amount
   is that rate's lines and allowances, whose tax is rounded once per rate, and whose taxes add
   up to the tax total;
6. dates: issued no later than ``today``, due no earlier than issued;
7. duplicates: the same (登録番号, 請求書番号) as an invoice in ``seen``. An invoice that passes
   every rule is added to ``seen``, so a batch sharing one set catches a file sent twice while a
   refused file does not block its corrected copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from cityhall.automation.einvoice import _tax
from cityhall.automation.einvoice.jp_pint import Invoice
from cityhall.core.japanese.money import YEN_MAX
from cityhall.core.tables import Reason
from cityhall.finance.invoice_number import InvoiceNumberResult, check_invoice_number

__all__ = ["CUSTOMIZATION_PREFIX", "PAYABLE_TYPE_CODE", "Reason", "validate"]

CUSTOMIZATION_PREFIX = "urn:fdc:peppol:jp:billing:3.0"
PAYABLE_TYPE_CODE = "380"
CURRENCY = "JPY"
_REFUSED_TYPES = {
    "381": "クレジットノート（返金・減額の通知）は支払の対象ではありません。",
    "383": "デビットノートは元の請求書との照合が必要なため、自動では取り込めません。",
    "384": "修正請求書は元の請求書との照合が必要なため、自動では取り込めません。",
    "389": "自己請求書（買い手が作成した請求書）は支払の対象として取り込めません。",
}
_LISTED_MAX = 3


def validate(invoice: Invoice, *, today: date, seen: set[tuple[str, str]] | None = None) -> list[Reason]:
    """Every reason ``invoice`` cannot become a payment order (empty when it can); see the module."""
    number = check_invoice_number(invoice.registration_number)
    reasons = [
        *_document(invoice),
        *_registration_number(number),
        *_line_numbers(invoice),
        *_totals(invoice),
        *_tax_per_rate(invoice),
        *_dates(invoice, today),
    ]
    if seen is not None:
        reasons.extend(_duplicate(invoice, number, seen, passed=not reasons))
    return reasons


def yen(amount: Decimal) -> str:
    """「1,234円」, keeping any decimals written (「1,234.5円」) so the message shows the file's value."""
    return f"{amount:,f}円"


def _mismatch(field: str, label: str, how: str, expected: Decimal, found: Decimal) -> Iterator[Reason]:
    if expected != found:
        yield Reason(field, f"{label}は{how} {yen(expected)} のはずが、{yen(found)} です。")


# 1. The document -------------------------------------------------------------------------------


def _document(invoice: Invoice) -> Iterator[Reason]:
    if not invoice.customization_id.startswith(CUSTOMIZATION_PREFIX):
        yield Reason(
            "customization_id",
            f"JP PINT の請求書ではありません（CustomizationID は {CUSTOMIZATION_PREFIX} で始まるはずが、"
            f"「{invoice.customization_id}」です）。",
        )
    yield from _type_code(invoice.invoice_type_code)
    if invoice.currency != CURRENCY:
        yield Reason(
            "currency", f"通貨は {CURRENCY}（円）のはずが、{invoice.currency} です。円建ての請求書のみ取り込めます。"
        )
        return
    if others := invoice.amount_currencies - {CURRENCY}:
        listed = "・".join(sorted(others))
        yield Reason("currency", f"金額の通貨（currencyID）はすべて {CURRENCY} のはずが、{listed} が混じっています。")
    yield from _whole_yen(invoice)


def _type_code(code: str) -> Iterator[Reason]:
    if code == PAYABLE_TYPE_CODE:
        return
    refused = _REFUSED_TYPES.get(code, "取り込めるのは商業請求書（380）のみです。")
    yield Reason("invoice_type_code", f"請求書の種類（InvoiceTypeCode）が {code} です。{refused}")


def _whole_yen(invoice: Invoice) -> Iterator[Reason]:
    """Yen have no minor unit: an amount written with decimals (even 「.0」) is refused."""
    if not any(_has_decimals(amount) for _field, _label, amount in _amounts(invoice, labelled=False)):
        return  # the usual case, without building a label per amount
    fractional = [(field, label, amount) for field, label, amount in _amounts(invoice) if _has_decimals(amount)]
    if not fractional:
        return
    listed = "、".join(f"{label} {yen(amount)}" for _, label, amount in fractional[:_LISTED_MAX])
    more = f" ほか{len(fractional) - _LISTED_MAX}件" if len(fractional) > _LISTED_MAX else ""
    yield Reason(fractional[0][0], f"円の金額は小数なしの整数で書くはずが、小数があります: {listed}{more}。")


def _has_decimals(amount: Decimal) -> bool:
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and exponent < 0


def _amounts(invoice: Invoice, *, labelled: bool = True) -> Iterator[tuple[str, str, Decimal]]:
    """Every amount of the invoice as (field, Japanese label, value); the labels are "" unless ``labelled``."""
    for line in invoice.lines:
        yield "lines", f"明細 {line.id} の金額" if labelled else "", line.line_extension_amount
    for item in invoice.allowance_charges:
        yield "allowance_charges", "追加料金" if item.is_charge else "値引", item.amount
    for sub in invoice.tax_subtotals:
        rate = _tax.label(_tax.key(sub.tax_category, sub.tax_percent)) if labelled else ""
        yield "tax_subtotals", f"{rate}の課税対象額", sub.taxable_amount
        yield "tax_subtotals", f"{rate}の消費税額", sub.tax_amount
    yield "tax_total", "消費税額合計", invoice.tax_total
    for field, (tag, label) in _TOTAL_LABELS.items():
        value = getattr(invoice.totals, field)
        if value is not None:
            yield field, f"{label}（{tag}）" if labelled else "", value


_TOTAL_LABELS = {
    "line_extension_amount": ("LineExtensionAmount", "明細金額の合計"),
    "allowance_total_amount": ("AllowanceTotalAmount", "値引の合計"),
    "charge_total_amount": ("ChargeTotalAmount", "追加料金の合計"),
    "tax_exclusive_amount": ("TaxExclusiveAmount", "税抜合計額"),
    "tax_inclusive_amount": ("TaxInclusiveAmount", "税込合計額"),
    "prepaid_amount": ("PrepaidAmount", "支払済額"),
    "payable_rounding_amount": ("PayableRoundingAmount", "端数調整額"),
    "payable_amount": ("PayableAmount", "請求額"),
}


# 2. and 3. The seller's number and the lines ----------------------------------------------------


def _registration_number(result: InvoiceNumberResult) -> Iterator[Reason]:
    if not result.ok:
        yield Reason("registration_number", result.message)


def _line_numbers(invoice: Invoice) -> Iterator[Reason]:
    ids = [line.id for line in invoice.lines]
    if len(set(ids)) == len(ids):
        return
    counts = Counter(ids)
    twice = [line_id for line_id, count in counts.items() if count > 1]
    if twice:
        yield Reason(
            "lines",
            f"明細番号 {'、'.join(twice)} が重複しています（同じ明細を二重に請求していないか確認してください）。",
        )


# 4. Totals --------------------------------------------------------------------------------------


def _totals(invoice: Invoice) -> Iterator[Reason]:
    totals = invoice.totals
    allowances = totals.allowance_total_amount or Decimal(0)
    charges = totals.charge_total_amount or Decimal(0)
    lines = sum((line.line_extension_amount for line in invoice.lines), Decimal(0))
    yield from _mismatch(
        "line_extension_amount",
        "明細金額の合計（LineExtensionAmount）",
        "明細の合計",
        lines,
        totals.line_extension_amount,
    )
    yield from _allowance_and_charge_totals(invoice, allowances, charges)
    yield from _mismatch(
        "tax_exclusive_amount",
        "税抜合計額（TaxExclusiveAmount）",
        "明細金額の合計 − 値引 + 追加料金 =",
        totals.line_extension_amount - allowances + charges,
        totals.tax_exclusive_amount,
    )
    yield from _mismatch(
        "tax_inclusive_amount",
        "税込合計額（TaxInclusiveAmount）",
        "税抜合計額 + 消費税額合計 =",
        totals.tax_exclusive_amount + invoice.tax_total,
        totals.tax_inclusive_amount,
    )
    yield from _payable(invoice)


def _allowance_and_charge_totals(invoice: Invoice, allowances: Decimal, charges: Decimal) -> Iterator[Reason]:
    items = invoice.allowance_charges
    yield from _mismatch(
        "allowance_total_amount",
        "値引の合計（AllowanceTotalAmount）",
        "値引の合計",
        sum((item.amount for item in items if not item.is_charge), Decimal(0)),
        allowances,
    )
    yield from _mismatch(
        "charge_total_amount",
        "追加料金の合計（ChargeTotalAmount）",
        "追加料金の合計",
        sum((item.amount for item in items if item.is_charge), Decimal(0)),
        charges,
    )


def _payable(invoice: Invoice) -> Iterator[Reason]:
    totals = invoice.totals
    prepaid = totals.prepaid_amount or Decimal(0)
    rounding = totals.payable_rounding_amount or Decimal(0)
    expected = totals.tax_inclusive_amount - prepaid + rounding
    how = "税込合計額 − 支払済額 + 端数調整額 ="
    yield from _mismatch("payable_amount", "請求額（PayableAmount）", how, expected, totals.payable_amount)
    if totals.payable_amount <= 0:
        yield Reason("payable_amount", f"請求額が {yen(totals.payable_amount)} です。支払う額（1円以上）がありません。")
    elif totals.payable_amount > YEN_MAX:
        yield Reason(
            "payable_amount",
            f"請求額 {yen(totals.payable_amount)} は振込できる上限 {yen(Decimal(YEN_MAX))} を超えています。",
        )


# 5. Tax per rate --------------------------------------------------------------------------------


def _tax_per_rate(invoice: Invoice) -> Iterator[Reason]:
    yield from _rates_known(invoice)
    expected = _tax.taxable_by_rate(invoice)
    for sub in invoice.tax_subtotals:
        rate = _tax.key(sub.tax_category, sub.tax_percent)
        yield from _subtotal(invoice, rate, expected.get(rate, Decimal(0)), sub.taxable_amount, sub.tax_amount)
    yield from _one_subtotal_per_rate(invoice, expected)
    total = sum((sub.tax_amount for sub in invoice.tax_subtotals), Decimal(0))
    yield from _mismatch(
        "tax_total", "消費税額合計（TaxTotal/TaxAmount）", "税率ごとの消費税額の合計", total, invoice.tax_total
    )


def _one_subtotal_per_rate(invoice: Invoice, expected: dict[_tax.RateKey, Decimal]) -> Iterator[Reason]:
    written = Counter(_tax.key(sub.tax_category, sub.tax_percent) for sub in invoice.tax_subtotals)
    for rate in expected:
        if not written[rate]:
            yield Reason("tax_subtotals", f"{_tax.label(rate)}の内訳（TaxSubtotal）がありません。")
    for rate, count in written.items():
        if count > 1:
            yield Reason(
                "tax_subtotals",
                f"{_tax.label(rate)}の内訳（TaxSubtotal）が {count} つあります（税率ごとに1つのはずです）。",
            )


def _rates_known(invoice: Invoice) -> Iterator[Reason]:
    """Each category at its one JP PINT rate (S 10 %, AA 8 %, exempt ones 0 %)."""
    written = [(line.tax_category, line.tax_percent) for line in invoice.lines]
    written += [(item.tax_category, item.tax_percent) for item in invoice.allowance_charges]
    written += [(sub.tax_category, sub.tax_percent) for sub in invoice.tax_subtotals]
    for category, percent in sorted({_tax.key(c, p) for c, p in written}):
        if category not in _tax.RATES:
            yield Reason(
                "tax_subtotals", f"税区分「{category}」は JP PINT の税区分（S・AA・E・Z・G・O）ではありません。"
            )
        elif percent != _tax.RATES[category]:
            yield Reason(
                "tax_subtotals", f"税区分 {category} の税率は {_tax.RATES[category]}% のはずが、{percent:f}% です。"
            )


def _subtotal(
    invoice: Invoice, rate: _tax.RateKey, taxable: Decimal, written_taxable: Decimal, written_tax: Decimal
) -> Iterator[Reason]:
    name = _tax.label(rate)
    yield from _mismatch(
        "tax_subtotals", f"{name}の課税対象額（TaxableAmount）", "明細と値引・追加料金から", taxable, written_taxable
    )
    if _tax.rounded_once(written_taxable, rate[1], written_tax):
        return
    accepted = _tax.once_per_rate(written_taxable, rate[1])
    once = "または".join(yen(amount) for amount in accepted)
    computed = f"課税対象額 {yen(written_taxable)} × {rate[1]:f}% を1回端数処理した {once}"
    if written_tax in _tax.per_line(invoice, rate):
        yield Reason(
            "tax_subtotals",
            f"{name}の消費税額 {yen(written_tax)} は明細ごとに端数処理した額です。適格請求書では税率ごとに1回だけ"
            f"端数処理します（{computed}）。",
        )
    else:
        yield Reason("tax_subtotals", f"{name}の消費税額（TaxAmount）は{computed} のはずが、{yen(written_tax)} です。")


# 6. and 7. Dates and duplicates -----------------------------------------------------------------


def _dates(invoice: Invoice, today: date) -> Iterator[Reason]:
    if invoice.issue_date > today:
        yield Reason("issue_date", f"発行日は今日（{_day(today)}）以前のはずが、{_day(invoice.issue_date)} です。")
    if invoice.due_date is not None and invoice.due_date < invoice.issue_date:
        yield Reason(
            "due_date", f"支払期日は発行日（{_day(invoice.issue_date)}）以後のはずが、{_day(invoice.due_date)} です。"
        )


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _duplicate(
    invoice: Invoice, check: InvoiceNumberResult, seen: set[tuple[str, str]], *, passed: bool
) -> Iterator[Reason]:
    key = (check.number if check.ok else invoice.registration_number, invoice.invoice_number)
    if key in seen:
        yield Reason(
            "invoice_number", f"同じ請求書（登録番号・請求書番号）が既に取り込まれています（{key[0]}・{key[1]}）。"
        )
    elif passed:
        seen.add(key)
