"""The task inventory as an Excel workbook (業務棚卸しの書き出し), formula-safe; read back by the import.

The columns are the import's fields (``services.inventory.FIELDS``) then 判定 and 理由, which the
import ignores, so an exported file can be edited and taken in again. openpyxl is loaded here only,
when a file is written.
"""

from __future__ import annotations

import io

from cityhall.core.exports import excel_cell
from cityhall.telework.models import Obstacle
from cityhall.telework.selectors.inventory import SectionInventory
from cityhall.telework.services.inventory import FIELDS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inventory_xlsx(inventory: SectionInventory) -> bytes:
    """One sheet 「業務棚卸し」: a row per task, obstacles as はい/いいえ, with the readiness and reasons."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "業務棚卸し"
    for column, name in enumerate([f.label for f in FIELDS] + ["判定", "理由"], start=1):
        excel_cell(sheet, 1, column, name)
    for number, row in enumerate(inventory.rows, start=2):
        task = row.task
        values: list[object] = [
            task.name,
            task.hours_per_year,
            task.systems,
            task.matter_kind.name if task.matter_kind else "",
            *("はい" if o.value in task.obstacles else "いいえ" for o in Obstacle),
            str(row.readiness.label),
            "／".join(row.removed + row.reasons),
        ]
        for column, value in enumerate(values, start=1):
            excel_cell(sheet, number, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
