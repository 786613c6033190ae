"""CSV invoices as suppliers send them: any encoding, broken rows and bad cells refusing their invoice.

How the bytes become rows (encodings, broken records, wrong files) is core's, tested with it
(``cityhall/core/tests/tables``); here, what the invoice reader makes of the rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.einvoice.validation import validate
from cityhall.automation.tabular import FileRejected, first_rows, read_csv

TODAY = dt.date(2026, 12, 1)
REGISTRATION = "T7000012050002"
HEADER = ["請求書番号", "請求日", "支払期日", "品名", "金額", "税率", "振込先"]
ROWS = [
    HEADER,
    ["INV-001", "２０２６／１１／３０", "2026/12/25", "コピー用紙", "１２，３４５", "10%", "0005:123:1:12345"],
    ["INV-001", "2026/11/30", "", "食品", "1,234", "８％", ""],
    ["INV-001", "2026/11/30", "", "トナー", "6789円", "10", ""],
    ["INV-002", "2026/11/28", "", "封筒", "1000", "", "0005:123:1:12345"],
]


def _read(data: bytes, mapping, **kwargs):
    return read_csv(data, mapping, supplier_registration_number=REGISTRATION, supplier_name="㈱テスト", **kwargs)


@pytest.mark.parametrize(("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932")])
def test_the_same_invoices_whatever_the_encoding(csv_file, mapping, encoding: str, detected: str) -> None:
    result = _read(csv_file(ROWS, encoding), mapping)

    assert result.encoding == detected and result.kind == "csv"
    assert [(o.invoice_number, o.rows) for o in result] == [("INV-001", (2, 3, 4)), ("INV-002", (5,))]
    first = result.outcomes[0].invoice
    assert first is not None
    assert [line.name for line in first.lines] == ["コピー用紙", "食品", "トナー"]
    assert [(s.tax_category, s.taxable_amount, s.tax_amount) for s in first.tax_subtotals] == [
        ("S", Decimal(19134), Decimal(1913)),  # 1,913.4 rounded down once for the rate
        ("AA", Decimal(1234), Decimal(98)),  # 98.72
    ]
    assert first.totals.payable_amount == Decimal(19134 + 1913 + 1234 + 98)
    assert first.seller_name == "㈱テスト" and first.registration_number == REGISTRATION
    assert validate(first, today=TODAY, seen=set()) == []


def test_a_quote_closed_on_a_later_line_with_the_wrong_columns_is_one_broken_row(csv_file, mapping) -> None:
    data = csv_file(ROWS[:2]) + 'INV-002,2026/11/28,,"封筒\r\n長形",100,\r\n'.encode() + csv_file(ROWS[4:])

    result = _read(data, mapping)

    assert [(o.invoice_number, o.rows, o.ok) for o in result] == [
        ("INV-001", (2,), True),
        ("INV-002", (3, 5), False),
        ('長形"', (4,), False),
    ]
    assert "3行目から4行目までが1つの行として読まれました" in result.outcomes[1].reasons[0].message
    assert result.outcomes[2].reasons[0].message.startswith("4行目: 列の数が見出し行と違います（7列のはずが3列です）")


def test_a_row_that_belongs_to_no_invoice_refuses_every_invoice_of_a_grouped_file(csv_file, mapping) -> None:
    rows = [*ROWS, ["", "2026/11/30", "", "値引", "-500", "10%", ""]]

    result = _read(csv_file(rows), mapping)

    assert [o.ok for o in result] == [False, False, False]
    stray = result.outcomes[2]
    assert stray.rows == (6,) and stray.invoice_number is None
    assert stray.reasons[0].message.startswith("6行目「請求書番号」: 空欄です。")
    assert "6行目の請求書番号が読めないため" in result.outcomes[0].reasons[-1].message


def test_one_bad_cell_refuses_its_whole_invoice_naming_the_row_and_column(csv_file, mapping) -> None:
    rows = [r[:] for r in ROWS]
    rows[3][4] = "1,2a0"

    result = _read(csv_file(rows), mapping)

    refused = result.outcomes[0]
    assert refused.invoice is None and refused.rows == (2, 3, 4)
    assert [(r.field, r.message) for r in refused.reasons] == [
        ("net_amount", "4行目「金額」: 数値ではありません（'1,2a0'）。")
    ]
    assert result.outcomes[1].ok


def test_a_title_above_the_header_row_is_skipped(csv_file, mapping) -> None:
    from dataclasses import replace

    rows = [["請求明細書", "", "", "", "", "", ""], ["株式会社テスト"], *ROWS]

    result = _read(csv_file(rows), replace(mapping, header_row=3))

    assert [o.rows for o in result] == [(4, 5, 6), (7,)] and all(o.ok for o in result)


def test_a_header_without_a_mapped_column_refuses_the_file(csv_file, mapping) -> None:
    rows = [["請求書番号", "日付", "支払期日", "品名", "金額", "税率", "振込先"], ROWS[1]]

    with pytest.raises(FileRejected) as caught:
        _read(csv_file(rows), mapping)

    assert caught.value.field == "issue_date"
    assert "「発行日」の列「請求日」が見出し行（1行目）にありません" in caught.value.message
    assert "「日付」" in caught.value.message


def test_a_file_core_refuses_is_an_unreadable_invoice_file(csv_file, mapping) -> None:
    data = csv_file(ROWS[:3]) + csv_file([ROWS[3]], "cp932")  # two encodings

    for read in (lambda: _read(data, mapping), lambda: first_rows(data, 20, excel=False)):
        with pytest.raises(InvoiceRejected) as caught:  # what the import service and the preview catch
            read()
        assert isinstance(caught.value, FileRejected) and caught.value.field == "encoding"
        assert caught.value.message.startswith("文字コードが混在しています: 1行目はUTF-8ですが、")
