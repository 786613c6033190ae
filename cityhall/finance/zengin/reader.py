"""Reading a 総合振込 file back: layout, separators, field checks, trailer count and total.

The usual file, right in every record, is checked on fast paths (CR and LF counted, the file decoded
at once, one pattern per data record) that decide exactly as the record-by-record checks; a file
they do not pass is gone through record by record, so the message names the first fault
(``tests/batches/test_zengin_fast_paths.py`` holds both to the same outcome).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import BinaryIO

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import to_japan_date
from cityhall.finance.zengin._records import (
    CHAR_CLASS,
    ENCODING,
    END_TEXT,
    RECORD_LENGTH,
    Separator,
    Transfer,
    TransferHeader,
    check_digits,
    data_text,
    header_text,
    record_label,
)

# A data record that passes every check of ``_transfer``: the fast path of the reader, field by field
# (fixed positions, so no field can borrow another's width); anything else goes through ``_transfer``,
# which names the fault.
_PLAIN_DATA = re.compile(
    "2[0-9]{4}" + CHAR_CLASS + "{15}[0-9]{3}" + CHAR_CLASS + "{15}0000[1249][0-9]{7}" + CHAR_CLASS + "{30}"
    "(?!0{10})[0-9]{10}[012]" + CHAR_CLASS + "{20}[78 ][Y ] {7}"
)
# The same pattern over the record's bytes, for a check that reads no field (``check_zengin``): each 全銀
# character is one byte in cp932 that is no part of any other character, so a record's bytes match this
# exactly when its text matches ``_PLAIN_DATA``, and the data records need not be decoded at all.
_PLAIN_DATA_BYTES = re.compile(_PLAIN_DATA.pattern.encode(ENCODING))


@dataclass(frozen=True)
class ParsedFile:
    """A 総合振込 file as read: header, transfers, the trailer's figures and the separator found."""

    header: TransferHeader
    transfers: list[Transfer]
    count: int
    total: int
    separator: Separator


@dataclass(frozen=True)
class CheckedFile:
    """A 総合振込 file as checked by ``check_zengin``: header, the trailer's figures and the separator found."""

    header: TransferHeader
    count: int
    total: int
    separator: Separator


def _error(message: str, record: int | None = None) -> ValidationFailed:
    return ValidationFailed(message, field="file", extra={"record": record} if record else {})


def _plain_crlf(data: bytes, lines: list[bytes], separators: int) -> bool:
    """Whether the file cut at its CR LFs is plainly right: no CR or LF but the separators', every
    record 120 bytes (checked at C speed; ``_split`` looks record by record only to name a fault)."""
    return data.count(b"\r") == separators == data.count(b"\n") and set(map(len, lines)) == {RECORD_LENGTH}


def _split(data: bytes) -> tuple[list[bytes], Separator]:
    """Cut the file into records after detecting its separator (CRLF or none)."""
    cr, lf = data.find(b"\r"), data.find(b"\n")
    first = min(i for i in (cr, lf, len(data)) if i >= 0)
    if first == len(data):
        if len(data) % RECORD_LENGTH:
            number = len(data) // RECORD_LENGTH + 1
            raise _error(
                f"ファイルの長さ {len(data)} バイトが120バイトの倍数ではありません"
                f"（{number}レコード目が {len(data) % RECORD_LENGTH} バイトしかありません）。",
                number,
            )
        return [data[i : i + RECORD_LENGTH] for i in range(0, len(data), RECORD_LENGTH)], "none"
    number = first // (RECORD_LENGTH + 2) + 1
    if data[first : first + 2] != b"\r\n":
        kind = "CRのみ" if data[first : first + 1] == b"\r" else "LFのみ"
        raise _error(
            f"{number}レコード目の改行コードが{kind}です。CRLFまたは改行なしのファイルだけを受け付けます。", number
        )
    lines = data.split(b"\r\n")
    separators = len(lines) - 1
    if lines[-1] == b"":
        lines.pop()
    if _plain_crlf(data, lines, separators):
        return lines, "crlf"
    for number, line in enumerate(lines, start=1):  # name the first record at fault
        if b"\r" in line or b"\n" in line:
            raise _error(f"{number}レコード目にCRLF以外の改行コードがあります。", number)
        if len(line) != RECORD_LENGTH:
            raise _error(
                f"{number}レコード目の長さが {len(line)} バイトです（120バイトでなければなりません）。", number
            )
    return lines, "crlf"


