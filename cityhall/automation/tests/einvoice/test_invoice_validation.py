"""Whether a read invoice may become a payment order: each rule broken alone gives exactly its reason."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from cityhall.automation.einvoice.jp_pint import read_invoice
from cityhall.automation.einvoice.safe_xml import parse
from cityhall.automation.einvoice.validation import Reason, validate

TODAY = date(2024, 4, 1)
PLACEHOLDER = b"T1234567890123"  # the samples' registration number; its check digit should be 9
VALID = b"T7000012050002"
SAMPLE_NAMES = ["jp-pint-Example.xml", "jp-pint-Example3-SumInv1.xml", "jp-pint-Example6-CorrInv.xml"]


def reasons(data: bytes, **options) -> list[Reason]:
    return validate(read_invoice(parse(data)), today=TODAY, **options)


def fields(data: bytes, **options) -> list[str]:
    return [reason.field for reason in reasons(data, **options)]


def with_tax(s_tax: str, aa_tax: str) -> dict[str, str]:
    """Tax per rate changed and carried consistently into the totals, as a seller's system would."""
    total = int(s_tax) + int(aa_tax)
    return {"s_tax": s_tax, "aa_tax": aa_tax, "tax_total": str(total), "tax_inclusive": str(20868 + total)} | {
        "payable": str(20868 + total)
    }


# The published samples ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_are_refused_only_for_their_placeholder_registration_number(sample, name):
    [reason] = reasons(sample(name))
    assert reason == Reason(
        "registration_number",
        "登録番号「T1234567890123」のチェックデジットが正しくありません（先頭の数字は9になるはずです）。番号を確認してください。",
    )


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_with_a_valid_registration_number_validate_clean(sample, name):
    assert reasons(sample(name).replace(PLACEHOLDER, VALID)) == []


def test_minimum_sample_bills_lines_2_and_3_twice(sample):
    data = sample("jp-pint-Example1-minimum.xml").replace(PLACEHOLDER, VALID)
    assert reasons(data) == [
        Reason("lines", "明細番号 2、3 が重複しています（同じ明細を二重に請求していないか確認してください）。"),
        Reason(
            "line_extension_amount",
            "明細金額の合計（LineExtensionAmount）は明細の合計 261,980円 のはずが、255,990円 です。",
        ),
        Reason(
            "tax_subtotals",
            "標準税率10%の課税対象額（TaxableAmount）は明細と値引・追加料金から 255,000円 のはずが、252,500円 です。",
        ),
        Reason(
            "tax_subtotals",
            "非課税の課税対象額（TaxableAmount）は明細と値引・追加料金から 6,980円 のはずが、3,490円 です。",
        ),
    ]
    # Without the two repeated lines (everything after the third line) the rest adds up.
    end = b"</cac:InvoiceLine>"
    third = data.index(end, data.index(end, data.index(end) + 1) + 1) + len(end)
    assert reasons(data[:third] + b"\n</Invoice>") == []


def test_corrective_sample_repeats_the_number_of_the_invoice_it_corrects(sample):
    seen: set[tuple[str, str]] = set()
    assert reasons(sample("jp-pint-Example.xml").replace(PLACEHOLDER, VALID), seen=seen) == []
    assert reasons(sample("jp-pint-Example6-CorrInv.xml").replace(PLACEHOLDER, VALID), seen=seen) == [
        Reason("invoice_number", "同じ請求書（登録番号・請求書番号）が既に取り込まれています（T7000012050002・156）。")
    ]


# Our invoice, one rule broken at a time ----------------------------------------------------------------


def test_our_invoice_validates_clean(einvoice_xml):
    assert reasons(einvoice_xml()) == []


def test_changed_payable_amount(einvoice_xml):
    assert reasons(einvoice_xml(payable="22930")) == [
        Reason(
            "payable_amount",
            "請求額（PayableAmount）は税込合計額 − 支払済額 + 端数調整額 = 22,929円 のはずが、22,930円 です。",
        )
    ]


