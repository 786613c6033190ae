"""Excel invoices as suppliers send them: real dates, numbers that lost their zeros, formulas, error values.

How a workbook becomes rows (merged cells, zip bombs, stray cells, files that are not xlsx) is
core's, tested with it (``cityhall/core/tests/tables``); here, what the invoice reader makes of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from cityhall.automation.einvoice.jp_pint import PayeeAccount
from cityhall.automation.einvoice.validation import validate
from cityhall.automation.tabular import ColumnMapping, FileRejected, read_xlsx

TODAY = dt.date(2026, 12, 1)
REGISTRATION = "T7000012050002"
HEADER = ["請求書番号", "請求日", "品名", "金額", "税率", "銀行", "支店", "口座番号"]
MAPPING = ColumnMapping(
    invoice_number="請求書番号",
    issue_date="請求日",
    description="品名",
    net_amount="金額",
    tax_rate="税率",
    bank_code="銀行",
    branch_code="支店",
    account_number="口座番号",
    group_by_invoice_number=True,
)
ROWS: list[list[object]] = [
    list(HEADER),
    [1001, dt.date(2026, 11, 30), "コピー用紙", 12345, 0.1, 5, 123, 12345],
    [1001, dt.date(2026, 11, 30), "食品", 1234, "軽減", None, None, None],
    [1002, "令和8年11月28日", "封筒", 1000.0, 10, 5, 123, 12345],
]


def _read(data: bytes, mapping: ColumnMapping = MAPPING):
    return read_xlsx(data, mapping, supplier_registration_number=REGISTRATION, supplier_name="㈱テスト")


def test_a_plain_workbook_gives_invoices_that_validate_clean(xlsx_file) -> None:
    result = _read(xlsx_file(ROWS))

    assert result.kind == "xlsx" and result.sheet == "請求" and result.encoding is None
    first, second = result
    assert (first.invoice_number, first.rows, second.invoice_number, second.rows) == ("1001", (2, 3), "1002", (4,))
    invoice = first.invoice
    assert invoice is not None and validate(invoice, today=TODAY, seen=set()) == []
    assert invoice.customization_id.endswith("#cityhall:tabular:xlsx")
    assert invoice.issue_date == dt.date(2026, 11, 30)
    assert invoice.payee_account == PayeeAccount("0005", "123", None, "0012345", None)
    assert [(s.tax_category, s.taxable_amount, s.tax_amount) for s in invoice.tax_subtotals] == [
        ("S", Decimal(12345), Decimal(1234)),
        ("AA", Decimal(1234), Decimal(98)),
    ]
    assert second.invoice is not None and second.invoice.issue_date == dt.date(2026, 11, 28)


def test_a_formula_cell_refuses_its_row_naming_the_cell(xlsx_file) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][3] = "=D2*0.1"

    first, second = _read(xlsx_file(rows))

    assert second.ok and not first.ok
    assert first.reasons[0].field == "net_amount"
    assert first.reasons[0].message.startswith("3行目「金額」（D3）: 数式が入っています（'=D2*0.1'）。")


def test_a_formula_in_a_column_not_read_is_ignored(xlsx_file) -> None:
    rows = [[*r, "合計" if i == 0 else f"=D{i + 1}*1.1"] for i, r in enumerate(ROWS)]

    assert all(o.ok for o in _read(xlsx_file(rows)))


def test_an_error_value_refuses_its_row(xlsx_file) -> None:
    rows = [list(r) for r in ROWS]
    rows[3][3] = "#N/A"

    outcome = _read(xlsx_file(rows)).outcomes[1]

    assert outcome.reasons[0].message == "4行目「金額」（D4）: エラー値（#N/A）が入っています。"


def test_the_sheet_the_mapping_names_is_read(xlsx_file) -> None:
    data = xlsx_file([["表紙"]], title="表紙", sheets={"明細": ROWS})

    assert len(_read(data, replace(MAPPING, sheet="明細"))) == 2
    with pytest.raises(FileRejected, match="シート「請求」がありません。このブックのシート: 「表紙」、「明細」。"):
        _read(data, replace(MAPPING, sheet="請求"))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (1, 46356, "4行目「請求日」（B4）: 数値です（'46356'）。Excelでは日付の書式にするか"),
        (3, 1000.5, "4行目「金額」（D4）: 円未満の端数があります（'1000.5'）。"),
        (0, 1002.5, "4行目「請求書番号」（A4）: 小数の数値です"),
        (6, "12-3", "4行目「支店」（G4）: 支店コードは3桁までの数字のはずです（'12-3'）。"),
    ],
)
def test_a_cell_of_the_wrong_kind_names_its_address(xlsx_file, column: int, value: object, message: str) -> None:
    rows = [list(r) for r in ROWS]
    rows[3][column] = value

    outcome = _read(xlsx_file(rows)).outcomes[1]

    assert outcome.reasons[0].message.startswith(message)


def test_a_note_outside_the_read_columns_is_skipped(xlsx_file) -> None:
    rows = [*ROWS, [None, None, None, None, None, None, None, None, "以下余白"]]

    assert [o.rows for o in _read(xlsx_file(rows))] == [(2, 3), (4,)]


def test_a_totals_row_under_the_data_refuses_a_grouped_file(xlsx_file) -> None:
    rows = [*ROWS, [None, None, "合計", "=SUM(D2:D4)"]]

    result = _read(xlsx_file(rows))

    assert not any(o.ok for o in result)
    assert result.outcomes[-1].rows == (5,)
    assert "5行目の請求書番号が読めないため" in result.outcomes[0].reasons[-1].message
