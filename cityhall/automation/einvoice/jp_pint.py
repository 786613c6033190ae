"""JP PINT e-invoices (Peppol, UBL 2.1) read into plain data for a payment order (電子請求書の読み取り).

This reader is our own: no maintained Python library reads JP PINT into the fields a payment
order needs (general UBL libraries either bind the whole schema or target the EU's EN 16931
rules), and the part we need is small. ``read_invoice(root)`` takes the root element that
``safe_xml.parse`` returned and gives a frozen ``Invoice``; it only *reads*: a mandatory element
missing or unreadable (an amount that is not a number, a date that is not a date, a payee
account that cannot be split) rejects the whole file with ``InvoiceRejected`` naming the field,
while rules about the values (check digit, totals, tax per rate, currency) are
``validation.validate``'s, which reports them all at once.

What is read, by UBL path (``cbc``/``cac`` are UBL 2.1's basic and aggregate components):

* header: ``CustomizationID``, ``ProfileID``, ``ID`` (invoice number), ``InvoiceTypeCode``,
  ``IssueDate``, ``DueDate``, ``DocumentCurrencyCode``, ``BuyerReference``,
  ``OrderReference/ID``, ``ContractDocumentReference/ID``,
  ``BillingReference/InvoiceDocumentReference/ID`` (invoices this one corrects or follows);
* seller: ``AccountingSupplierParty/Party/PartyLegalEntity/RegistrationName`` and the
  registration number ``…/PartyTaxScheme/CompanyID`` (the one whose ``TaxScheme/ID`` is ``VAT``,
  else the first), kept as written (``check_invoice_number`` normalises it);
* ``InvoiceLine``, document-level ``AllowanceCharge``, ``TaxTotal/TaxSubtotal`` and the tax total
  in the document currency, ``LegalMonetaryTotal``;
* payment: ``PaymentMeans/PayeeFinancialAccount`` (see ``_bank_account``) and
  ``PayeeParty/PartyName/Name`` when someone other than the seller is paid.

Amounts stay ``Decimal`` exactly as written, so validation can see a decimal in a yen amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lxml import etree

from cityhall.automation.einvoice import _xml_values as xv
from cityhall.automation.einvoice._bank_account import split_account
from cityhall.automation.einvoice.errors import InvoiceRejected

__all__ = [
    "AllowanceCharge",
    "Invoice",
    "InvoiceLine",
    "MonetaryTotals",
    "PayeeAccount",
    "TaxSubtotal",
    "read_invoice",
]

INVOICE_TAG = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
CREDIT_NOTE_TAG = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
_SELLER = "cac:AccountingSupplierParty/cac:Party"


@dataclass(frozen=True)
class InvoiceLine:
    """One 明細 (``InvoiceLine``); ``line_extension_amount`` is net of the line's own allowances."""

    id: str
    name: str | None
    description: str | None
    quantity: Decimal | None
    line_extension_amount: Decimal
    tax_category: str
    tax_percent: Decimal | None


@dataclass(frozen=True)
class AllowanceCharge:
    """A document-level 値引 (``is_charge=False``) or 追加料金 (``is_charge=True``)."""

    is_charge: bool
    amount: Decimal
    tax_category: str
    tax_percent: Decimal | None
    reason: str | None


@dataclass(frozen=True)
class TaxSubtotal:
    """税率ごとの内訳: the taxable amount and the tax of one category and rate."""

    taxable_amount: Decimal
    tax_amount: Decimal
    tax_category: str
    tax_percent: Decimal | None


@dataclass(frozen=True)
class MonetaryTotals:
    """``LegalMonetaryTotal``; the optional amounts are None when the invoice leaves them out."""

    line_extension_amount: Decimal
    tax_exclusive_amount: Decimal
    tax_inclusive_amount: Decimal
    payable_amount: Decimal
    allowance_total_amount: Decimal | None = None
    charge_total_amount: Decimal | None = None
    prepaid_amount: Decimal | None = None
    payable_rounding_amount: Decimal | None = None


@dataclass(frozen=True)
class PayeeAccount:
    """振込先口座 as 全銀 codes; JP PINT often leaves the account type out (None)."""

    bank_code: str | None
    branch_code: str | None
    account_type: str | None
    account_number: str
    holder_name: str | None


@dataclass(frozen=True)
class Invoice:
    """What a payment order needs from one JP PINT invoice, as written in the file."""

    customization_id: str
    profile_id: str | None
    invoice_number: str
    invoice_type_code: str
    issue_date: date
    due_date: date | None
    currency: str
    seller_name: str
    registration_number: str
    buyer_reference: str | None
    order_reference: str | None
    contract_reference: str | None
    preceding_invoices: tuple[str, ...]
    lines: tuple[InvoiceLine, ...]
    allowance_charges: tuple[AllowanceCharge, ...]
    tax_subtotals: tuple[TaxSubtotal, ...]
    tax_total: Decimal
    totals: MonetaryTotals
    payee_account: PayeeAccount | None
    payee_name: str | None
    amount_currencies: frozenset[str]
    """Every ``currencyID`` written on an amount, so validation can refuse a mix of currencies."""


