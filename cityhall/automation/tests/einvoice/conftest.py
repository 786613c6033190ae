"""Inputs for the e-invoice tests: the published JP PINT samples and an invoice of our own.

The samples (``/work/shared/samples/einvoice``, from pontsoleil/Japan_core) are read where they
are; tests needing them are skipped on a machine without them. ``einvoice_xml`` writes a small
but complete JP PINT invoice whose every number is known, so each rule can be broken alone:

* lines: 食品 1,234円 at 8 % (AA); 用紙 12,345円 and トナー 6,789円 at 10 % (S);
* document allowance 500円 and charge 1,000円, both at 10 %;
* 10 %: taxable 19,634円, tax 1,963円 (1,963.4 rounded down or half up; 1,964 rounded up);
  rounding each line instead would give 1,962円 (down) or 1,964円;
* 8 %: taxable 1,234円, tax 98円 (98.72 rounded down; 99 up);
* totals: lines 20,368円, tax exclusive 20,868円, tax 2,061円, tax inclusive and payable 22,929円.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SAMPLES = Path("/work/shared/samples/einvoice")

_DEFAULTS = {
    "customization_id": "urn:fdc:peppol:jp:billing:3.0",
    "invoice_number": "INV-2024-0042",
    "type_code": "380",
    "issue_date": "2024-03-15",
    "due_date": "2024-04-30",
    "currency": "JPY",
    "amount_currency": "JPY",
    "registration_number": "T7000012050002",
    "food": "1234",
    "paper": "12345",
    "toner": "6789",
    "allowance": "500",
    "charge": "1000",
    "s_taxable": "19634",
    "s_tax": "1963",
    "aa_taxable": "1234",
    "aa_tax": "98",
    "tax_total": "2061",
    "line_extension": "20368",
    "tax_exclusive": "20868",
    "tax_inclusive": "22929",
    "allowance_total": "500",
    "charge_total": "1000",
    "payable": "22929",
    "payment_means": (
        "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cac:PayeeFinancialAccount>"
        "<cbc:ID>0005:123:1:0012345</cbc:ID><cbc:Name>ｼﾞﾖｳﾎｳﾃｸ(ｶ</cbc:Name>"
        "</cac:PayeeFinancialAccount></cac:PaymentMeans>"
    ),
}

_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>{customization_id}</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{invoice_number}</cbc:ID>
  <cbc:IssueDate>{issue_date}</cbc:IssueDate>
  <cbc:DueDate>{due_date}</cbc:DueDate>
  <cbc:InvoiceTypeCode>{type_code}</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyTaxScheme><cbc:CompanyID>{registration_number}</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>情報テクノ株式会社</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>みなと市</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  {payment_means}
  <cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>値引</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="{amount_currency}">{allowance}</cbc:Amount>
    <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent></cac:TaxCategory></cac:AllowanceCharge>
  <cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>配送料</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="{amount_currency}">{charge}</cbc:Amount>
    <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent></cac:TaxCategory></cac:AllowanceCharge>
  <cac:TaxTotal><cbc:TaxAmount currencyID="{amount_currency}">{tax_total}</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="{amount_currency}">{s_taxable}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="{amount_currency}">{s_tax}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="{amount_currency}">{aa_taxable}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="{amount_currency}">{aa_tax}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>AA</cbc:ID><cbc:Percent>8</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="{amount_currency}">{line_extension}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="{amount_currency}">{tax_exclusive}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="{amount_currency}">{tax_inclusive}</cbc:TaxInclusiveAmount>
    <cbc:AllowanceTotalAmount currencyID="{amount_currency}">{allowance_total}</cbc:AllowanceTotalAmount>
    <cbc:ChargeTotalAmount currencyID="{amount_currency}">{charge_total}</cbc:ChargeTotalAmount>
    <cbc:PayableAmount currencyID="{amount_currency}">{payable}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="H87">3</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="{amount_currency}">{food}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>食品</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>AA</cbc:ID><cbc:Percent>8</cbc:Percent></cac:ClassifiedTaxCategory></cac:Item>
  </cac:InvoiceLine>
  <cac:InvoiceLine><cbc:ID>2</cbc:ID><cbc:InvoicedQuantity unitCode="H87">5</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="{amount_currency}">{paper}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>用紙</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent></cac:ClassifiedTaxCategory></cac:Item>
  </cac:InvoiceLine>
  <cac:InvoiceLine><cbc:ID>3</cbc:ID><cbc:InvoicedQuantity unitCode="H87">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="{amount_currency}">{toner}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>トナー</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent></cac:ClassifiedTaxCategory></cac:Item>
  </cac:InvoiceLine>
</Invoice>
"""


@pytest.fixture
def einvoice_xml() -> Callable[..., bytes]:
    """``einvoice_xml(payable="22930", …)``: our invoice with the named values replaced."""

    def build(**values: str) -> bytes:
        unknown = set(values) - set(_DEFAULTS)
        assert not unknown, f"no such value in the test invoice: {unknown}"
        return _TEMPLATE.format(**(_DEFAULTS | values)).encode("utf-8")

    return build


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """``sample("jp-pint-Example.xml")``: a published sample's bytes (the test is skipped without it)."""

    def read(name: str) -> bytes:
        path = SAMPLES / name
        if not path.is_file():
            pytest.skip(f"sample invoice {name} not available on this machine")
        return path.read_bytes()

    return read