def test_tax_one_yen_short_at_one_rate(einvoice_xml):
    assert reasons(einvoice_xml(**with_tax("1963", "97"))) == [
        Reason(
            "tax_subtotals",
            "軽減税率8%の消費税額（TaxAmount）は"
            "課税対象額 1,234円 × 8% を1回端数処理した 98円または99円 のはずが、97円 です。",
        )
    ]


def test_tax_changed_in_the_subtotal_only_also_breaks_the_tax_total(einvoice_xml):
    assert fields(einvoice_xml(s_tax="1965")) == ["tax_subtotals", "tax_total"]
    assert fields(einvoice_xml(tax_total="2062")) == ["tax_inclusive_amount", "tax_total"]


@pytest.mark.parametrize(("s_tax", "aa_tax"), [("1963", "98"), ("1964", "98"), ("1963", "99"), ("1964", "99")])
def test_each_rounding_the_seller_may_choose_is_accepted(einvoice_xml, s_tax, aa_tax):
    assert reasons(einvoice_xml(**with_tax(s_tax, aa_tax))) == []


def test_tax_rounded_per_line_is_refused(einvoice_xml):
    # 12,345 × 10 % = 1,234.5 and 6,789 × 10 % = 678.9 rounded down each, then 500 and 1,000 at 10 %.
    assert reasons(einvoice_xml(**with_tax("1962", "98"))) == [
        Reason(
            "tax_subtotals",
            "標準税率10%の消費税額 1,962円 は明細ごとに端数処理した額です。"
            "適格請求書では税率ごとに1回だけ端数処理します"
            "（課税対象額 19,634円 × 10% を1回端数処理した 1,963円または1,964円）。",
        )
    ]


def test_decimals_in_a_yen_amount(einvoice_xml):
    assert reasons(einvoice_xml(payable="22929.0")) == [
        Reason(
            "payable_amount",
            "円の金額は小数なしの整数で書くはずが、小数があります: 請求額（PayableAmount） 22,929.0円。",
        )
    ]


def test_decimals_everywhere_are_one_reason(einvoice_xml):
    [reason] = reasons(einvoice_xml(food="1234.00", paper="12345.00", toner="6789.00", payable="22929.00"))
    assert reason.field == "lines"
    assert reason.message.endswith(
        "明細 1 の金額 1,234.00円、明細 2 の金額 12,345.00円、明細 3 の金額 6,789.00円 ほか1件。"
    )


def test_currency_other_than_yen(einvoice_xml):
    assert reasons(einvoice_xml(currency="USD", amount_currency="USD")) == [
        Reason("currency", "通貨は JPY（円）のはずが、USD です。円建ての請求書のみ取り込めます。")
    ]


def test_one_amount_in_another_currency(einvoice_xml):
    data = einvoice_xml().replace(b'"JPY">22929</cbc:PayableAmount>', b'"USD">22929</cbc:PayableAmount>')
    assert reasons(data) == [
        Reason("currency", "金額の通貨（currencyID）はすべて JPY のはずが、USD が混じっています。")
    ]


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("T1234567890123", "のチェックデジットが正しくありません（先頭の数字は9になるはずです）"),
        ("7000012050002", "は「T」と13桁の数字で入力してください"),
        ("T700001205000", "は「T」と13桁の数字で入力してください"),
    ],
)
def test_invalid_registration_number(einvoice_xml, number, expected):
    [reason] = reasons(einvoice_xml(registration_number=number))
    assert reason.field == "registration_number"
    assert expected in reason.message


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "381",
            "請求書の種類（InvoiceTypeCode）が 381 です。"
            "クレジットノート（返金・減額の通知）は支払の対象ではありません。",
        ),
        (
            "384",
            "請求書の種類（InvoiceTypeCode）が 384 です。"
            "修正請求書は元の請求書との照合が必要なため、自動では取り込めません。",
        ),
        ("480", "請求書の種類（InvoiceTypeCode）が 480 です。取り込めるのは商業請求書（380）のみです。"),
    ],
)
def test_documents_that_are_not_paid_as_invoices(einvoice_xml, code, expected):
    assert reasons(einvoice_xml(type_code=code)) == [Reason("invoice_type_code", expected)]