def read_invoice(root: etree._Element) -> Invoice:
    """The ``Invoice`` in a parsed JP PINT document, or ``InvoiceRejected`` naming what is missing."""
    _check_root(root)
    currency = xv.required_text(
        root, "cbc:DocumentCurrencyCode", field="currency", label="通貨（DocumentCurrencyCode）"
    )
    tax = _tax_total_element(root, currency)
    return Invoice(
        customization_id=xv.required_text(
            root, "cbc:CustomizationID", field="customization_id", label="仕様の識別子（CustomizationID）"
        ),
        profile_id=xv.text(root, "cbc:ProfileID"),
        invoice_number=xv.required_text(root, "cbc:ID", field="invoice_number", label="請求書番号（cbc:ID）"),
        invoice_type_code=xv.required_text(
            root, "cbc:InvoiceTypeCode", field="invoice_type_code", label="請求書の種類（InvoiceTypeCode）"
        ),
        issue_date=_issue_date(root),
        due_date=xv.date_value(root, "cbc:DueDate", field="due_date", label="支払期日（DueDate）"),
        currency=currency,
        seller_name=xv.required_text(
            root,
            f"{_SELLER}/cac:PartyLegalEntity/cbc:RegistrationName",
            field="seller_name",
            label="売り手の名称（PartyLegalEntity/RegistrationName）",
        ),
        registration_number=_registration_number(root),
        buyer_reference=xv.text(root, "cbc:BuyerReference"),
        order_reference=xv.text(root, "cac:OrderReference/cbc:ID"),
        contract_reference=xv.text(root, "cac:ContractDocumentReference/cbc:ID"),
        preceding_invoices=_preceding_invoices(root),
        lines=_lines(root),
        allowance_charges=_allowance_charges(root),
        tax_subtotals=_tax_subtotals(tax),
        tax_total=xv.required_decimal(
            tax, "cbc:TaxAmount", field="tax_total", label="消費税額合計（TaxTotal/TaxAmount）"
        ),
        totals=_totals(root),
        payee_account=_payee_account(root),
        payee_name=xv.text(root, "cac:PayeeParty/cac:PartyName/cbc:Name"),
        amount_currencies=xv.currency_ids(root),
    )


def _check_root(root: etree._Element) -> None:
    if root.tag == INVOICE_TAG:
        return
    if root.tag == CREDIT_NOTE_TAG:
        raise InvoiceRejected("document", "クレジットノート（返金・減額の通知）です。支払の対象ではありません。")
    name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
    raise InvoiceRejected("document", f"UBLの請求書（Invoice）ではありません（ルート要素: {xv.shown(name)}）。")


def _issue_date(root: etree._Element) -> date:
    issued = xv.date_value(root, "cbc:IssueDate", field="issue_date", label="発行日（IssueDate）")
    if issued is None:
        raise InvoiceRejected("issue_date", "発行日（IssueDate）がありません。")
    return issued


def _registration_number(root: etree._Element) -> str:
    """The seller's 登録番号: the ``VAT`` tax scheme's ``CompanyID``, else the first one written."""
    schemes = xv.elements(root, f"{_SELLER}/cac:PartyTaxScheme")
    vat = [s for s in schemes if xv.text(s, "cac:TaxScheme/cbc:ID") == "VAT"]
    for scheme in vat + schemes:
        number = xv.text(scheme, "cbc:CompanyID")
        if number:
            return number
    raise InvoiceRejected("registration_number", "売り手の登録番号（PartyTaxScheme/CompanyID）がありません。")


def _preceding_invoices(root: etree._Element) -> tuple[str, ...]:
    paths = xv.elements(root, "cac:BillingReference/cac:InvoiceDocumentReference")
    return tuple(number for path in paths if (number := xv.text(path, "cbc:ID")))


def _lines(root: etree._Element) -> tuple[InvoiceLine, ...]:
    elements = xv.elements(root, "cac:InvoiceLine")
    if not elements:
        raise InvoiceRejected("lines", "明細（InvoiceLine）がありません。")
    return tuple(_line(element, n) for n, element in enumerate(elements, start=1))


def _line(element: etree._Element, n: int) -> InvoiceLine:
    line_id = xv.text(element, "cbc:ID")
    where = f"明細 {xv.shown(line_id)}" if line_id else f"{n}番目の明細"
    if line_id is None:
        raise InvoiceRejected("lines", f"{where}に明細番号（cbc:ID）がありません。")
    return InvoiceLine(
        id=line_id,
        name=xv.text(element, "cac:Item/cbc:Name"),
        description=xv.text(element, "cac:Item/cbc:Description"),
        quantity=xv.decimal(element, "cbc:InvoicedQuantity", field="lines", label=f"{where}の数量"),
        line_extension_amount=xv.required_decimal(
            element, "cbc:LineExtensionAmount", field="lines", label=f"{where}の金額（LineExtensionAmount）"
        ),
        tax_category=xv.required_text(
            element, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID", field="lines", label=f"{where}の税区分"
        ),
        tax_percent=xv.decimal(
            element, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", field="lines", label=f"{where}の税率"
        ),
    )


