"""Reading JP PINT invoices into plain data: the published samples, payee accounts, missing fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.einvoice.jp_pint import (
    AllowanceCharge,
    MonetaryTotals,
    PayeeAccount,
    TaxSubtotal,
    read_invoice,
)
from cityhall.automation.einvoice.safe_xml import parse

SAMPLE_ACCOUNT = PayeeAccount("1234", "567", "1", "3242394", "ｶ)ﾏﾙﾏﾙｼﾖｳｼﾞ")


def read(data: bytes):
    return read_invoice(parse(data))


def rejected(data: bytes) -> InvoiceRejected:
    with pytest.raises(InvoiceRejected) as caught:
        read(data)
    return caught.value


def test_full_sample(sample):
    invoice = read(sample("jp-pint-Example.xml"))
    assert (invoice.customization_id, invoice.invoice_number, invoice.invoice_type_code) == (
        "urn:fdc:peppol:jp:billing:3.0",
        "156",
        "380",
    )
    assert (invoice.issue_date, invoice.due_date, invoice.currency) == (date(2023, 10, 24), date(2023, 11, 20), "JPY")
    assert (invoice.seller_name, invoice.registration_number) == ("株式会社 〇〇商事", "T1234567890123")
    assert (invoice.buyer_reference, invoice.order_reference, invoice.contract_reference) == (
        "0150abc",
        "O-998877",
        "framework no 1",
    )
    assert invoice.preceding_invoices == ("123",)
    assert [(line.id, line.name, line.line_extension_amount, line.tax_category) for line in invoice.lines] == [
        ("1", "デスクチェア", Decimal(250000), "S"),
        ("2", "コピー用紙（A4）", Decimal(2500), "S"),
        ("3", "検定済教科書(算数)", Decimal(3490), "E"),
    ]
    assert invoice.allowance_charges == (
        AllowanceCharge(False, Decimal(179), "S", Decimal(10), "値引"),
        AllowanceCharge(True, Decimal(7679), "S", Decimal(10), "配送サービス"),
    )
    assert invoice.tax_subtotals == (
        TaxSubtotal(Decimal(260000), Decimal(26000), "S", Decimal(10)),
        TaxSubtotal(Decimal(3490), Decimal(0), "E", Decimal(0)),
    )
    assert invoice.tax_total == Decimal(26000)
    assert invoice.totals == MonetaryTotals(
        *map(Decimal, (255990, 263490, 289490, 289490, 179, 7679, 0, 0)),
    )
    # Written 「1234:567:1:3242394」: bank, branch, type (1 普通) and number in one text.
    assert invoice.payee_account == SAMPLE_ACCOUNT
    assert invoice.payee_name == "Payee party"
    assert invoice.amount_currencies == {"JPY"}


def test_minimum_sample_has_no_payment_means_and_no_due_date(sample):
    invoice = read(sample("jp-pint-Example1-minimum.xml"))
    assert (invoice.invoice_number, invoice.totals.payable_amount, invoice.due_date) == ("156", Decimal(281240), None)
    assert (invoice.payee_account, invoice.payee_name, invoice.allowance_charges) == (None, None, ())
    # The published file repeats lines 2 and 3 after line 3: five lines are read, as written.
    assert [line.id for line in invoice.lines] == ["1", "2", "3", "2", "3"]


def test_summarised_sample(sample):
    invoice = read(sample("jp-pint-Example3-SumInv1.xml"))
    assert (invoice.invoice_number, invoice.issue_date) == ("103", date(2023, 11, 1))
    assert invoice.lines[0].line_extension_amount == Decimal(257500)  # net of its own allowance and charges
    assert (invoice.totals.payable_amount, invoice.payee_account) == (Decimal(289490), SAMPLE_ACCOUNT)


def test_corrective_sample_is_typed_380_and_names_the_invoice_it_corrects(sample):
    invoice = read(sample("jp-pint-Example6-CorrInv.xml"))
    assert (invoice.invoice_type_code, invoice.invoice_number, invoice.preceding_invoices) == ("380", "156", ("123",))
    assert invoice.totals.payable_amount == Decimal(289490)


def test_our_invoice(einvoice_xml):
    invoice = read(einvoice_xml())
    assert (invoice.invoice_number, invoice.registration_number, invoice.seller_name) == (
        "INV-2024-0042",
        "T7000012050002",
        "情報テクノ株式会社",
    )
    assert [(s.tax_category, s.tax_percent, s.taxable_amount, s.tax_amount) for s in invoice.tax_subtotals] == [
        ("S", Decimal(10), Decimal(19634), Decimal(1963)),
        ("AA", Decimal(8), Decimal(1234), Decimal(98)),
    ]
    assert invoice.totals.prepaid_amount is None
    assert invoice.payee_account == PayeeAccount("0005", "123", "1", "0012345", "ｼﾞﾖｳﾎｳﾃｸ(ｶ")


def payment_means(account_id: str, branch_id: str | None = None) -> str:
    branch = f"<cac:FinancialInstitutionBranch><cbc:ID>{branch_id}</cbc:ID></cac:FinancialInstitutionBranch>"
    return (
        "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cac:PayeeFinancialAccount>"
        f"<cbc:ID>{account_id}</cbc:ID>{branch if branch_id else ''}</cac:PayeeFinancialAccount></cac:PaymentMeans>"
    )


@pytest.mark.parametrize(
    ("account_id", "branch_id", "expected"),
    [
        ("0001:001:1:1234567", None, ("0001", "001", "1", "1234567")),
        ("０００１：００１：２：１２３", None, ("0001", "001", "2", "0000123")),
        ("1234567", "0001001", ("0001", "001", None, "1234567")),
        ("98765", "0009-123", ("0009", "123", None, "0098765")),
        ("1234567", None, (None, None, None, "1234567")),
        ("0001:001:1:1234567", "0001001", ("0001", "001", "1", "1234567")),
    ],
    ids=["colon form", "full-width", "branch id", "branch id with hyphen", "number only", "both, agreeing"],
)
def test_payee_account_forms(einvoice_xml, account_id, branch_id, expected):
    account = read(einvoice_xml(payment_means=payment_means(account_id, branch_id))).payee_account
    bank, branch, kind, number = expected
    assert account == PayeeAccount(bank, branch, kind, number, holder_name=None)


@pytest.mark.parametrize(
    ("account_id", "branch_id"),
    [
        ("0001:001:1", None),
        ("0001:001:3:1234567", None),
        ("001:001:1:1234567", None),
        ("0001:001:1:12345678", None),
        ("JP12 3456", None),
        ("1234567", "MHCBJPJT"),
        ("0001:001:1:1234567", "0002001"),
    ],
    ids=["three parts", "type 3", "short bank", "8-digit number", "not digits", "BIC as branch", "disagreeing"],
)
def test_unreadable_payee_account_rejects_the_invoice(einvoice_xml, account_id, branch_id):
    error = rejected(einvoice_xml(payment_means=payment_means(account_id, branch_id)))
    assert error.field == "payee_account"


@pytest.mark.parametrize(
    ("pattern", "replacement", "field"),
    [
        (b"<cbc:ID>INV-2024-0042</cbc:ID>", b"", "invoice_number"),
        (b"<cbc:CompanyID>T7000012050002</cbc:CompanyID>", b"", "registration_number"),
        (b"<cbc:PayableAmount currencyID=\"JPY\">22929</cbc:PayableAmount>", b"", "payable_amount"),
        (b"<cbc:IssueDate>2024-03-15</cbc:IssueDate>", b"", "issue_date"),
        (b"<cbc:IssueDate>2024-03-15</cbc:IssueDate>", b"<cbc:IssueDate>2024-02-30</cbc:IssueDate>", "issue_date"),
        (b"<cbc:DueDate>2024-04-30</cbc:DueDate>", b"<cbc:DueDate>30/04/2024</cbc:DueDate>", "due_date"),
        (b">22929</cbc:PayableAmount>", b">1e5</cbc:PayableAmount>", "payable_amount"),
        (b">22929</cbc:PayableAmount>", b">22,929</cbc:PayableAmount>", "payable_amount"),
        (b"<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode>", b"", "currency"),
        (b">12345</cbc:LineExtensionAmount>", b">NaN</cbc:LineExtensionAmount>", "lines"),
        (b"<cbc:ChargeIndicator>true</cbc:ChargeIndicator>", b"<cbc:ChargeIndicator>yes</cbc:ChargeIndicator>",
         "allowance_charges"),
    ],
    ids=["invoice number", "registration number", "payable", "issue date", "impossible date", "date format",
         "exponent", "thousands separator", "currency", "NaN", "charge indicator"],
)  # fmt: skip
def test_missing_or_unreadable_mandatory_value_names_the_field(einvoice_xml, pattern, replacement, field):
    data = einvoice_xml()
    assert pattern in data
    error = rejected(data.replace(pattern, replacement))
    assert error.field == field
    assert error.message.endswith("。")


def test_credit_note_and_other_documents_are_not_invoices():
    credit = b'<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>'
    assert "クレジットノート" in rejected(credit).message
    order = b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'
    assert rejected(order).message == "UBLの請求書（Invoice）ではありません（ルート要素: Order）。"
    assert rejected(b"<Invoice/>").field == "document"  # no UBL namespace
