"""A switch-over file read into rows of values (移行ファイルの読み取り), before any database check.

``Layout`` is a kind's column mapping as the city keeps it (``SwitchoverMapping``): for a field,
the header text or ``#n`` of its column; a field the layout does not name is looked for under the
header names old systems usually give it (``Field.headers``), so a plain export needs no mapping.
``read_rows`` picks the reader by content (an xlsx is a ZIP; anything else is read as CSV),
refuses the file (``TableRejected``) when a required field has no column, and gives one ``Row``
per data row: each cell read by its field's reader, a reason per cell that cannot be read or
required cell left empty, naming row, column and what was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from cityhall.automation.switchover.base import Row, SwitchoverKind
from cityhall.automation.tabular._cells import CellProblem, shown
from cityhall.automation.tabular.errors import MappingInvalid
from cityhall.automation.tabular.mapping import ColumnRef, header_key
from cityhall.core.tables import ErrorValue, Formula, SourceRow, Table, TableRejected, csv_table, is_blank, xlsx_table

_ZIP = b"PK\x03\x04"
_MAX_HEADER_ROW = 1_000


@dataclass(frozen=True)
class Layout:
    """Where a kind's fields are in the city's files: columns by field, the header row, the sheet."""

    columns: dict[str, str] = field(default_factory=dict)
    header_row: int = 1
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"columns": dict(self.columns), "header_row": self.header_row, "sheet": self.sheet}

    @classmethod
    def from_dict(cls, kind: SwitchoverKind, data: Mapping[str, Any]) -> Layout:
        """A layout from stored or typed JSON; ``MappingInvalid`` naming what cannot be used."""
        unknown = set(data) - {"columns", "header_row", "sheet"}
        if unknown:
            raise MappingInvalid("mapping", f"知らない設定があります: {'、'.join(sorted(unknown))}。")
        columns = data.get("columns") or {}
        if not isinstance(columns, Mapping):
            raise MappingInvalid("columns", "列の設定は「項目: 列」の組で書いてください。")
        names = {f.name for f in kind.fields}
        kept: dict[str, str] = {}
        for name, ref in columns.items():
            if name not in names:
                raise MappingInvalid("columns", f"「{name}」は{kind.label}の項目ではありません。")
            if ref is None or (isinstance(ref, str) and not ref.strip()):
                continue
            if not isinstance(ref, str) or len(ref) > 100:
                raise MappingInvalid(
                    name, f"「{kind.field(name).label}」の列は見出しの文字か #3 のように書いてください。"
                )
            kept[name] = ref.strip()
        header_row = data.get("header_row", 1)
        if not isinstance(header_row, int) or isinstance(header_row, bool) or not 0 <= header_row <= _MAX_HEADER_ROW:
            raise MappingInvalid("header_row", f"見出し行は0から{_MAX_HEADER_ROW}までの行番号にしてください。")
        if header_row == 0 and any(ColumnRef.parse(r).number is None for r in kept.values()):
            raise MappingInvalid("header_row", "見出し行がない（0）ときは、列を #3 のように番号で指定してください。")
        sheet = data.get("sheet") or None
        if sheet is not None and (not isinstance(sheet, str) or len(sheet) > 31):
            raise MappingInvalid("sheet", "シート名は31文字までの文字で書いてください。")
        return cls(kept, header_row, sheet)


def read_table(data: bytes, layout: Layout, width: int = 0) -> Table:
    """The file's rows, as Excel when it is a ZIP and as CSV otherwise; ``TableRejected`` when unreadable."""
    if data.startswith(_ZIP):
        return xlsx_table(data, header_row=layout.header_row, sheet=layout.sheet, width=width)
    return csv_table(data, header_row=layout.header_row)


def read_rows(kind: SwitchoverKind, data: bytes, layout: Layout) -> list[Row]:
    """Every data row of the file with its values and the reasons of cells that cannot be read."""
    numbered = [ref.number for r in layout.columns.values() if (ref := ColumnRef.parse(r)).number is not None]
    table = read_table(data, layout, max(numbered, default=0))
    columns = _columns(kind, layout, table)
    return [_row(kind, columns, source, table) for source in table.rows]


def _columns(kind: SwitchoverKind, layout: Layout, table: Table) -> dict[str, tuple[int, str]]:
    """Each field's 0-based column and the label messages name it by; required fields must be found."""
    header = table.header
    width = len(header) if header is not None else len(table.rows[0].cells)
    names: dict[str, list[int]] = {}
    for index, cell in enumerate(header or ()):
        if isinstance(cell, str) and cell.strip():
            names.setdefault(header_key(cell), []).append(index)
    found: dict[str, tuple[int, str]] = {}
    for spec in kind.fields:
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


def _row(kind: SwitchoverKind, columns: dict[str, tuple[int, str]], source: SourceRow, table: Table) -> Row:
    row = Row(source.number, {})
    if source.problem is not None:
        row.refuse("row", source.problem)
        return row
    for spec in kind.fields:
        if spec.name not in columns:
            row.values[spec.name] = None
            continue
        index, label = columns[spec.name]
        where = f"「{label}」" + (f"（{get_column_letter(index + 1)}{source.number}）" if table.kind == "xlsx" else "")
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
