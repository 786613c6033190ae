"""A file read into rows of values for a tuple of fields (ファイルの行の読み取り), before any database check.

Our own, the row reading every import of records shares (automation's switch-over kinds; the
coming inquiries' delinquent lists and bank answers): an app says which fields a row has
(``Field``: name, Japanese label, whether required, the header names exports usually give it, how
one cell is read, an example) and gets ``Row``s with the values and every reason at once.

``Layout`` is where the fields are in a city's files, as the app keeps it: for a field, the header
text or ``#n`` of its column (``columns.ColumnRef``), the header row and the Excel sheet; a field
the layout does not name is looked for under its label and usual headers (``Field.headers``), so
a plain export needs no layout. ``read_rows`` picks the reader by content (an xlsx is a ZIP;
anything else is read as CSV), refuses the file (``TableRejected``) when a required field has no
column, and gives one ``Row`` per data row: each cell read by its field's reader (``cells``), a
reason per cell that cannot be read or required cell left empty, naming row, column (and in Excel
the cell) and what was found. A formula or an error value is never read as a value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cityhall.core.tables.cells import CellProblem, shown
from cityhall.core.tables.columns import ColumnRef, header_key
from cityhall.core.tables.csv_reader import csv_table
from cityhall.core.tables.errors import LayoutInvalid, Reason, TableRejected
from cityhall.core.tables.table import ErrorValue, Formula, SourceRow, Table, is_blank

__all__ = ["Field", "Layout", "Row", "read_rows", "read_table"]

_ZIP = b"PK\x03\x04"
_MAX_HEADER_ROW = 1_000


@dataclass(frozen=True)
class Field:
    """One field of a row: its Japanese label, whether required, header names it is found under, its reader.

    ``read`` takes the cell as the file holds it and returns the value or None when empty, or raises
    ``cells.CellProblem`` with what is wrong. ``label`` is Japanese (an app may mark it with
    ``gettext_noop`` and translate it on its screens; the reasons keep it Japanese); ``example`` is
    what a cell of it looks like, for the screens.
    """

    name: str
    label: str
    read: Callable[[object], Any]
    required: bool = False
    headers: tuple[str, ...] = ()
    example: str = ""


@dataclass
class Row:
    """One data row: its number in the file, its values by field (None when empty), its reasons, its result."""

    number: int
    values: dict[str, Any]
    reasons: list[Reason] = field(default_factory=list)
    created: str = ""  # what the row became, for the report (「債権者 C-0001」)

    def refuse(self, field_name: str, message: str) -> None:
        """Put a reason on this row, naming it: 「12行目 口座名義カナ: …」."""
        self.reasons.append(Reason(field_name, f"{self.number}行目: {message}"))

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


@dataclass(frozen=True)
class Layout:
    """Where a file's fields are: columns by field (header text or ``#n``), the header row, the sheet."""

    columns: dict[str, str] = field(default_factory=dict)
    header_row: int = 1
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The layout as plain JSON data; ``from_dict`` reads it back."""
        return {"columns": dict(self.columns), "header_row": self.header_row, "sheet": self.sheet}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, fields: Sequence[Field], label: str) -> Layout:
        """A layout of ``fields`` from stored or typed JSON; ``LayoutInvalid`` naming the key that cannot be used.

        ``label`` names what the fields describe in messages (「債権者マスタ」).
        """
        unknown = set(data) - {"columns", "header_row", "sheet"}
        if unknown:
            raise LayoutInvalid("mapping", f"知らない設定があります: {'、'.join(sorted(unknown))}。")
        columns = data.get("columns") or {}
        if not isinstance(columns, Mapping):
            raise LayoutInvalid("columns", "列の設定は「項目: 列」の組で書いてください。")
        labels = {f.name: f.label for f in fields}
        kept: dict[str, str] = {}
        for name, ref in columns.items():
            if name not in labels:
                raise LayoutInvalid("columns", f"「{name}」は{label}の項目ではありません。")
            if ref is None or (isinstance(ref, str) and not ref.strip()):
                continue
            if not isinstance(ref, str) or len(ref) > 100:
                raise LayoutInvalid(name, f"「{labels[name]}」の列は見出しの文字か #3 のように書いてください。")
            kept[name] = ref.strip()
        header_row = data.get("header_row", 1)
        if not isinstance(header_row, int) or isinstance(header_row, bool) or not 0 <= header_row <= _MAX_HEADER_ROW:
            raise LayoutInvalid("header_row", f"見出し行は0から{_MAX_HEADER_ROW}までの行番号にしてください。")
        if header_row == 0 and any(ColumnRef.parse(r).number is None for r in kept.values()):
            raise LayoutInvalid("header_row", "見出し行がない（0）ときは、列を #3 のように番号で指定してください。")
        sheet = data.get("sheet") or None
        if sheet is not None and (not isinstance(sheet, str) or len(sheet) > 31):
            raise LayoutInvalid("sheet", "シート名は31文字までの文字で書いてください。")
        return cls(kept, header_row, sheet)


def read_table(data: bytes, layout: Layout, width: int = 0) -> Table:
    """The file's rows, as Excel when it is a ZIP and as CSV otherwise; ``TableRejected`` when unreadable."""
    if data.startswith(_ZIP):
        from cityhall.core.tables.excel_reader import xlsx_table  # openpyxl loads only for Excel files

        return xlsx_table(data, header_row=layout.header_row, sheet=layout.sheet, width=width)
    return csv_table(data, header_row=layout.header_row)


