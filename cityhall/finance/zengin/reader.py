"""Reading a 総合振込 file back: layout, separators, field checks, trailer count and total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import BinaryIO

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import to_japan_date
from cityhall.finance.zengin._records import (
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


@dataclass(frozen=True)
class ParsedFile:
    """A 総合振込 file as read: header, transfers, the trailer's figures and the separator found."""

    header: TransferHeader
    transfers: list[Transfer]
    count: int
    total: int
    separator: Separator


def _error(message: str, record: int | None = None) -> ValidationFailed:
    return ValidationFailed(message, field="file", extra={"record": record} if record else {})


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
    if lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        if b"\r" in line or b"\n" in line:
            raise _error(f"{number}レコード目にCRLF以外の改行コードがあります。", number)
        if len(line) != RECORD_LENGTH:
            raise _error(
                f"{number}レコード目の長さが {len(line)} バイトです（120バイトでなければなりません）。", number
            )
    return lines, "crlf"


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


def _transfer(text: str, index: int) -> Transfer:
    number = index + 1
    where = record_label(number, f"データ{index}件目")
    if text[38:42] != "0000":
        raise _error(f"{where}の39〜42桁目は「0000」でなければなりません（値: 「{text[38:42]}」）。", number)
    amount = check_digits(text[80:90], 10, where, "振込金額", field="amount", record=number)
    edi = text[112]
    if edi not in ("Y", " "):
        raise _error(f"{where}の識別表示が「{edi}」です（Y またはスペース）。", number)
    _filler(text, 114, number, f"データ{index}件目")
    transfer = Transfer(
        bank_code=text[1:5],
        bank_name=text[5:20].rstrip(" "),
        branch_code=text[20:23],
        branch_name=text[23:38].rstrip(" "),
        account_type=text[42],
        account_number=text[43:50],
        payee_name=text[50:80].rstrip(" "),
        amount=int(amount),
        new_code=text[90],
        customer_code=text[91:111].rstrip(" "),
        transfer_kind=text[111].strip(" "),
        edi=edi == "Y",
    )
    data_text(transfer, index)  # the writer's checks
    return transfer


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
    records, separator = _split(fileobj.read())
    if len(records) < 4:
        raise _error(f"レコードが{len(records)}件しかありません（ヘッダー・データ・トレーラー・エンドが必要です）。")
    texts = [_decode(raw, number) for number, raw in enumerate(records, start=1)]
    header = _header(texts[0], year)
    transfers: list[Transfer] = []
    number = 2
    while number <= len(texts) and texts[number - 1][0] == "2":
        transfers.append(_transfer(texts[number - 1], number - 1))
        number += 1
    if not transfers:
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
    if count != len(transfers):
        raise _error(
            f"{where}の合計件数 {count:,}件がデータ・レコードの件数 {len(transfers):,}件と一致しません。", number
        )
    actual = sum(t.amount for t in transfers)
    if total != actual:
        raise _error(f"{where}の合計金額 {total:,}円がデータ・レコードの合計 {actual:,}円と一致しません。", number)
    number += 1
    if number > len(texts) or texts[number - 1] != END_TEXT:
        raise _error(f"{number}レコード目はエンド・レコード（9と119桁のスペース）でなければなりません。", number)
    if number != len(texts):
        raise _error(f"エンド・レコードの後に{len(texts) - number}件のレコードがあります。", number + 1)
    return ParsedFile(header=header, transfers=transfers, count=count, total=total, separator=separator)
