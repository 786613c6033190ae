"""Record layout and field checks shared by the 総合振込 writer and reader (private)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import Any, Literal, NamedTuple

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.kana import ZENGIN_ALLOWED

RECORD_LENGTH = 120
ENCODING = "cp932"
MAX_AMOUNT = 9_999_999_999  # data record positions 81–90
MAX_COUNT = 999_999  # trailer positions 2–7
MAX_TOTAL = 999_999_999_999  # trailer positions 8–19

Separator = Literal["crlf", "none"]
SEPARATORS: dict[str, str] = {"crlf": "\r\n", "none": ""}

HEADER_ACCOUNT_TYPES = {"1": "普通", "2": "当座", "9": "その他"}
ACCOUNT_TYPES = {"1": "普通", "2": "当座", "4": "貯蓄", "9": "その他"}
NEW_CODES = {"0": "その他", "1": "第1回振込分", "2": "変更分"}
TRANSFER_KINDS = {"": "指定なし", "7": "電信", "8": "文書"}

CHAR_CLASS = "[" + "".join(re.escape(c) for c in sorted(ZENGIN_ALLOWED)) + "]"  # one 全銀 character
_TEXT = re.compile(CHAR_CLASS + "*")
# The writer's chunk path checks each field of a data record for many transfers at once: the field's distinct
# values joined by NUL (never an allowed character) must match its pattern, which accepts exactly what the
# field checks of ``data_text`` accept. In the order of ``Transfer``'s fields; None: checked otherwise.
_COLUMNS: tuple[re.Pattern[str] | None, ...] = tuple(
    None if field is None else re.compile(f"(?:{field}\x00)*{field}")
    for field in (
        "[0-9]{4}",  # bank_code
        CHAR_CLASS + "{0,15}",  # bank_name
        "[0-9]{3}",  # branch_code
        CHAR_CLASS + "{0,15}",  # branch_name
        "[1249]",  # account_type
        "[0-9]{7}",  # account_number
        CHAR_CLASS + "{0,30}",  # payee_name
        None,  # amount: an int from 1 to MAX_AMOUNT
        "[012]",  # new_code
        CHAR_CLASS + "{0,20}",  # customer_code
        "[78]?",  # transfer_kind
        None,  # edi: a bool
    )
)
# A data record of checked fields: ``data_text``'s layout, the last two fields already as written.
_DATA_FORMAT = "2%s%-15s%s%-15s0000%s%s%-30s%010d%s%-20s%s%s       "


@dataclass(frozen=True)
class TransferHeader:
    """ヘッダー・レコード (header record) of a 総合振込 file: who pays, when, from which account."""

    requester_code: str  # 委託者コード, 10 digits
    requester_name: str  # 委託者名 (半角カナ, up to 40)
    transfer_date: dt.date  # 振込指定日 (written as MMDD)
    bank_code: str  # 仕向銀行番号, 4 digits
    bank_name: str  # 仕向銀行名 (up to 15)
    branch_code: str  # 仕向支店番号, 3 digits
    branch_name: str  # 仕向支店名 (up to 15)
    account_type: str  # 預金種目: 1 普通, 2 当座, 9 その他
    account_number: str  # 口座番号, 7 digits


class Transfer(NamedTuple):
    """データ・レコード (data record): one payment to one payee account.

    A named tuple rather than a frozen dataclass: an export builds one per payee (100,000 in a large
    batch), and a tuple is built several times faster while staying immutable.
    """

    bank_code: str  # 被仕向銀行番号, 4 digits
    bank_name: str  # up to 15
    branch_code: str  # 被仕向支店番号, 3 digits
    branch_name: str  # up to 15
    account_type: str  # 1 普通, 2 当座, 4 貯蓄, 9 その他
    account_number: str  # 7 digits
    payee_name: str  # 受取人名 (半角カナ, up to 30)
    amount: int  # 振込金額 in yen, 1 … 9,999,999,999
    new_code: str = "0"  # 新規コード: 0, 1 第1回振込分, 2 変更分
    customer_code: str = ""  # 顧客コード1・2 or EDI 情報 (up to 20)
    transfer_kind: str = ""  # 振込区分: 7 電信, 8 文書, "" unspecified
    edi: bool = False  # 識別表示 "Y": positions 92–111 hold EDI information


def record_label(number: int, kind: str) -> str:
    """「3レコード目（データ2件目）」: how messages name a record (1-based over the whole file)."""
    return f"{number}レコード目（{kind}）"


def fail(where: str, label: str, reason: str, *, field: str, record: int) -> ValidationFailed:
    """The error for one field of one record."""
    return ValidationFailed(f"{where}の{label}{reason}", field=field, extra={"record": record})


def check_digits(value: object, width: int, where: str, label: str, *, field: str, record: int) -> str:
    """A numeric code of exactly ``width`` ASCII digits."""
    if not isinstance(value, str) or len(value) != width or not value.isascii() or not value.isdigit():
        raise fail(
            where, label, f"は{width}桁の数字でなければなりません（値: {value!r}）。", field=field, record=record
        )
    return value


def check_text(value: object, width: int, where: str, label: str, *, field: str, record: int) -> str:
    """A text field: 全銀 characters only, at most ``width`` of them (each is one byte in cp932)."""
    if not isinstance(value, str):
        raise fail(where, label, f"は文字列でなければなりません（値: {value!r}）。", field=field, record=record)
    if not _TEXT.fullmatch(value):
        position, char = next((i, c) for i, c in enumerate(value, start=1) if c not in ZENGIN_ALLOWED)
        raise fail(
            where,
            label,
            f"の{position}文字目「{char}」は全銀の振込データに使えない文字です"
            "（半角カナ・英大文字・数字・スペース・( ) - . / のみ）。",
            field=field,
            record=record,
        )
    if len(value) > width:
        raise fail(
            where, label, f"は{width}文字以内でなければなりません（{len(value)}文字）。", field=field, record=record
        )
    return value


def check_choice(value: object, choices: dict[str, str], where: str, label: str, *, field: str, record: int) -> str:
    """One of a fixed set of codes."""
    if not isinstance(value, str) or value not in choices:
        allowed = "、".join(f"{code or '空欄'} {name}" for code, name in choices.items())
        raise fail(
            where, label, f"が正しくありません（値: {value!r}。{allowed} のいずれか）。", field=field, record=record
        )
    return value


def check_amount(value: object, where: str, *, record: int) -> int:
    """振込金額: whole yen, 1 to 9,999,999,999; floats and fractional Decimals are refused, not rounded."""
    label = "振込金額"
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(
            where, label, f"は円単位の整数でなければなりません（値: {value!r}）。", field="amount", record=record
        )
    if not 1 <= value <= MAX_AMOUNT:
        raise fail(
            where,
            label,
            f"は1円以上{MAX_AMOUNT:,}円以下でなければなりません（値: {value:,}円）。",
            field="amount",
            record=record,
        )
    return value


def header_text(header: TransferHeader) -> str:
    """Check a header and give its 120 characters."""
    where = record_label(1, "ヘッダー")
    if not isinstance(header.transfer_date, dt.date):
        raise fail(where, "振込指定日", "は日付でなければなりません。", field="transfer_date", record=1)
    return "".join(
        (
            "1210",
            check_digits(header.requester_code, 10, where, "委託者コード", field="requester_code", record=1),
            check_text(header.requester_name, 40, where, "委託者名", field="requester_name", record=1).ljust(40),
            header.transfer_date.strftime("%m%d"),
            check_digits(header.bank_code, 4, where, "仕向銀行番号", field="bank_code", record=1),
            check_text(header.bank_name, 15, where, "仕向銀行名", field="bank_name", record=1).ljust(15),
            check_digits(header.branch_code, 3, where, "仕向支店番号", field="branch_code", record=1),
            check_text(header.branch_name, 15, where, "仕向支店名", field="branch_name", record=1).ljust(15),
            check_choice(header.account_type, HEADER_ACCOUNT_TYPES, where, "預金種目", field="account_type", record=1),
            check_digits(header.account_number, 7, where, "口座番号", field="account_number", record=1),
            " " * 17,
        )
    )


def data_text(transfer: Transfer, index: int) -> tuple[str, int]:
    """Check the ``index``-th transfer (1-based) and give its 120 characters and its amount."""
    record = index + 1
    where = record_label(record, f"データ{index}件目")
    t = transfer
    amount = check_amount(t.amount, where, record=record)
    if not isinstance(t.edi, bool):
        raise fail(where, "EDI表示", f"は真偽値でなければなりません（値: {t.edi!r}）。", field="edi", record=record)
    text = "".join(
        (
            "2",
            check_digits(t.bank_code, 4, where, "被仕向銀行番号", field="bank_code", record=record),
            check_text(t.bank_name, 15, where, "被仕向銀行名", field="bank_name", record=record).ljust(15),
            check_digits(t.branch_code, 3, where, "被仕向支店番号", field="branch_code", record=record),
            check_text(t.branch_name, 15, where, "被仕向支店名", field="branch_name", record=record).ljust(15),
            "0000",
            check_choice(t.account_type, ACCOUNT_TYPES, where, "預金種目", field="account_type", record=record),
            check_digits(t.account_number, 7, where, "口座番号", field="account_number", record=record),
            check_text(t.payee_name, 30, where, "受取人名", field="payee_name", record=record).ljust(30),
            f"{amount:010d}",
            check_choice(t.new_code, NEW_CODES, where, "新規コード", field="new_code", record=record),
            check_text(t.customer_code, 20, where, "顧客コード・EDI情報", field="customer_code", record=record).ljust(
                20
            ),
            check_choice(t.transfer_kind, TRANSFER_KINDS, where, "振込区分", field="transfer_kind", record=record)
            or " ",
            "Y" if t.edi else " ",
            " " * 7,
        )
    )
    return text, amount


def plain_data_texts(transfers: Sequence[Transfer], separator: str) -> tuple[str, int] | None:
    """The data records of ``transfers`` (at least one), each followed by ``separator``, and their total, when
    every field of every transfer is plainly valid; else None.

    The writer's fast path, a chunk at a time: each field is checked for the whole chunk at once, its
    distinct values matched by one pattern, and the records are formatted by one operation, all at C speed
    (checked and formatted one by one, 100,000 payees took a quarter of a second). What this accepts,
    ``data_text`` accepts and writes the same way; a chunk refused here is written record by record by
    ``data_text``, which names the record and the field at fault (and takes whole-yen ``Decimal`` amounts).
    """
    try:
        columns: list[Sequence[Any]] = list(zip(*transfers, strict=True))
        amounts, edis = columns[7], columns[11]
        if set(map(type, amounts)) != {int} or set(map(type, edis)) != {bool}:
            return None
        if min(amounts) < 1 or max(amounts) > MAX_AMOUNT:
            return None
        for pattern, column in zip(_COLUMNS, columns, strict=True):
            if pattern is not None and not _all_match(pattern, set(column)):
                return None
    except (TypeError, ValueError):  # a value that is not a string, or not hashable; not a Transfer
        return None
    columns[10] = [kind or " " for kind in columns[10]]
    columns[11] = ["Y" if edi else " " for edi in edis]
    text = ((_DATA_FORMAT + separator) * len(transfers)) % tuple(chain.from_iterable(zip(*columns, strict=True)))
    return text, sum(amounts)


def _all_match(pattern: re.Pattern[str], values: set[Any]) -> bool:
    """Whether every one of ``values`` matches the field ``pattern`` of ``_COLUMNS`` (joined by NUL, matched at
    once; a value holding a NUL itself is refused by the count)."""
    joined = "\x00".join(values)
    return joined.count("\x00") == len(values) - 1 and pattern.fullmatch(joined) is not None


def trailer_text(count: int, total: int, record: int) -> str:
    """The trailer's 120 characters; the count and total must fit their fields."""
    where = record_label(record, "トレーラー")
    if count > MAX_COUNT:
        raise fail(where, "合計件数", f"が{MAX_COUNT:,}件を超えています（{count:,}件）。", field="count", record=record)
    if total > MAX_TOTAL:
        raise fail(where, "合計金額", f"が12桁を超えています（{total:,}円）。", field="total", record=record)
    return f"8{count:06d}{total:012d}" + " " * 101


END_TEXT = "9" + " " * 119
