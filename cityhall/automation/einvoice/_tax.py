"""消費税 per rate on one invoice: the arithmetic behind the tax checks, private to ``einvoice``.

Under the qualified-invoice system (適格請求書等保存方式) the seller rounds the consumption tax
once per rate per invoice: tax of a rate = that rate's taxable amount × rate, rounded once.
The seller chooses the rounding (切捨て, 四捨五入 or 切上げ), so each of the three results is
accepted; rounding each line and adding the results is not allowed, and ``per_line`` computes
that sum only to say so when it is what the seller did.

A rate is keyed by its UNTDID 5305 category and percent (``("S", 10)``); JP PINT uses S for
the standard 10 %, AA for the reduced 8 % and E, Z, G, O (0 %) for exempt, zero-rated, export
and out-of-scope supplies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from cityhall.automation.einvoice.jp_pint import Invoice

RateKey = tuple[str, Decimal]

RATES = {"S": Decimal(10), "AA": Decimal(8), "E": Decimal(0), "Z": Decimal(0), "G": Decimal(0), "O": Decimal(0)}
"""The percent each JP PINT tax category must carry."""
_NAMES = {"S": "標準税率", "AA": "軽減税率", "E": "非課税", "Z": "ゼロ税率", "G": "輸出免税", "O": "不課税"}
_ROUNDINGS = (ROUND_FLOOR, ROUND_HALF_UP, ROUND_CEILING)


def key(category: str, percent: Decimal | None) -> RateKey:
    """The rate of a line, allowance or subtotal; a missing percent means 0 (exempt categories)."""
    return category, (percent if percent is not None else Decimal(0)).normalize()


def label(rate: RateKey) -> str:
    """「標準税率10%」「軽減税率8%」「非課税」: how a clerk names the rate."""
    category, percent = rate
    name = _NAMES.get(category, f"税区分 {category}")
    return f"{name}{percent:f}%" if percent else name


def taxable_by_rate(invoice: Invoice) -> dict[RateKey, Decimal]:
    """Taxable amount per rate: its lines, less its document allowances, plus its charges."""
    taxable: dict[RateKey, Decimal] = defaultdict(Decimal)
    for line in invoice.lines:
        taxable[key(line.tax_category, line.tax_percent)] += line.line_extension_amount
    for item in invoice.allowance_charges:
        taxable[key(item.tax_category, item.tax_percent)] += item.amount if item.is_charge else -item.amount
    return dict(taxable)


def once_per_rate(taxable: Decimal, percent: Decimal) -> list[Decimal]:
    """The tax of one rate rounded once, by each rounding a seller may choose (distinct, ascending)."""
    return _rounded([taxable], percent)


def rounded_once(taxable: Decimal, percent: Decimal, tax: Decimal) -> bool:
    """Whether ``tax`` is one of ``once_per_rate``'s results (each rounding tried until one matches)."""
    return any(_tax(taxable, percent, rounding) == tax for rounding in _ROUNDINGS)


def per_line(invoice: Invoice, rate: RateKey) -> list[Decimal]:
    """The tax of one rate if each line, allowance and charge had been rounded on its own."""
    amounts = [line.line_extension_amount for line in invoice.lines if key(line.tax_category, line.tax_percent) == rate]
    for item in invoice.allowance_charges:
        if key(item.tax_category, item.tax_percent) == rate:
            amounts.append(item.amount if item.is_charge else -item.amount)
    return _rounded(amounts, rate[1])


def _rounded(amounts: Iterable[Decimal], percent: Decimal) -> list[Decimal]:
    amounts = list(amounts)
    results = {sum((_tax(amount, percent, rounding) for amount in amounts), Decimal(0)) for rounding in _ROUNDINGS}
    return sorted(results)


def _tax(amount: Decimal, percent: Decimal, rounding: str) -> Decimal:
    return (amount * percent / 100).quantize(Decimal(1), rounding=rounding)
