"""The cell readers of the switch-over kinds (one cell → one value, or ``CellProblem``).

Most are core's (``cityhall.core.tables.cells``: codes, names, whole yen as ``int`` (``amount``
here, as the models store it), dates with 和暦, whole numbers, 年度 in 西暦 or 和暦, yes/no), so
the kinds find every reader in this one module; two need rules outside core: 預金種目 as the 全銀
code (the invoices' reader, on einvoice's bank-account rules) and a retention period as a file
plan writes it (「5年」「永年」「常用」, on documents' periods). ``digits(width, label)`` makes the
reader of a code of fixed width (a bank code Excel turned into 1).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import partial

from cityhall.automation.tabular._invoice_cells import account_type
from cityhall.core.tables import cells, is_blank
from cityhall.core.tables.cells import CellProblem, code, day, fiscal_year, flag, number, shown, text
from cityhall.core.tables.cells import yen as amount
from cityhall.documents.models import PERMANENT, RETENTION_YEARS

__all__ = [
    "CellProblem",
    "account_type",
    "amount",
    "code",
    "day",
    "digits",
    "fiscal_year",
    "flag",
    "number",
    "retention",
    "shown",
    "text",
]


def digits(width: int, label: str) -> partial[str | None]:
    """A reader of codes of at most ``width`` digits, zero-padded (a bank code Excel turned into 1)."""
    return partial(cells.digits, width=width, label=label)


IN_USE = "常用"
"""A retention that starts only when a ledger is no longer used (常用)."""


def retention(value: object) -> int | str | None:
    """A retention as the file plan writes it: years (「5」「5年」), 0 for 「永年」, or 「常用」; None when empty."""
    if is_blank(value):
        return None
    problem = CellProblem(
        f"保存期間として読めません（{shown(value)}）。1・3・5・10・30年、永年または常用で書いてください。"
    )
    if isinstance(value, bool | dt.date | dt.datetime) or (isinstance(value, float) and not value.is_integer()):
        raise problem
    written = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(int(value) if isinstance(value, float) else value)))
    if written in ("永年", "永久"):
        return PERMANENT
    if written == IN_USE:
        return IN_USE
    years = written.removesuffix("年")
    if not (years.isascii() and years.isdigit()) or int(years) == PERMANENT or int(years) not in RETENTION_YEARS:
        raise problem
    return int(years)
