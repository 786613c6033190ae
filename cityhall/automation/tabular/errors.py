"""The errors of the invoice tables: a file we refuse to read, and a column mapping we refuse to use.

``FileRejected`` is an ``InvoiceRejected`` (itself a ``ValidationFailed``), so the import service's
one ``except InvoiceRejected`` and ``cityhall.core.http`` handle a CSV or Excel invoice file refused
as a whole (too big, unknown encoding, not an xlsx, a mapped column missing from the header, merged
cells) exactly like an unreadable XML file. Core's readers (``cityhall.core.tables``) know nothing
of invoices and raise ``TableRejected``; the invoice readers run them inside ``rejected_as_file``,
which raises the same field and message again as ``FileRejected``. Problems of single rows are
never raised: they are ``Reason``s in the ``TabularResult``.

``MappingInvalid`` (a core ``LayoutInvalid``) is raised when a ``ColumnMapping`` is built or loaded
from a dict that cannot be used; ``field`` names the mapping key at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.core.tables import LayoutInvalid, TableRejected

__all__ = ["FileRejected", "MappingInvalid", "rejected_as_file"]


class FileRejected(InvoiceRejected):
    """The CSV or Excel file cannot be read at all; ``field`` and ``message`` say why."""


class MappingInvalid(LayoutInvalid):
    """The column mapping (列の設定) is incomplete or contradictory; ``field`` names the key."""


@contextmanager
def rejected_as_file() -> Iterator[None]:
    """Core's ``TableRejected`` raised inside, raised again as ``FileRejected`` with its field and message."""
    try:
        yield
    except TableRejected as exc:
        raise FileRejected(exc.field, exc.message) from None