def _allowance_charges(root: etree._Element) -> tuple[AllowanceCharge, ...]:
    """Document-level allowances and charges only: a line's own are inside its amount already."""
    elements = xv.elements(root, "cac:AllowanceCharge")
    return tuple(_allowance_charge(element, n) for n, element in enumerate(elements, start=1))


def _allowance_charge(element: etree._Element, n: int) -> AllowanceCharge:
    where = f"{n}番目の値引・追加料金（AllowanceCharge）"
    field = "allowance_charges"
    return AllowanceCharge(
        is_charge=xv.boolean(element, "cbc:ChargeIndicator", field=field, label=f"{where}の区分（ChargeIndicator）"),
        amount=xv.required_decimal(element, "cbc:Amount", field=field, label=f"{where}の金額"),
        tax_category=xv.required_text(element, "cac:TaxCategory/cbc:ID", field=field, label=f"{where}の税区分"),
        tax_percent=xv.decimal(element, "cac:TaxCategory/cbc:Percent", field=field, label=f"{where}の税率"),
        reason=xv.text(element, "cbc:AllowanceChargeReason") or xv.text(element, "cbc:AllowanceChargeReasonCode"),
    )


def _tax_total_element(root: etree._Element, currency: str) -> etree._Element:
    """The ``TaxTotal`` in the document currency (a second one may give the tax in another currency)."""
    totals = xv.elements(root, "cac:TaxTotal")
    ours = [t for t in totals if xv.first(t, "cbc:TaxAmount") is not None and _in_currency(t, currency)]
    with_breakdown = [t for t in ours if xv.first(t, "cac:TaxSubtotal") is not None]
    chosen = with_breakdown or ours
    if not chosen:
        raise InvoiceRejected("tax_total", f"{currency}建ての消費税額合計（TaxTotal/TaxAmount）がありません。")
    return chosen[0]


def _in_currency(tax_total: etree._Element, currency: str) -> bool:
    amount = xv.first(tax_total, "cbc:TaxAmount")
    written = amount.get("currencyID") if amount is not None else None
    return written is None or written == currency


def _tax_subtotals(tax_total: etree._Element) -> tuple[TaxSubtotal, ...]:
    elements = xv.elements(tax_total, "cac:TaxSubtotal")
    return tuple(_tax_subtotal(element, n) for n, element in enumerate(elements, start=1))


def _tax_subtotal(element: etree._Element, n: int) -> TaxSubtotal:
    where = f"{n}番目の税率ごとの内訳（TaxSubtotal）"
    field = "tax_subtotals"
    return TaxSubtotal(
        taxable_amount=xv.required_decimal(element, "cbc:TaxableAmount", field=field, label=f"{where}の課税対象額"),
        tax_amount=xv.required_decimal(element, "cbc:TaxAmount", field=field, label=f"{where}の消費税額"),
        tax_category=xv.required_text(element, "cac:TaxCategory/cbc:ID", field=field, label=f"{where}の税区分"),
        tax_percent=xv.decimal(element, "cac:TaxCategory/cbc:Percent", field=field, label=f"{where}の税率"),
    )


_TOTALS = {
    # field of MonetaryTotals: (UBL element, Japanese label, mandatory)
    "line_extension_amount": ("LineExtensionAmount", "明細金額の合計", True),
    "tax_exclusive_amount": ("TaxExclusiveAmount", "税抜合計額", True),
    "tax_inclusive_amount": ("TaxInclusiveAmount", "税込合計額", True),
    "payable_amount": ("PayableAmount", "請求額", True),
    "allowance_total_amount": ("AllowanceTotalAmount", "値引の合計", False),
    "charge_total_amount": ("ChargeTotalAmount", "追加料金の合計", False),
    "prepaid_amount": ("PrepaidAmount", "支払済額", False),
    "payable_rounding_amount": ("PayableRoundingAmount", "端数調整額", False),
}


def _totals(root: etree._Element) -> MonetaryTotals:
    element = xv.first(root, "cac:LegalMonetaryTotal")
    if element is None:
        raise InvoiceRejected("payable_amount", "合計金額（LegalMonetaryTotal）がありません。")
    values: dict[str, Any] = {}
    for field, (tag, label, mandatory) in _TOTALS.items():
        read = xv.required_decimal if mandatory else xv.decimal
        values[field] = read(element, f"cbc:{tag}", field=field, label=f"{label}（{tag}）")
    return MonetaryTotals(**values)


def _payee_account(root: etree._Element) -> PayeeAccount | None:
    """The first credit-transfer account written (振込先); None when the invoice gives none."""
    for account in xv.elements(root, "cac:PaymentMeans/cac:PayeeFinancialAccount"):
        account_id = xv.text(account, "cbc:ID")
        if account_id is None:
            continue
        branch_id = xv.text(account, "cac:FinancialInstitutionBranch/cbc:ID")
        parts = split_account(account_id, branch_id)
        return PayeeAccount(*parts, holder_name=xv.text(account, "cbc:Name"))
    return None
