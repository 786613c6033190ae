"""Excel workbooks (.xlsx) as other systems and suppliers export them (Excelファイルの読み取り), into a ``Table``.

This reader is our own, on openpyxl (``load_workbook(read_only=True, data_only=False)``: rows are
streamed, and formulas come as formulas, not as the values Excel cached for them).
``xlsx_table(data, …)`` gives a sheet's rows; a file that cannot be read at all raises
``TableRejected``:

* empty or over 5 MB (checked first), over 50,000 data rows;
* not an xlsx, told before openpyxl sees the bytes: an ``.xls`` or a password-protected book (both
  OLE files), a CSV or other text, a PDF, a ZIP without ``xl/workbook.xml`` (``.ods``, ``.docx``);
  a ZIP of more than 1,000 parts or 200 MB once expanded (as its directory declares it: Python's
  ``zipfile`` never expands a part past its declared size) is refused as a possible zip bomb;
* the sheet asked for missing (the first worksheet is read when none is named);
* merged cells from the header row down (see below); a formula in the header row.

Formulas: a cell holding a formula (``data_type`` ``"f"``) is handed on as a ``Formula``, never
as its cached result, and a row reader refuses its row when it reads that cell, naming the cell's
address (``rows.read_rows``; automation's invoice rows): a cached result may be stale or absent,
and an amount must be the sender's figure, not our recalculation. Error values (``#N/A``) come as
``ErrorValue`` and refuse the row too. Cells no field reads are not looked at.

Merged cells: a merged block keeps its value in its first cell and leaves the others empty, so
rows would silently lose their invoice number, code or amount. openpyxl's read-only worksheet does not
expose merged cells: the ``<mergeCells>`` list comes after the rows in the sheet's XML and the
streaming reader never builds it. Loading the workbook again without ``read_only`` would give it,
but builds every cell in memory (hundreds of MB for a full 5 MB file). So we stream the sheet's
XML a second time through openpyxl's own XML parser (``defusedxml`` when installed) and keep only
the ``mergeCell`` references; any merged block reaching the header row or below, in any column,
refuses the file with the blocks listed. Merged titles above the header row are fine.

Values are handed on as openpyxl gives them: Excel dates (date-formatted cells) as dates, numbers
as int or float (the cell readers read a whole float such as 1001.0 as the whole number it is: an
invoice number, a bank code that lost its zeros). Row numbers are Excel's. The sheet's recorded
size is ignored (``reset_dimensions``): read-only mode trusts it and would cut rows a generator
forgot to count.
Only columns up to the header's last one (or the highest ``#n`` a layout names, ``width``) are
read, so a stray cell far to the right does not make every row 16,384 cells wide.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable

from openpyxl import load_workbook
from openpyxl.cell.cell import TYPE_ERROR, TYPE_FORMULA
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.functions import iterparse

from cityhall.core.tables.errors import TableRejected
from cityhall.core.tables.table import (
    MAX_ROWS,
    ErrorValue,
    Formula,
    SourceRow,
    Table,
    check_size,
    is_blank,
    too_many_rows,
)

__all__ = ["first_rows", "xlsx_table"]

_WHAT = "Excelファイル"
_MAX_PARTS = 1_000
_MAX_EXPANDED = 200_000_000
_MAX_HEADER_COLUMNS = 1_000
_MAX_MERGED_LISTED = 5
_MAX_SHEETS_LOOKED_AT = 10
_MERGE_CELL = "mergeCell"
_OLE = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
# What openpyxl and the XML and ZIP layers under it raise for a damaged workbook.
_BROKEN = (zipfile.BadZipFile, zlib.error, InvalidFileException, KeyError, ValueError, OSError, SyntaxError, EOFError)


def xlsx_table(
    data: bytes, *, header_row: int = 1, sheet: str | None = None, width: int = 0, what: str = _WHAT
) -> Table:
    """The rows of a workbook's sheet (its name in ``Table.sheet``); ``TableRejected`` when it cannot be read.

    ``header_row`` as for ``csv_reader.csv_table``; ``sheet`` is the sheet's name (the first
    worksheet when None); ``width`` is the number of columns read at least (the highest ``#n`` a
    layout names); ``what`` names the file in messages (「Excelファイル」).
    """
    check_size(data, what)
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _BROKEN:
        raise TableRejected("file", f"{what}として読めません（壊れているか、.xlsx 形式ではありません）。") from None
    try:
        found = _sheet(workbook, sheet)
        try:
            _refuse_merged(found, header_row)
            return _table(found, header_row, width)
        except _BROKEN:
            raise TableRejected("file", f"シート「{found.title}」が壊れていて読めません。") from None
    finally:
        workbook.close()


def first_rows(data: bytes, count: int, *, every_sheet: bool = False) -> list[list[str]]:
    """The cells of the first sheet's first ``count`` rows as text (a formula as its text), for a
    preview or to tell whose file it is; with ``every_sheet``, of the first ten sheets each.

    The workbook is checked as ``xlsx_table`` checks it first (``TableRejected`` for the same reasons).
    """
    check_size(data, _WHAT)
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _BROKEN:
        raise TableRejected("file", f"{_WHAT}として読めません（壊れているか、.xlsx 形式ではありません）。") from None
    rows: list[list[str]] = []
    try:
        for sheet in workbook.worksheets[: _MAX_SHEETS_LOOKED_AT if every_sheet else 1]:
            found = sheet.iter_rows(max_row=count, max_col=_MAX_HEADER_COLUMNS, values_only=True)
            for values in found:
                cells = ["" if value is None else str(value) for value in values]
                rows.append(cells[: _last_filled(cells)])
    except _BROKEN:
        raise TableRejected("file", f"{_WHAT}として読めません（壊れているか、.xlsx 形式ではありません）。") from None
    finally:
        workbook.close()
    return rows


def _check_zip(data: bytes) -> None:
    if data.startswith(_OLE):
        raise TableRejected(
            "file",
            "Excel 97-2003（.xls）形式か、パスワード付きのブックです。パスワードを外し、"
            "「Excel ブック（.xlsx）」で保存し直してください。",
        )
    if not data.startswith(_ZIP):
        if data.startswith(b"%PDF"):
            kind = "PDFファイルです"
        elif _looks_like_text(data[:4096]):
            kind = "テキスト（CSVなど）のファイルです。CSVのファイルとして取り込んでください"
        else:
            kind = "ZIP形式ではありません"
        raise TableRejected("file", f"Excel（.xlsx）のファイルではありません: {kind}。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableRejected("file", f"{_WHAT}として読めません（ZIPの構造が壊れています）。") from None
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise TableRejected(
            "file",
            "ZIPファイルですが、Excelのブック（xl/workbook.xml）が入っていません（.ods や .docx ではありませんか）。",
        )
    expanded = sum(part.file_size for part in parts)
    if len(parts) > _MAX_PARTS or expanded > _MAX_EXPANDED:
        raise TableRejected(
            "file", f"{_WHAT}の中身が大きすぎます（展開すると{expanded:,}バイト、{len(parts):,}個の部品）。"
        )


def _looks_like_text(head: bytes) -> bool:
    return all(byte >= 0x20 or byte in b"\r\n\t" for byte in head)


def _sheet(workbook: Workbook, name: str | None) -> ReadOnlyWorksheet:
    if name is None:
        sheets = workbook.worksheets
        if not sheets:
            raise TableRejected("sheet", f"{_WHAT}にワークシートがありません。")
        sheet = sheets[0]
    else:
        found = [s for s in workbook.worksheets if s.title == name]
        if not found:
            listed = "、".join(f"「{title}」" for title in workbook.sheetnames)
            raise TableRejected("sheet", f"シート「{name}」がありません。このブックのシート: {listed}。")
        sheet = found[0]
    if not isinstance(sheet, ReadOnlyWorksheet):  # pragma: no cover - read_only=True always gives these
        raise TableRejected("sheet", f"シート「{sheet.title}」を読めません。")
    return sheet


def _refuse_merged(sheet: ReadOnlyWorksheet, header_row: int) -> None:
    """``TableRejected`` when a merged block reaches the header row or below (see the module)."""
    first = max(header_row, 1)
    merged = [ref for ref in _merged_ranges(sheet) if range_boundaries(ref)[3] >= first]
    if merged:
        listed = "、".join(merged[:_MAX_MERGED_LISTED]) + (
            f" ほか{len(merged) - _MAX_MERGED_LISTED}か所" if len(merged) > _MAX_MERGED_LISTED else ""
        )
        raise TableRejected(
            "file",
            f"シート「{sheet.title}」の見出し行（{first}行目）から下に結合されたセルがあります（{listed}）。"
            "結合を解除し、各行に値を入れてから取り込んでください。",
        )


def _merged_ranges(sheet: ReadOnlyWorksheet) -> list[str]:
    """The ``ref`` of every ``<mergeCell>`` of the sheet's XML, streamed (read-only mode never parses them)."""
    found = []
    # ``_get_source`` is how openpyxl's own read-only worksheet opens its XML part in the workbook.
    with sheet._get_source() as source:
        for _event, element in iterparse(source):
            tag = element.tag
            if isinstance(tag, str) and tag.rpartition("}")[2] == _MERGE_CELL:
                found.append(str(element.get("ref", "")))
            element.clear()
    return [ref for ref in found if ref]


