"""The errors of the tabular reader: a file we refuse to read, and a column mapping we refuse to use.

``FileRejected`` is an ``InvoiceRejected`` (itself a ``ValidationFailed``), so the import service's
one ``except InvoiceRejected`` and ``cityhall.core.http`` handle a CSV or Excel file refused as a
whole (too big, unknown encoding, not an xlsx, a mapped column missing from the header, merged
cells) exactly like an unreadable XML file. Problems of single rows are never raised: they are
``Reason``s in the ``TabularResult``.

``MappingInvalid`` is raised when a ``ColumnMapping`` is built or loaded from a dict that cannot
be used; ``field`` names the mapping key at fault.
"""

from __future__ import annotations

from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.core.errors import ValidationFailed

__all__ = ["FileRejected", "MappingInvalid"]


class FileRejected(InvoiceRejected):
    """The CSV or Excel file cannot be read at all; ``field`` and ``message`` say why."""


class MappingInvalid(ValidationFailed):
    """The column mapping (列の設定) is incomplete or contradictory; ``field`` names the key."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
