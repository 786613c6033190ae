"""The filtered trail as CSV and Excel (監査ログの書き出し), formula-safe through ``core.exports``."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook

from cityhall.auditroom.selectors import JAPAN, EntryRow
from cityhall.core.exports import SafeCsvWriter, excel_cell
from cityhall.core.japanese.wareki import format_date

HEADER = [
    "通番",
    "日時（日本時間）",
    "和暦",
    "職員",
    "操作",
    "操作コード",
    "対象の種類",
    "対象",
    "対象ID",
    "接続元",
    "IPアドレス",
]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _values(row: EntryRow) -> list[object]:
    local = row.at.astimezone(JAPAN)
    return [
        row.seq,
        local.strftime("%Y-%m-%d %H:%M:%S"),
        f"{format_date(local.date())} {local:%H:%M}",
        row.actor,
        row.action_label,
        row.action,
        row.object_type_label,
        row.object_name,
        row.object_id,
        row.location,
        row.source_ip,
    ]


def to_csv(rows: Iterable[EntryRow]) -> tuple[bytes, int]:
    """UTF-8 with BOM (Excel opens it in Japanese); returns the bytes and the number of rows."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(HEADER)
    count = 0
    for row in rows:
        writer.writerow(_values(row))
        count += 1
    return buffer.getvalue().encode("utf-8-sig"), count


def to_xlsx(rows: Iterable[EntryRow]) -> tuple[bytes, int]:
    """One sheet 「監査ログ」, text cells never formulas; returns the bytes and the number of rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "監査ログ"
    for column, name in enumerate(HEADER, start=1):
        excel_cell(sheet, 1, column, name)
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(_values(row), start=1):
            excel_cell(sheet, count + 1, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count
