"""The request file (照会ファイル) of an institution that answers digitally: CSV, one row per person.

The layout is documented in ``docs/inquiries-request-file.md`` (UTF-8 without BOM, CRLF, a header
row, the columns of ``COLUMNS`` in that order; dates as ``YYYY-MM-DD``; former addresses joined by
``|``). ``整理番号`` identifies the person in the batch (never the city's 宛名番号): an answer file
that repeats it can be matched without doubt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

COLUMNS = (
    "照会書番号",
    "行番号",
    "整理番号",
    "照会日",
    "回答期限",
    "基準日",
    "取引履歴開始日",
    "取引履歴終了日",
    "金融機関コード",
    "支店コード",
    "カナ氏名",
    "氏名",
    "生年月日",
    "住所",
    "旧住所",
)
FORMER_SEPARATOR = "|"
_BREAKS = re.compile(r"[\r\n\t\v\f]+")


@dataclass(frozen=True)
class RequestRow:
    """One person asked of the institution (照会ファイルの1行)."""

    reference: int  # 整理番号: the person's row in the batch (BatchPerson id)
    kana: str
    name: str
    birth_date: dt.date
    address: str
    former_addresses: Sequence[str] = ()


@dataclass(frozen=True)
class RequestFile:
    """What the file says besides the persons: the letter, its dates and the institution's codes."""

    number: str
    sent_on: dt.date
    reply_deadline: dt.date
    base_date: dt.date
    period_from: dt.date | None
    period_to: dt.date | None
    bank_code: str
    branch_code: str
    rows: Sequence[RequestRow]


def file_name(request: RequestFile) -> str:
    """The download name: 「照会ファイル_緑納第12号-3.csv」."""
    return f"照会ファイル_{request.number}.csv"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _clean(value: str) -> str:
    """A cell without line breaks or the separator's ambiguity (a stray ``|`` becomes full-width)."""
    return _BREAKS.sub(" ", value).strip().replace(FORMER_SEPARATOR, "｜")


def render_request(request: RequestFile) -> bytes:
    """The request file as UTF-8 CSV bytes (CRLF, header first)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    fixed = (
        _date(request.sent_on),
        _date(request.reply_deadline),
        _date(request.base_date),
        _date(request.period_from),
        _date(request.period_to),
        request.bank_code,
        request.branch_code,
    )
    for number, row in enumerate(request.rows, start=1):
        former = FORMER_SEPARATOR.join(_clean(a) for a in row.former_addresses)
        person = (_clean(row.kana), _clean(row.name), row.birth_date.isoformat(), _clean(row.address), former)
        writer.writerow((request.number, number, row.reference, *fixed, *person))
    return out.getvalue().encode("utf-8")
