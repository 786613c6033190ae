"""全銀 総合振込 files (bank transfer files): our own writer and reader.

No well-kept Python library writes or reads the 全銀協 fixed-length format, so
both are hand-written here from the layout in the domain brief: 120-byte
records in cp932 (Shift_JIS), a header (データ区分 1, 種別 21 総合振込), one data
record per payee (2), a trailer with count and total (8) and an end record (9);
numeric fields right-aligned and zero-padded, text fields left-aligned and
space-padded; records separated by CR LF or by nothing.

Positions (1-based) are those of the table in the domain brief; the golden
tests check each one. Text must already be in the 全銀 character set
(``cityhall.finance.banks.normalize_holder_name`` and
``cityhall.core.japanese.to_zengin_kana`` produce it).

Public API::

    write_zengin(binary_file, header, transfers, separator="crlf") -> WriteSummary
    read_zengin(binary_file, year=None) -> ParsedFile
    check_zengin(binary_file, year=None) -> CheckedFile  (the same checks, without the transfers)
"""

from cityhall.finance.zengin._records import MAX_AMOUNT, RECORD_LENGTH, Separator, Transfer, TransferHeader
from cityhall.finance.zengin.reader import CheckedFile, ParsedFile, check_zengin, read_zengin
from cityhall.finance.zengin.writer import WriteSummary, write_zengin

__all__ = [
    "MAX_AMOUNT",
    "RECORD_LENGTH",
    "CheckedFile",
    "ParsedFile",
    "Separator",
    "Transfer",
    "TransferHeader",
    "WriteSummary",
    "check_zengin",
    "read_zengin",
    "write_zengin",
]