def _table(sheet: ReadOnlyWorksheet, header_row: int, width: int) -> Table:
    sheet.reset_dimensions()
    header: tuple[object, ...] | None = None
    if header_row:
        header = _header(sheet, header_row)
        width = max(width, _last_filled(header))
    rows = []
    data = sheet.iter_rows(min_row=header_row + 1, max_col=max(width, 1))
    for number, cells in enumerate(data, start=header_row + 1):
        values = tuple(_value(cell) for cell in cells)
        if all(is_blank(value) for value in values):
            continue
        rows.append(SourceRow(number, values))
        if len(rows) > MAX_ROWS:
            raise too_many_rows(_WHAT)
    if not rows:
        raise TableRejected("file", f"シート「{sheet.title}」にデータ行がありません。")
    return Table("xlsx", header, header_row, tuple(rows), sheet=sheet.title)


def _header(sheet: ReadOnlyWorksheet, header_row: int) -> tuple[object, ...]:
    found = list(sheet.iter_rows(min_row=header_row, max_row=header_row, max_col=_MAX_HEADER_COLUMNS))
    cells = found[0] if found else ()
    values = tuple(_value(cell) for cell in cells)
    formulas = [cell.coordinate for cell, value in zip(cells, values, strict=True) if isinstance(value, Formula)]
    if formulas:
        raise TableRejected(
            "header_row",
            f"見出し行（{header_row}行目）のセル {'・'.join(formulas)} に数式があります。"
            "見出しは文字で書いてください。",
        )
    if all(is_blank(value) for value in values):
        raise TableRejected("header_row", f"見出し行（{header_row}行目）が空です。")
    return values


def _last_filled(values: Iterable[object]) -> int:
    last = 0
    for index, value in enumerate(values, start=1):
        if not is_blank(value):
            last = index
    return last


def _value(cell: object) -> object:
    """A cell as ``_table`` represents it: formulas and errors marked, everything else its value."""
    data_type = getattr(cell, "data_type", None)
    value = getattr(cell, "value", None)
    if data_type == TYPE_FORMULA:
        return Formula(str(getattr(value, "text", value)))
    if data_type == TYPE_ERROR:
        return ErrorValue(str(value))
    return value
