"""JP PINT invoices written from a few values (電子請求書の生成): for the demo city, benchmarks and tests.

The shape follows the public JP PINT examples (UBL 2.1, CustomizationID urn:fdc:peppol:jp:billing:3.0):
seller with its registration number, buyer, one tax subtotal per rate rounded once per rate (the
適格請求書 rule, floor), the monetary totals and, when given, the payee account written
``bank:branch:type:account`` with the holder's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

CUSTOMIZATION = "urn:fdc:peppol:jp:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


@dataclass(frozen=True)
class Item:
    """One invoice line: name, net amount (税抜) and tax rate (10, 8 or 0 for exempt)."""

    name: str
    net: int
    rate: int = 10


def _amount(tag: str, value: int) -> str:
    return f'<cbc:{tag} currencyID="JPY">{value}</cbc:{tag}>'


def _category(rate: int, tag: str = "TaxCategory") -> str:
    code = "S" if rate == 10 else "AA" if rate == 8 else "E"
    return (
        f"<cac:{tag}><cbc:ID>{code}</cbc:ID><cbc:Percent>{rate}</cbc:Percent>"
        f"<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:{tag}>"
    )


def _line(n: int, item: Item) -> str:
    return (
        f"<cac:InvoiceLine><cbc:ID>{n}</cbc:ID>"
        f'<cbc:InvoicedQuantity unitCode="H87">1</cbc:InvoicedQuantity>{_amount("LineExtensionAmount", item.net)}'
        f"<cac:Item><cbc:Name>{escape(item.name)}</cbc:Name>{_category(item.rate, 'ClassifiedTaxCategory')}</cac:Item>"
        f"<cac:Price>{_amount('PriceAmount', item.net)}</cac:Price></cac:InvoiceLine>"
    )


def tax_by_rate(items: Sequence[Item]) -> dict[int, tuple[int, int]]:
    """Per rate: (taxable, tax) with one rounding down per rate for the whole invoice."""
    taxable: dict[int, int] = {}
    for item in items:
        taxable[item.rate] = taxable.get(item.rate, 0) + item.net
    return {rate: (amount, amount * rate // 100) for rate, amount in sorted(taxable.items(), reverse=True)}


def jp_pint_xml(
    *,
    number: str,
    registration_number: str,
    items: Sequence[Item],
    seller: str = "株式会社ヤマダ商事",
    issue_date: dt.date | None = None,
    due_date: dt.date | None = None,
    order_reference: str = "",
    payee_account: str = "",
    holder_name: str = "",
    payable_delta: int = 0,
) -> bytes:
    """A JP PINT invoice as UTF-8 bytes; ``payable_delta`` spoils the payable amount (a wrong total)."""
    issued = issue_date or dt.date.today()
    taxes = tax_by_rate(items)
    net = sum(item.net for item in items)
    tax = sum(t for _taxable, t in taxes.values())
    subtotals = "".join(
        "<cac:TaxSubtotal>"
        f"{_amount('TaxableAmount', taxable)}{_amount('TaxAmount', t)}{_category(rate)}</cac:TaxSubtotal>"
        for rate, (taxable, t) in taxes.items()
    )
    due = f"<cbc:DueDate>{due_date:%Y-%m-%d}</cbc:DueDate>" if due_date else ""
    order = (
        f"<cac:OrderReference><cbc:ID>{escape(order_reference)}</cbc:ID></cac:OrderReference>"
        if order_reference
        else ""
    )
    payment = ""
    if payee_account:
        name = f"<cbc:Name>{escape(holder_name)}</cbc:Name>" if holder_name else ""
        payment = (
            "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>"
            f"<cac:PayeeFinancialAccount><cbc:ID>{escape(payee_account)}</cbc:ID>{name}</cac:PayeeFinancialAccount>"
            "</cac:PaymentMeans>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        f"<cbc:CustomizationID>{CUSTOMIZATION}</cbc:CustomizationID><cbc:ProfileID>{PROFILE}</cbc:ProfileID>"
        f"<cbc:ID>{escape(number)}</cbc:ID><cbc:IssueDate>{issued:%Y-%m-%d}</cbc:IssueDate>{due}"
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode>"
        f"{order}"
        "<cac:AccountingSupplierParty><cac:Party>"
        f"<cac:PartyTaxScheme><cbc:CompanyID>{registration_number}</cbc:CompanyID>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        f"<cac:PartyLegalEntity><cbc:RegistrationName>{escape(seller)}</cbc:RegistrationName></cac:PartyLegalEntity>"
        "</cac:Party></cac:AccountingSupplierParty>"
        "<cac:AccountingCustomerParty><cac:Party><cac:PartyLegalEntity>"
        "<cbc:RegistrationName>緑野市</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>"
        f"{payment}"
        f"<cac:TaxTotal>{_amount('TaxAmount', tax)}{subtotals}</cac:TaxTotal>"
        "<cac:LegalMonetaryTotal>"
        f"{_amount('LineExtensionAmount', net)}{_amount('TaxExclusiveAmount', net)}"
        f"{_amount('TaxInclusiveAmount', net + tax)}{_amount('PayableAmount', net + tax + payable_delta)}"
        "</cac:LegalMonetaryTotal>"
        f"{''.join(_line(n, item) for n, item in enumerate(items, start=1))}"
        "</Invoice>"
    )
    return body.encode()
