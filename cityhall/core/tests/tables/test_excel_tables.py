"""Excel workbooks as other systems export them: merged cells, formulas, stray cells, files that are not xlsx."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from cityhall.core.tables import ErrorValue, Formula, TableRejected, excel_reader
from cityhall.core.tables.excel_reader import xlsx_table

HEADER = ["請求書番号", "請求日", "品名", "金額", "税率", "銀行", "支店", "口座番号"]
ROWS: list[list[object]] = [
    list(HEADER),
    [1001, dt.date(2026, 11, 30), "コピー用紙", 12345, 0.1, 5, 123, 12345],
    [1001, dt.date(2026, 11, 30), "食品", 1234, "軽減", None, None, None],
    [1002, "令和8年11月28日", "封筒", 1000.0, 10, 5, 123, 12345],
]


def test_formulas_and_error_values_are_marked_never_read_as_values(xlsx_file) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][3], rows[3][3] = "=D2*0.1", "#N/A"

    table = xlsx_table(xlsx_file(rows))

    assert table.kind == "xlsx" and table.sheet == "請求" and table.encoding is None
    first, second, third = table.rows
    assert first.cells[:2] == (1001, dt.datetime(2026, 11, 30)) and first.problem is None
    assert second.cells[3] == Formula("=D2*0.1") and third.cells[3] == ErrorValue("#N/A")


def test_merged_cells_in_the_data_refuse_the_file(xlsx_file) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][0] = None

    with pytest.raises(TableRejected) as caught:
        xlsx_table(xlsx_file(rows, merge=["A2:A3", "H2:H3"]))

    assert caught.value.field == "file"
    assert "見出し行（1行目）から下に結合されたセルがあります（A2:A3、H2:H3）" in caught.value.message


def test_a_merged_title_above_the_header_is_fine(xlsx_file) -> None:
    rows = [["請求明細書"], [], *ROWS]

    table = xlsx_table(xlsx_file(rows, merge=["A1:H1"]), header_row=3)

    assert (table.header or ())[:8] == tuple(HEADER) and [row.number for row in table.rows] == [4, 5, 6]


def test_a_recorded_sheet_size_that_is_too_small_does_not_cut_rows(xlsx_file) -> None:
    data = xlsx_file(ROWS)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            content = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', content)
            target.writestr(part, content)

    assert [row.number for row in xlsx_table(out.getvalue()).rows] == [2, 3, 4]


def test_a_stray_cell_far_to_the_right_is_not_read(xlsx_file) -> None:
    rows = [list(r) for r in ROWS]
    rows[3] = [*rows[3], *([None] * 16_000), "x"]

    assert [len(row.cells) for row in xlsx_table(xlsx_file(rows)).rows] == [8, 8, 8]


def test_a_formula_in_the_header_row_refuses_the_file(xlsx_file) -> None:
    rows = [list(r) for r in ROWS]
    rows[0][2] = '="品"&"名"'

    with pytest.raises(TableRejected, match="見出し行（1行目）のセル C1 に数式があります"):
        xlsx_table(xlsx_file(rows))


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003（.xls）形式か、パスワード付きのブック"),
        ("請求書番号,請求日\r\n1001,2026/11/30\r\n".encode("cp932"), "テキスト（CSVなど）のファイルです"),
        (b"%PDF-1.7\n", "PDFファイルです"),
        (b"\x89PNG\r\n\x1a\n\x00", "ZIP形式ではありません"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "xl/workbook.xml）が入っていません"),
        (b"PK\x03\x04" + b"\x00" * 50, "ZIPの構造が壊れています"),
        (_zip({"xl/workbook.xml": "<broken"}), "Excelファイルとして読めません"),
        (b"", "空です"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(TableRejected, match=re.escape(words)):
        xlsx_table(data)


def test_a_workbook_that_expands_too_far_is_refused(xlsx_file, monkeypatch) -> None:
    monkeypatch.setattr(excel_reader, "_MAX_EXPANDED", 1_000)

    with pytest.raises(TableRejected, match="中身が大きすぎます（展開すると"):
        xlsx_table(xlsx_file(ROWS))