def read_rows(fields: Sequence[Field], data: bytes, layout: Layout) -> list[Row]:
    """Every data row of the file with its ``fields``' values and the reasons of cells that cannot be read."""
    numbered = [ref.number for r in layout.columns.values() if (ref := ColumnRef.parse(r)).number is not None]
    table = read_table(data, layout, max(numbered, default=0))
    columns = _columns(fields, layout, table)
    return [_row(fields, columns, source, table) for source in table.rows]


def _columns(fields: Sequence[Field], layout: Layout, table: Table) -> dict[str, tuple[int, str]]:
    """Each field's 0-based column and the label messages name it by; required fields must be found."""
    header = table.header
    width = len(header) if header is not None else len(table.rows[0].cells)
    names: dict[str, list[int]] = {}
    for index, cell in enumerate(header or ()):
        if isinstance(cell, str) and cell.strip():
            names.setdefault(header_key(cell), []).append(index)
    found: dict[str, tuple[int, str]] = {}
    for spec in fields:
        written = layout.columns.get(spec.name)
        if written is not None:
            ref = ColumnRef.parse(written)
            if ref.number is not None:
                if ref.number > width and table.kind == "csv":
                    raise TableRejected(
                        spec.name, f"「{spec.label}」の列 {ref} がありません（このファイルは{width}列です）。"
                    )
                found[spec.name] = (ref.number - 1, _label(header, ref.number - 1))
                continue
            candidates: tuple[str, ...] = (ref.name or "",)
        else:
            candidates = (spec.label, *spec.headers)
        hits = sorted({i for c in candidates for i in names.get(header_key(c), [])})
        if len(hits) == 1:
            found[spec.name] = (hits[0], _label(header, hits[0]))
        elif len(hits) > 1:
            listed = "・".join(f"{i + 1}列目" for i in hits)
            raise TableRejected(
                spec.name, f"「{spec.label}」の列が見出し行に複数あります（{listed}）。列の設定で一つを選んでください。"
            )
        elif spec.required or written is not None:
            raise _missing(spec.label, candidates, header, table.header_row)
    return found


def _label(header: tuple[object, ...] | None, index: int) -> str:
    if header is None or index >= len(header) or is_blank(header[index]):
        return f"{index + 1}列目"
    return str(header[index]).strip()


def _missing(label: str, candidates: tuple[str, ...], header: tuple[object, ...] | None, row: int) -> TableRejected:
    wanted = "・".join(f"「{c}」" for c in candidates if c)
    written = "、".join(f"「{str(c).strip()}」" for c in (header or ()) if not is_blank(c)) or "（空）"
    return TableRejected(
        "columns",
        f"「{label}」の列（見出し {wanted}）が見出し行（{row}行目）にありません。"
        f"見出し行にある列: {written}。列の設定で見出しか列番号を指定してください。",
    )


def _row(fields: Sequence[Field], columns: dict[str, tuple[int, str]], source: SourceRow, table: Table) -> Row:
    row = Row(source.number, {})
    if source.problem is not None:
        row.refuse("row", source.problem)
        return row
    for spec in fields:
        if spec.name not in columns:
            row.values[spec.name] = None
            continue
        index, label = columns[spec.name]
        where = f"「{label}」" + (f"（{_cell_name(index, source.number)}）" if table.kind == "xlsx" else "")
        value = source.cell(index)
        try:
            if isinstance(value, Formula):
                raise CellProblem(
                    f"数式が入っています（{shown(value.text)}）。値として貼り付けてから取り込んでください。"
                )
            if isinstance(value, ErrorValue):
                raise CellProblem(f"エラー値（{value.code}）が入っています。")
            row.values[spec.name] = spec.read(value)
        except CellProblem as problem:
            row.values[spec.name] = None
            row.refuse(spec.name, f"{where}: {problem.message}")
            continue
        if spec.required and row.values[spec.name] is None:
            row.refuse(spec.name, f"{where}: 空欄です。{spec.label}が必要です。")
    return row


def _cell_name(index: int, row: int) -> str:
    """「B12」: the Excel name of a cell (openpyxl is loaded already when an Excel file is read)."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{row}"