def test_other_specification(einvoice_xml):
    [reason] = reasons(einvoice_xml(customization_id="urn:cen.eu:en16931:2017"))
    assert reason.field == "customization_id"
    assert "urn:fdc:peppol:jp:billing:3.0 で始まるはず" in reason.message


def test_dates(einvoice_xml):
    assert reasons(einvoice_xml(issue_date="2024-04-02", due_date="2024-04-30")) == [
        Reason("issue_date", "発行日は今日（2024年4月1日）以前のはずが、2024年4月2日 です。")
    ]
    assert reasons(einvoice_xml(issue_date="2024-03-15", due_date="2024-03-14")) == [
        Reason("due_date", "支払期日は発行日（2024年3月15日）以後のはずが、2024年3月14日 です。")
    ]
    assert reasons(einvoice_xml(issue_date="2024-04-01", due_date="2024-04-01")) == []


def test_nothing_left_to_pay(einvoice_xml):
    invoice = read_invoice(parse(einvoice_xml()))
    paid = dataclasses.replace(
        invoice, totals=dataclasses.replace(invoice.totals, prepaid_amount=Decimal(22929), payable_amount=Decimal(0))
    )
    assert validate(paid, today=TODAY) == [
        Reason("payable_amount", "請求額が 0円 です。支払う額（1円以上）がありません。")
    ]


def test_allowance_total_must_match_the_allowances(einvoice_xml):
    assert fields(einvoice_xml(allowance="400", s_taxable="19734", s_tax="1973", tax_total="2071")) == [
        "allowance_total_amount",
        "tax_inclusive_amount",
    ]


def test_category_at_the_wrong_rate(einvoice_xml):
    data = einvoice_xml().replace(b"<cbc:ID>AA</cbc:ID><cbc:Percent>8<", b"<cbc:ID>AA</cbc:ID><cbc:Percent>10<")
    # The same rate on lines and subtotal, so only the category's rate is wrong (and its tax).
    assert [r.message for r in reasons(data) if "税区分" in r.message] == ["税区分 AA の税率は 8% のはずが、10% です。"]


def test_a_rate_without_its_subtotal(einvoice_xml):
    data = einvoice_xml()
    start = data.index(b'<cac:TaxSubtotal><cbc:TaxableAmount currencyID="JPY">1234<')
    end = data.index(b"</cac:TaxSubtotal>", start) + len(b"</cac:TaxSubtotal>")
    assert reasons(data[:start] + data[end:]) == [
        Reason("tax_subtotals", "軽減税率8%の内訳（TaxSubtotal）がありません。"),
        Reason(
            "tax_total", "消費税額合計（TaxTotal/TaxAmount）は税率ごとの消費税額の合計 1,963円 のはずが、2,061円 です。"
        ),
    ]


# Duplicates in a batch ---------------------------------------------------------------------------------


def test_same_invoice_twice_in_a_batch(einvoice_xml):
    seen: set[tuple[str, str]] = set()
    assert reasons(einvoice_xml(), seen=seen) == []
    assert seen == {("T7000012050002", "INV-2024-0042")}
    again = einvoice_xml(registration_number="t7000012050002")  # written differently, same number
    assert reasons(again, seen=seen) == [
        Reason(
            "invoice_number",
            "同じ請求書（登録番号・請求書番号）が既に取り込まれています（T7000012050002・INV-2024-0042）。",
        )
    ]
    assert reasons(einvoice_xml(invoice_number="INV-2024-0043"), seen=seen) == []


def test_a_refused_invoice_does_not_block_its_corrected_copy(einvoice_xml):
    seen: set[tuple[str, str]] = set()
    assert fields(einvoice_xml(payable="22930"), seen=seen) == ["payable_amount"]
    assert seen == set()
    assert reasons(einvoice_xml(), seen=seen) == []
