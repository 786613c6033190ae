"""From rows to invoices: tax once per rate, net and gross amounts, date formats, accounts, grouping.

Every invoice read must pass ``validation.validate`` unchanged and give the import service order
lines that add up to what is payable (``drafts.lines_total``). How one cell is read (dates with
和暦, amounts as suppliers write them) is core's, tested with it (``cityhall/core/tests/tables``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from cityhall.automation.einvoice.jp_pint import Invoice, PayeeAccount
from cityhall.automation.einvoice.validation import validate
from cityhall.automation.services.drafts import lines_total
from cityhall.automation.tabular import ColumnMapping, FileRejected, TabularResult, read_csv

TODAY = dt.date(2026, 12, 1)
REGISTRATION = "T7000012050002"
NET = ColumnMapping(invoice_number="番号", issue_date="日付", net_amount="金額", tax_rate="税率")
GROSS = ColumnMapping(invoice_number="番号", issue_date="日付", gross_amount="金額", tax_rate="税率")


def _read(csv_file, mapping: ColumnMapping, header: list[str], rows: list[list[str]], **kwargs) -> TabularResult:
    kwargs.setdefault("supplier_registration_number", REGISTRATION)
    return read_csv(csv_file([header, *rows]), mapping, **kwargs)


def _clean(invoice: Invoice | None) -> Invoice:
    assert invoice is not None
    assert validate(invoice, today=TODAY, seen=set()) == []
    assert lines_total(invoice) == int(invoice.totals.payable_amount)
    return invoice


def _subtotals(invoice: Invoice) -> list[tuple[str, int, int]]:
    return [(s.tax_category, int(s.taxable_amount), int(s.tax_amount)) for s in invoice.tax_subtotals]


def test_grouped_lines_at_10_and_8_percent_validate_clean(csv_file) -> None:
    rows = [
        ["A", "2026-11-30", "1,001", "10"],
        ["A", "2026-11-30", "2,002", "軽減"],
        ["A", "2026-11-30", "-500", "10%"],
    ]

    invoice = _clean(
        _read(csv_file, replace(NET, group_by_invoice_number=True), ["番号", "日付", "金額", "税率"], rows).invoices[0]
    )

    assert _subtotals(invoice) == [("S", 501, 50), ("AA", 2002, 160)]  # 50.1 and 160.16 rounded down once
    assert invoice.customization_id.endswith("#cityhall:tabular:csv") and invoice.invoice_type_code == "380"
    assert [line.id for line in invoice.lines] == ["2", "3", "4"]


def test_net_and_gross_files_of_the_same_invoice_agree(csv_file) -> None:
    header = ["番号", "日付", "金額", "税率"]
    net = _clean(_read(csv_file, NET, header, [["A", "2026-11-30", "10000", "10"]]).invoices[0])
    gross = _clean(_read(csv_file, GROSS, header, [["A", "2026-11-30", "11000", "10"]]).invoices[0])

    assert _subtotals(net) == _subtotals(gross) == [("S", 10000, 1000)]
    assert net.totals == gross.totals


def test_gross_lines_share_the_rate_s_tax_so_they_add_up_to_the_taxable_amount(csv_file) -> None:
    rows = [["A", "2026-11-30", amount, "10"] for amount in ("1100", "550", "333")]

    invoice = _clean(
        _read(csv_file, replace(GROSS, group_by_invoice_number=True), ["番号", "日付", "金額", "税率"], rows).invoices[
            0
        ]
    )

    assert _subtotals(invoice) == [("S", 1803, 180)]  # 1,983 × 10/110 = 180.27, rounded down once
    assert sum(line.line_extension_amount for line in invoice.lines) == 1803
    assert [int(line.line_extension_amount) for line in invoice.lines] == [1000, 500, 303]


@pytest.mark.parametrize("rate", ["10", "8"])
def test_every_gross_amount_gives_a_tax_validate_accepts(csv_file, rate: str) -> None:
    rows = [[f"G{amount}", "2026-11-30", str(amount), rate] for amount in range(1, 2501)]

    result = _read(csv_file, GROSS, ["番号", "日付", "金額", "税率"], rows)

    refused = [(i.invoice_number, r.message) for i in result.invoices for r in validate(i, today=TODAY)]
    assert refused == []
    ten = next(i for i in result.invoices if i.invoice_number == "G10")
    # 10 × 10/110 = 0.909 rounds down to 0, but no rounding of 10 × 10 % gives 0: the tax is 1.
    assert _subtotals(ten) == ([("S", 9, 1)] if rate == "10" else [("AA", 10, 0)])


def test_tax_amounts_written_in_the_file_are_summed_and_judged_by_validate(csv_file) -> None:
    mapping = replace(NET, tax_amount="消費税", group_by_invoice_number=True)
    rows = [["A", "2026-11-30", "105", "10", "10"], ["A", "2026-11-30", "105", "10", "10"]]

    invoice = _read(csv_file, mapping, ["番号", "日付", "金額", "税率", "消費税"], rows).invoices[0]

    assert _subtotals(invoice) == [("S", 210, 20)]
    assert ["明細ごとに端数処理した額" in r.message for r in validate(invoice, today=TODAY)] == [True]


def test_a_missing_tax_amount_is_refused_when_the_file_has_the_column(csv_file) -> None:
    mapping = replace(NET, tax_amount="消費税")
    without_rates = replace(mapping, tax_rate=None)
    header = ["番号", "日付", "金額", "税率", "消費税"]
    rows = [["A", "2026-11-30", "100", "10", ""], ["B", "2026-11-30", "100", "非課税", "5"]]

    a, b = _read(csv_file, mapping, header, rows)
    (c,) = _read(csv_file, without_rates, header, rows[:1])

    assert a.reasons[0].message == c.reasons[0].message == "2行目「消費税」: 空欄です。消費税額が必要です。"
    assert b.reasons[0].message == "3行目「消費税」: 非課税の行に消費税額（'5'）があります。"


def test_compact_dates_are_read_only_when_the_mapping_says_so(csv_file) -> None:
    mapping = replace(NET, date_formats=("compact",))

    assert _read(csv_file, mapping, ["番号", "日付", "金額", "税率"], [["A", "20261130", "1", ""]]).invoices[
        0
    ].issue_date == dt.date(2026, 11, 30)


ACCOUNT = PayeeAccount("0005", "123", "1", "0012345", None)


def test_a_payee_account_in_one_column(csv_file) -> None:
    mapping = replace(NET, payee_account="口座")
    rows = [["A", "2026-11-30", "100", "", "０００５：１２３：１：１２３４５"], ["B", "2026-11-30", "100", "", "5-123"]]

    result = _read(csv_file, mapping, ["番号", "日付", "金額", "税率", "口座"], rows)

    assert result.outcomes[0].invoice is not None and result.outcomes[0].invoice.payee_account == ACCOUNT
    assert result.outcomes[1].reasons[0].message.startswith("3行目「口座」: 口座番号「5-123」は7桁までの数字か")


def test_a_payee_account_in_four_columns_gets_its_lost_zeros_back(csv_file) -> None:
    mapping = replace(NET, bank_code="銀行", branch_code="支店", account_type="種目", account_number="口座番号")
    header = ["番号", "日付", "金額", "税率", "銀行", "支店", "種目", "口座番号"]
    rows = [
        ["A", "2026-11-30", "100", "", "5", "123", "普通", "12345"],
        ["B", "2026-11-30", "100", "", "0005", "123", "", "12345"],
        ["C", "2026-11-30", "100", "", "5", "", "1", "12345"],
        ["D", "2026-11-30", "100", "", "", "", "", ""],
        ["E", "2026-11-30", "100", "", "5", "123", "定期", "12345"],
    ]

    a, b, c, d, e = _read(csv_file, mapping, header, rows)

    assert a.invoice is not None and a.invoice.payee_account == ACCOUNT
    assert b.invoice is not None and b.invoice.payee_account == replace(ACCOUNT, account_type=None)
    assert (
        c.reasons[0].message == "4行目「支店」: 空欄です（振込先口座の他の列は書かれています）。支店コードが必要です。"
    )
    assert d.invoice is not None and d.invoice.payee_account is None  # the creditor's default account
    assert e.reasons[0].message.startswith("6行目「種目」: 預金種目として読めません（'定期'）")


def test_the_registration_number_from_the_file_or_the_caller(csv_file) -> None:
    mapping = replace(NET, registration_number="登録番号")
    header = ["番号", "日付", "金額", "税率", "登録番号"]
    rows = [["A", "2026-11-30", "100", "", "7000012050002"], ["B", "2026-11-30", "100", "", "T1234567890123"]]

    a, b = _read(csv_file, mapping, header, rows)
    assert a.invoice is not None and a.invoice.registration_number == REGISTRATION
    assert (
        b.reasons[0].message
        == f"請求書 B の登録番号 T1234567890123 が、この仕入先の登録番号 {REGISTRATION} と異なります。"
    )

    alone = _read(csv_file, mapping, header, rows, supplier_registration_number=None)
    assert [o.ok for o in alone] == [True, True]  # the check digit of B is validate's to refuse
    with pytest.raises(FileRejected, match="仕入先の登録番号を指定してください"):
        _read(csv_file, NET, header[:4], [r[:4] for r in rows], supplier_registration_number=None)


def test_one_row_per_invoice_refuses_an_invoice_number_written_twice(csv_file) -> None:
    rows = [["A", "2026-11-30", "100", ""], ["B", "2026-11-30", "100", ""], ["A", "2026-11-30", "200", ""]]

    a1, b, a2 = _read(csv_file, NET, ["番号", "日付", "金額", "税率"], rows)

    assert b.ok and not a1.ok and not a2.ok
    assert a1.reasons[0].message.startswith("請求書番号 A が複数の行（2・4行目）にあります。")


def test_the_rows_of_one_invoice_must_agree_on_its_dates(csv_file) -> None:
    mapping = replace(NET, group_by_invoice_number=True, due_date="期日")
    rows = [["A", "2026-11-30", "100", "", "2026-12-31"], ["A", "", "100", "", "2027-01-31"], ["A", "", "1", "", ""]]

    (outcome,) = _read(csv_file, mapping, ["番号", "日付", "金額", "税率", "期日"], rows)

    assert [r.message for r in outcome.reasons] == [
        "請求書 A の「期日」が行によって異なります（2行目: 2026年12月31日、3行目: 2027年1月31日）。"
    ]


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("10", "S"),
        ("１０％", "S"),
        ("標準", "S"),
        ("0.1", "S"),
        ("8", "AA"),
        ("８％", "AA"),
        ("軽減税率", "AA"),
        ("非課税", "E"),
        ("", "AA"),
    ],
)
def test_tax_rates_as_suppliers_write_them(csv_file, written: str, category: str) -> None:
    mapping = replace(NET, default_tax_rate=8)

    invoice = _read(
        csv_file, mapping, ["番号", "日付", "金額", "税率"], [["A", "2026-11-30", "1000", written]]
    ).invoices[0]

    assert _clean(invoice).tax_subtotals[0].tax_category == category


@pytest.mark.parametrize("written", ["5%", "10.5", "※", "0.1%"])
def test_a_rate_that_is_not_ours_is_refused(csv_file, written: str) -> None:
    result = _read(csv_file, NET, ["番号", "日付", "金額", "税率"], [["A", "2026-11-30", "1000", written]])

    assert result.outcomes[0].reasons[0].message.startswith(f"2行目「税率」: 税率として読めません（'{written}'）")
