"""What reading a supplier's CSV or Excel file gives: one outcome per invoice (読み取り結果).

Each ``TabularOutcome`` is either an ``Invoice`` (the JP PINT reader's dataclass, so
``validation.validate`` and the import service take it unchanged) with the rows it was read
from, or the ``Reason``s it could not be read, each naming the row and the column. A row that
belongs to no invoice (its invoice number cannot be read) is an outcome of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cityhall.automation.einvoice.jp_pint import Invoice
from cityhall.core.tables import Reason
from cityhall.core.tables.table import Kind

__all__ = ["TabularOutcome", "TabularResult"]


@dataclass(frozen=True)
class TabularOutcome:
    """One invoice of the file: read (``invoice``) or refused (``reasons``), and its rows (1-based)."""

    rows: tuple[int, ...]
    invoice_number: str | None
    invoice: Invoice | None
    reasons: tuple[Reason, ...] = ()

    def __post_init__(self) -> None:
        if (self.invoice is None) == (not self.reasons):
            raise ValueError("an outcome is either an invoice or its reasons")

    @property
    def ok(self) -> bool:
        """Whether the invoice could be read (``validate`` may still refuse it)."""
        return self.invoice is not None


@dataclass(frozen=True)
class TabularResult:
    """Every invoice of one file in the order of its first row, and how the file was read."""

    outcomes: tuple[TabularOutcome, ...]
    kind: Kind
    encoding: str | None = None
    """``utf-8-sig``, ``utf-8`` or ``cp932`` for a CSV file; None for Excel."""
    sheet: str | None = None
    """The Excel sheet read; None for CSV."""

    def __iter__(self) -> Iterator[TabularOutcome]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)

    @property
    def invoices(self) -> list[Invoice]:
        """The invoices that could be read."""
        return [o.invoice for o in self.outcomes if o.invoice is not None]

    @property
    def refused(self) -> list[TabularOutcome]:
        """The outcomes that could not be read, with their reasons."""
        return [o for o in self.outcomes if o.invoice is None]
