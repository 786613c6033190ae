"""CSV and Excel files built in memory for the table-reader tests (表形式のファイルの見本).

``csv_bytes(rows, encoding=…)`` writes rows with the ``csv`` module (CRLF, as Excel does) and
encodes them; ``xlsx_bytes(rows, …)`` builds a workbook with openpyxl, optionally with merged
cells or more sheets. The fixtures ``csv_file`` and ``xlsx_file`` (``plugin``) hand them to tests.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    """``rows`` as a CSV file in ``encoding``."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    merge: Sequence[str] = (),
    sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
    title: str = "請求",
) -> bytes:
    """``rows`` on a sheet ``title``, with the blocks ``merge`` merged and further ``sheets`` after it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for ref in merge:
        sheet.merge_cells(ref)
    for name, other in (sheets or {}).items():
        extra = book.create_sheet(name)
        for row in other:
            extra.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
