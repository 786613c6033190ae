"""Writing a 総合振込 file (bank transfer file) record by record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
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
    trailer_text,
)

_CHUNK = 2000  # records joined per write() call


@dataclass(frozen=True)
class WriteSummary:
    """What was written: data-record count, total amount (円) and bytes."""

    count: int
    total: int
    size: int


def _encode(text: str) -> bytes:
    data = text.encode(ENCODING)
    if len(data) != RECORD_LENGTH:  # every allowed character is one byte; this guards the layout itself
        raise AssertionError(f"record of {len(data)} bytes")
    return data


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
    head = _encode(header_text(header)) + sep
    out.write(head)
    size = len(head)
    count = total = 0
    chunk: list[bytes] = []
    for transfer in chain((first,), iterator):
        count += 1
        text, amount = data_text(transfer, count)
        total += amount
        chunk.append(_encode(text))
        if len(chunk) >= _CHUNK:
            size += _flush(out, chunk, sep)
    chunk.append(_encode(trailer_text(count, total, count + 2)))
    chunk.append(_encode(END_TEXT))
    size += _flush(out, chunk, sep)
    return WriteSummary(count=count, total=total, size=size)


def _flush(out: BinaryIO, chunk: list[bytes], sep: bytes) -> int:
    data = sep.join(chunk) + sep
    out.write(data)
    chunk.clear()
    return len(data)
