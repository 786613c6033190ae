"""Writing a 総合振込 file (bank transfer file), a chunk of records at a time.

A chunk whose transfers are all plainly right is checked and formatted at once (``plain_data_texts``);
any other goes through the field-by-field checks record by record, which name the field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, islice
from typing import BinaryIO

from cityhall.core.errors import ValidationFailed
from cityhall.finance.zengin._records import (
    ENCODING,
    END_TEXT,
    RECORD_LENGTH,
    SEPARATORS,
    Separator,
    Transfer,
    TransferHeader,
    data_text,
    header_text,
    plain_data_texts,
    trailer_text,
)

_CHUNK = 2000  # records encoded and written per write() call


@dataclass(frozen=True)
class WriteSummary:
    """What was written: data-record count, total amount (円) and bytes."""

    count: int
    total: int
    size: int


def write_zengin(
    out: BinaryIO, header: TransferHeader, transfers: Iterable[Transfer], *, separator: Separator = "crlf"
) -> WriteSummary:
    """Write header, one data record per transfer, trailer and end record to ``out``.

    ``separator`` is ``"crlf"`` (CR LF after every record) or ``"none"``
    (records back to back); CR-only and LF-only are never produced. Transfers
    are consumed and written in chunks, so the whole file is never held in
    memory. Every field is checked; the first bad one raises
    ``ValidationFailed`` naming the record and the field. The output written
    before an error is incomplete: write to a temporary file and keep it only
    when this returns.
    """
    if separator not in SEPARATORS:
        raise ValidationFailed(f"レコード区切り「{separator}」は使えません（crlf または none）。", field="separator")
    sep = SEPARATORS[separator]
    iterator = iter(transfers)
    first = next(iterator, None)
    if first is None:
        raise ValidationFailed("振込データが1件もありません。", field="transfers")
    size = _flush(out, [header_text(header)], sep)
    count = total = 0
    items = chain((first,), iterator)
    while chunk := list(islice(items, _CHUNK)):
        plain = plain_data_texts(chunk, sep)
        if plain is None:  # something to refuse, or a Decimal amount: the checks that name the field
            texts, amount = _checked(chunk, count)
            size += _flush(out, texts, sep)
        else:
            text, amount = plain
            size += _write(out, text, len(chunk), sep)
        count += len(chunk)
        total += amount
    size += _flush(out, [trailer_text(count, total, count + 2), END_TEXT], sep)
    return WriteSummary(count=count, total=total, size=size)


def _checked(chunk: list[Transfer], before: int) -> tuple[list[str], int]:
    """The chunk's records checked field by field (the first bad one raises) and their total; ``before`` is
    the number of data records written before the chunk."""
    texts: list[str] = []
    total = 0
    for index, transfer in enumerate(chunk, start=before + 1):
        text, amount = data_text(transfer, index)
        texts.append(text)
        total += amount
    return texts, total


def _write(out: BinaryIO, text: str, records: int, sep: str) -> int:
    """Write ``records`` formatted records (each followed by ``sep``) at once; returns the bytes written."""
    data = text.encode(ENCODING)
    if not len(data) == len(text) == records * (RECORD_LENGTH + len(sep)):
        raise AssertionError("a record that is not 120 bytes")
    out.write(data)
    return len(data)


def _flush(out: BinaryIO, chunk: list[str], sep: str) -> int:
    """Encode the records at once and write them, each followed by ``sep``; returns the bytes written.

    Every allowed character is one byte in cp932, so every record is 120 bytes: the lengths are checked
    all the same, as they guard the layout itself.
    """
    text = sep.join(chunk) + sep
    data = text.encode(ENCODING)
    if len(data) != len(text) or any(len(record) != RECORD_LENGTH for record in chunk):
        raise AssertionError("a record that is not 120 bytes")
    out.write(data)
    chunk.clear()
    return len(data)
