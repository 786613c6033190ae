"""CSV files as other systems export them: UTF-8 with or without BOM, Shift_JIS, broken rows, wrong files."""

from __future__ import annotations

import pytest

from cityhall.core.tables import MAX_BYTES, MAX_ROWS, TableRejected, csv_table

HEADER = ["請求書番号", "請求日", "支払期日", "品名", "金額", "税率", "振込先"]
ROWS = [
    HEADER,
    ["INV-001", "２０２６／１１／３０", "2026/12/25", "コピー用紙", "１２，３４５", "10%", "0005:123:1:12345"],
    ["INV-001", "2026/11/30", "", "食品", "1,234", "８％", ""],
    ["INV-001", "2026/11/30", "", "トナー", "6789円", "10", ""],
    ["INV-002", "2026/11/28", "", "封筒", "1000", "", "0005:123:1:12345"],
]


def test_a_shift_jis_file_with_broken_rows_keeps_the_others(csv_file) -> None:
    good = csv_file(ROWS[:4], "cp932")
    shifted = "INV-002,2026/11/28,,封筒,1,000,10%,\r\n".encode("cp932")  # an amount with an unquoted comma
    unclosed = 'INV-003,2026/11/28,,"ノート,500,10%,\r\n'.encode("cp932")  # a quote never closed
    after = "INV-004,2026/11/28,,鉛筆,300,10%,\r\n".encode("cp932")

    table = csv_table(good + shifted + unclosed + after)

    assert table.encoding == "cp932" and table.header == tuple(HEADER)
    rows = {row.number: row for row in table.rows}
    assert list(rows) == [2, 3, 4, 5, 6, 7]
    assert [rows[n].problem for n in (2, 3, 4, 7)] == [None] * 4 and rows[7].cells[3] == "鉛筆"
    assert (rows[5].problem or "").startswith("列の数が見出し行と違います（7列のはずが8列です）")
    assert rows[6].cells[0] == "INV-003"  # whose row it is, read leniently
    assert '列に分けられません（引用符（"）が閉じられないままファイルが終わっています）' in (rows[6].problem or "")


def test_a_quoted_cell_may_hold_a_line_break(csv_file) -> None:
    data = csv_file(ROWS[:2]) + 'INV-002,2026/11/28,,"封筒\r\n（長形3号）",100,10%,\r\n'.encode()

    table = csv_table(data)

    assert table.rows[1].number == 3 and table.rows[1].cells[3] == "封筒\r\n（長形3号）"


def test_mixed_encodings_are_refused_naming_the_byte(csv_file) -> None:
    utf8 = csv_file(ROWS[:3])
    sjis = csv_file([ROWS[3]], "cp932")
    offset = len(utf8) + sjis.index(b"\x83")  # the first byte of トナー in Shift_JIS

    with pytest.raises(TableRejected) as caught:
        csv_table(utf8 + sjis)

    assert caught.value.field == "encoding"
    assert caught.value.message.startswith("文字コードが混在しています: 1行目はUTF-8ですが、")
    assert f"{offset + 1:,}バイト目（4行目、0x83）" in caught.value.message


def test_a_bom_followed_by_shift_jis_is_refused(csv_file) -> None:
    data = csv_file(ROWS[:3], "utf-8-sig") + csv_file([ROWS[3]], "cp932")

    with pytest.raises(TableRejected, match=r"UTF-8（BOM付き）のファイルですが、[0-9,]+バイト目（4行目、0x83）"):
        csv_table(data)


@pytest.mark.parametrize("stray", [b"\x81,", b"\xff"])  # a lead byte without its pair; a byte Shift_JIS lacks
def test_bytes_neither_utf8_nor_shift_jis_are_refused_with_both_offsets(csv_file, stray: bytes) -> None:
    data = csv_file(ROWS[:2], "cp932") + b"INV-9," + stray + b"\r\n"

    with pytest.raises(
        TableRejected, match=r"文字コードを判別できません: UTF-8としては[0-9,]+バイト目.*cp932）としては"
    ):
        csv_table(data)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04rest", "Excel（.xlsx）またはZIP"),
        (b"\xd0\xcf\x11\xe0rest", ".xls"),
        ("請求書番号,請求日".encode("utf-16"), "UTF-16"),
        (b"a,b\r\n\x00\x00", "NULバイト"),
        (b"", "空です"),
        (b"a" * (MAX_BYTES + 1), "大きすぎます"),
    ],
)
def test_files_that_are_not_csv_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(TableRejected, match=words):
        csv_table(data)


def test_more_rows_than_the_limit_refuse_the_file() -> None:
    data = ("請求書番号,請求日,支払期日,品名,金額,税率,振込先\r\n" + "A,2026/1/5,,x,1,,\r\n" * (MAX_ROWS + 1)).encode()

    with pytest.raises(TableRejected, match="50,000行を超えています"):
        csv_table(data)


def test_blank_lines_are_skipped(csv_file) -> None:
    data = csv_file(ROWS[:2]) + b"\r\n,,,,,,\r\n" + csv_file(ROWS[4:])

    assert [row.number for row in csv_table(data).rows] == [2, 5]


def test_a_shift_jis_line_that_happens_to_be_valid_utf8_is_not_taken_for_a_mix(csv_file) -> None:
    rows = [*ROWS[:2], ["INV-003", "2026/11/30", "", "莉子", "100", "10%", ""]]
    data = csv_file(rows, "cp932")
    assert "莉子".encode("cp932").decode("utf-8") == "从q"  # the trap

    table = csv_table(data)

    assert table.encoding == "cp932" and table.rows[1].cells[3] == "莉子"