def _decode_all(records: list[bytes]) -> list[str]:
    """The records as text: decoded at once when every byte is a character of its own, else one by one.

    Decoded at once, a file of single-byte characters gives each record exactly what decoding it alone
    would give; anything else is decoded record by record, so the message names the first record at fault.
    """
    joined = b"".join(records)
    try:
        text = joined.decode(ENCODING)
    except UnicodeDecodeError:
        text = ""
    if len(text) != len(joined):
        return [_decode(raw, number) for number, raw in enumerate(records, start=1)]
    return [text[start : start + RECORD_LENGTH] for start in range(0, len(text), RECORD_LENGTH)]


def _decode(raw: bytes, number: int) -> str:
    try:
        text = raw.decode(ENCODING)
    except UnicodeDecodeError as error:
        raise _error(f"{number}レコード目の{error.start + 1}バイト目がShift_JISとして読めません。", number) from None
    if len(text) != RECORD_LENGTH:  # a two-byte character would shift every later field
        char = next(c for c in text if len(c.encode(ENCODING)) > 1)
        raise _error(f"{number}レコード目に全角文字「{char}」があります（1バイト文字だけが使えます）。", number)
    return text


def _filler(text: str, start: int, number: int, kind: str) -> None:
    if text[start - 1 :].strip(" "):
        raise _error(f"{record_label(number, kind)}の{start}〜120桁目はスペースでなければなりません。", number)


