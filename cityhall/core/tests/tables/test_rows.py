"""Rows of fields read from a file: columns found by header or layout, every reason named, layouts checked."""

from __future__ import annotations

import json

import pytest

from cityhall.core.tables import ColumnRef, Field, Layout, LayoutInvalid, TableRejected, cells, read_rows

FIELDS = (
    Field("code", "債権者コード", cells.code, True, ("取引先コード",)),
    Field("name", "名称", cells.text, True),
    Field("amount", "金額", cells.yen),
    Field("on", "日付", cells.day),
)


def test_a_column_number_is_written_with_a_hash() -> None:
    assert ColumnRef.parse("#3") == ColumnRef(None, 3)
    assert ColumnRef.parse("3") == ColumnRef("3", None)  # a header that reads 3
    assert str(ColumnRef.parse("#3")) == "3列目"


def test_fields_are_found_under_their_usual_headers_and_each_bad_cell_is_named(csv_file) -> None:
    rows = [["取引先コード", "名称 ", "金額", "備考"], ["C-1", "みらい商事", "1,200", "x"], ["C-2", "", "12a", ""]]

    first, second = read_rows(FIELDS, csv_file(rows, "cp932"), Layout())

    assert (first.number, first.values, first.reasons) == (
        2,
        {"code": "C-1", "name": "みらい商事", "amount": 1200, "on": None},
        [],
    )
    assert [(r.field, r.message) for r in second.reasons] == [
        ("name", "3行目: 「名称」: 空欄です。名称が必要です。"),
        ("amount", "3行目: 「金額」: 数値ではありません（'12a'）。"),
    ]
    (mapped, _) = read_rows(FIELDS, csv_file(rows), Layout({"on": "#4"}))  # a layout names a column
    assert mapped.reasons[0].message.startswith("2行目: 「備考」: 日付として読めません（'x'）。")


def test_an_excel_formula_is_never_read_and_the_cell_is_named(xlsx_file) -> None:
    rows = [["債権者コード", "名称", "金額"], ["C-1", "A", "=1+1"], [None, "B", 5]]

    first, second = read_rows(FIELDS, xlsx_file(rows), Layout())

    assert first.values["amount"] is None and [r.message for r in first.reasons] == [
        "2行目: 「金額」（C2）: 数式が入っています（'=1+1'）。値として貼り付けてから取り込んでください。"
    ]
    assert second.values["amount"] == 5
    assert [r.message for r in second.reasons] == ["3行目: 「債権者コード」（A3）: 空欄です。債権者コードが必要です。"]


def test_a_required_field_without_a_column_refuses_the_file(csv_file) -> None:
    with pytest.raises(TableRejected) as caught:
        read_rows(FIELDS, csv_file([["コード", "名称"], ["a", "b"]]), Layout())

    assert caught.value.field == "columns"
    assert caught.value.message.startswith(
        "「債権者コード」の列（見出し 「債権者コード」・「取引先コード」）が見出し行（1行目）にありません。"
        "見出し行にある列: 「コード」、「名称」。"
    )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"columns": {"kana": "カナ"}}, "columns", "「kana」は債権者マスタの項目ではありません"),
        ({"columns": {"name": 3}}, "name", "「名称」の列は見出しの文字か #3"),
        ({"columns": {"name": "名称"}, "header_row": 0}, "header_row", "番号で指定"),
        ({"header_row": True}, "header_row", "見出し行は0から1000まで"),
        ({"sheet": "x" * 32}, "sheet", "31文字まで"),
        ({"order": 1}, "mapping", "知らない設定があります: order"),
    ],
)
def test_a_layout_that_cannot_be_used_names_its_key(data: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(LayoutInvalid) as caught:
        Layout.from_dict(data, fields=FIELDS, label="債権者マスタ")

    assert caught.value.field == field and words in caught.value.message


def test_a_layout_survives_json_with_empty_columns_left_out() -> None:
    layout = Layout.from_dict(
        {"columns": {"name": " 名称 ", "amount": ""}, "header_row": 2, "sheet": "明細"}, fields=FIELDS, label="x"
    )

    assert layout == Layout({"name": "名称"}, 2, "明細")
    assert Layout.from_dict(json.loads(json.dumps(layout.to_dict())), fields=FIELDS, label="x") == layout