def _date(mmdd: str, year: int | None) -> dt.date:
    """振込指定日 from MMDD: in ``year``, or the date closest to today (Japan) when no year is given."""
    month, day = int(mmdd[:2]), int(mmdd[2:])
    if year is not None:
        return dt.date(year, month, day)
    today = to_japan_date(dt.datetime.now(tz=dt.UTC))
    candidates = []
    for y in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(dt.date(y, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(mmdd)
    return min(candidates, key=lambda d: abs((d - today).days))


def _header(text: str, year: int | None) -> TransferHeader:
    where = record_label(1, "ヘッダー")
    if text[0] != "1":
        raise _error(f"{where}のデータ区分が「{text[0]}」です（1でなければなりません）。", 1)
    if text[1:3] != "21":
        raise _error(f"{where}の種別コードが「{text[1:3]}」です（総合振込は21）。", 1)
    if text[3] != "0":
        raise _error(f"{where}のコード区分が「{text[3]}」です（0 SJIS でなければなりません）。", 1)
    mmdd = check_digits(text[54:58], 4, where, "振込指定日", field="transfer_date", record=1)
    try:
        transfer_date = _date(mmdd, year)
    except ValueError:
        raise _error(f"{where}の振込指定日「{mmdd}」は日付として正しくありません。", 1) from None
    _filler(text, 104, 1, "ヘッダー")
    header = TransferHeader(
        requester_code=text[4:14],
        requester_name=text[14:54].rstrip(" "),
        transfer_date=transfer_date,
        bank_code=text[58:62],
        bank_name=text[62:77].rstrip(" "),
        branch_code=text[77:80],
        branch_name=text[80:95].rstrip(" "),
        account_type=text[95],
        account_number=text[96:103],
    )
    header_text(header)  # the writer's checks: digits, character set, account type
    return header


def _fields(text: str) -> Transfer:
    """The transfer a data record holds, unchecked."""
    return Transfer(
        bank_code=text[1:5],
        bank_name=text[5:20].rstrip(" "),
        branch_code=text[20:23],
        branch_name=text[23:38].rstrip(" "),
        account_type=text[42],
        account_number=text[43:50],
        payee_name=text[50:80].rstrip(" "),
        amount=int(text[80:90]),
        new_code=text[90],
        customer_code=text[91:111].rstrip(" "),
        transfer_kind=text[111].strip(" "),
        edi=text[112] == "Y",
    )


def _transfer(text: str, index: int) -> Transfer:
    number = index + 1
    where = record_label(number, f"データ{index}件目")
    if text[38:42] != "0000":
        raise _error(f"{where}の39〜42桁目は「0000」でなければなりません（値: 「{text[38:42]}」）。", number)
    check_digits(text[80:90], 10, where, "振込金額", field="amount", record=number)
    edi = text[112]
    if edi not in ("Y", " "):
        raise _error(f"{where}の識別表示が「{edi}」です（Y またはスペース）。", number)
    _filler(text, 114, number, f"データ{index}件目")
    transfer = _fields(text)
    data_text(transfer, index)  # the writer's checks
    return transfer


def _data(texts: list[str], transfers: list[Transfer] | None) -> tuple[int, int]:
    """Check the data records after the header: how many there are and their total (円).

    The usual file, header, data records that all pass and then a record of another kind, is checked by
    one pattern per record at C speed; any other goes record by record, naming the first at fault.
    """
    body = texts[1:-2]
    if texts[-2][0] != "2" and all(map(_PLAIN_DATA.fullmatch, body)):
        if transfers is not None:
            transfers.extend(map(_fields, body))
        return len(body), sum([int(text[80:90]) for text in body])
    found = total = 0
    while found + 1 < len(texts) and texts[found + 1][0] == "2":
        transfer = _transfer(texts[found + 1], found + 1)
        if transfers is not None:
            transfers.append(transfer)
        total += transfer.amount
        found += 1
    return found, total


def _plain_bytes(records: list[bytes]) -> tuple[int, int] | None:
    """The count and total of the data records when ``_data`` would pass them on its fast path, checked on
    their bytes (``_PLAIN_DATA_BYTES``) without decoding them; else None (``_data`` then reads them)."""
    body = records[1:-2]
    if records[-2][:1] == b"2" or not all(map(_PLAIN_DATA_BYTES.fullmatch, body)):
        return None
    return len(body), sum([int(record[80:90]) for record in body])


def read_zengin(fileobj: BinaryIO, *, year: int | None = None) -> ParsedFile:
    """Parse a 総合振込 file and check it; raises ``ValidationFailed`` naming the record at fault.

    The separator is detected (CRLF or none; CR-only and LF-only are refused),
    every record must be 120 bytes, the records must come as header, data…,
    trailer, end, and the trailer's count and total must match the data
    records. The header holds only month and day: ``year`` completes the
    transfer date (default: the date closest to today). Text fields come back
    without their space padding. The file is read whole (a 100,000-transfer file
    is about 12 MB).
    """
    transfers: list[Transfer] = []
    checked = _read(fileobj, year, transfers)
    return ParsedFile(
        header=checked.header,
        transfers=transfers,
        count=checked.count,
        total=checked.total,
        separator=checked.separator,
    )


def check_zengin(fileobj: BinaryIO, *, year: int | None = None) -> CheckedFile:
    """Every check of ``read_zengin``, keeping only the header and the trailer's figures (a read-back after
    writing: building 100,000 ``Transfer`` objects would cost more than all the checks)."""
    return _read(fileobj, year, None)


def _read(fileobj: BinaryIO, year: int | None, transfers: list[Transfer] | None) -> CheckedFile:
    """Read and check a file, appending its transfers to ``transfers`` unless it is None."""
    records, separator = _split(fileobj.read())
    if len(records) < 4:
        raise _error(f"レコードが{len(records)}件しかありません（ヘッダー・データ・トレーラー・エンドが必要です）。")
    plain = _plain_bytes(records) if transfers is None else None
    if plain is None:
        texts = _decode_all(records)
        header = _header(texts[0], year)
        found, actual = _data(texts, transfers)
    else:  # the data records checked as bytes: only the header, trailer and end record are read as text
        found, actual = plain
        head = _decode(records[0], 1)  # decoded in the order _decode_all would, to name the same record
        ends = [_decode(raw, number) for number, raw in ((found + 2, records[-2]), (found + 3, records[-1]))]
        texts = [head, *[""] * found, *ends]  # a data record's text is never read again
        header = _header(head, year)
    number = found + 2
    if not found:
        raise _error("データ・レコード（データ区分2）が1件もありません。", number)
    if number > len(texts) or texts[number - 1][0] != "8":
        kind = texts[number - 1][0] if number <= len(texts) else "なし"
        raise _error(
            f"{number}レコード目はトレーラー（データ区分8）でなければなりません（データ区分: {kind}）。", number
        )
    trailer = texts[number - 1]
    where = record_label(number, "トレーラー")
    count = int(check_digits(trailer[1:7], 6, where, "合計件数", field="count", record=number))
    total = int(check_digits(trailer[7:19], 12, where, "合計金額", field="total", record=number))
    _filler(trailer, 20, number, "トレーラー")
    if count != found:
        raise _error(f"{where}の合計件数 {count:,}件がデータ・レコードの件数 {found:,}件と一致しません。", number)
    if total != actual:
        raise _error(f"{where}の合計金額 {total:,}円がデータ・レコードの合計 {actual:,}円と一致しません。", number)
    number += 1
    if number > len(texts) or texts[number - 1] != END_TEXT:
        raise _error(f"{number}レコード目はエンド・レコード（9と119桁のスペース）でなければなりません。", number)
    if number != len(texts):
        raise _error(f"エンド・レコードの後に{len(texts) - number}件のレコードがあります。", number + 1)
    return CheckedFile(header=header, count=count, total=total, separator=separator)
