"""The 全銀 writer's and reader's fast paths decide exactly as the field-by-field checks they skip.

Each run is made twice, once as it is and once with every fast path turned off (the writer's
``plain_data_texts``, the reader's CR LF split, whole-file decoding and data-record patterns), on
transfers and files with faults of every kind: both runs must give the same bytes, the same parsed
file, or the same refusal (message, field and record).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import ExitStack
from decimal import Decimal
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.kana import ZENGIN_ALLOWED
from cityhall.finance.zengin import Transfer, TransferHeader, check_zengin, read_zengin, reader, write_zengin, writer

HEADER = TransferHeader(
    requester_code="1234567890",
    requester_name="ﾐﾄﾞﾘｼ ｶｲｹｲｶﾝﾘｼﾔ",
    transfer_date=dt.date(2026, 5, 8),
    bank_code="0001",
    bank_name="ﾐｽﾞﾎ",
    branch_code="001",
    branch_name="ﾄｳｷﾖｳ",
    account_type="1",
    account_number="0012345",
)
_NEVER = re.compile("(?!)")


def _slow() -> ExitStack:
    """Every fast path off: the writer and reader as they were before them."""
    stack = ExitStack()
    stack.enter_context(mock.patch.object(writer, "plain_data_texts", lambda transfers, separator: None))
    stack.enter_context(mock.patch.object(reader, "_plain_crlf", lambda data, lines, separators: False))
    stack.enter_context(mock.patch.object(reader, "_PLAIN_DATA", _NEVER))
    stack.enter_context(mock.patch.object(reader, "_PLAIN_DATA_BYTES", re.compile(b"(?!)")))
    stack.enter_context(
        mock.patch.object(
            reader,
            "_decode_all",
            lambda records: [reader._decode(raw, number) for number, raw in enumerate(records, start=1)],
        )
    )
    return stack


def _outcome(run: Any) -> tuple[Any, ...]:
    try:
        return ("ok", run())
    except ValidationFailed as error:
        return ("refused", error.message, error.field, error.extra)


def _both(run: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    fast = _outcome(run)
    with _slow():
        slow = _outcome(run)
    return fast, slow


def _text_of(width: int) -> Any:
    return st.text(alphabet="".join(sorted(ZENGIN_ALLOWED)), max_size=width).map(str.rstrip)


def _digits(width: int) -> Any:
    return st.text(alphabet="0123456789", min_size=width, max_size=width)


transfers = st.builds(
    Transfer,
    bank_code=_digits(4),
    bank_name=_text_of(15),
    branch_code=_digits(3),
    branch_name=_text_of(15),
    account_type=st.sampled_from("1249"),
    account_number=_digits(7),
    payee_name=_text_of(30),
    amount=st.integers(1, 9_999_999_999),
    new_code=st.sampled_from("012"),
    customer_code=_text_of(20),
    transfer_kind=st.sampled_from(["", "7", "8"]),
    edi=st.booleans(),
)
_ALLOWED = "".join(sorted(ZENGIN_ALLOWED))
_REFUSED = "ｧｰ,aé緑\x00\r\n"
_WIDTHS = {"bank_name": 15, "branch_name": 15, "payee_name": 30, "customer_code": 20}
_CODES = {"bank_code": 4, "branch_code": 3, "account_number": 7}
_CHOICES = ("account_type", "new_code", "transfer_kind")


@st.composite
def _fault(draw: Any, name: str) -> Any:
    """A value for field ``name`` that the checks may refuse: wrong width, character or type."""
    if name in _WIDTHS:
        width = _WIDTHS[name]
        allowed = st.text(alphabet=_ALLOWED, min_size=width - 1, max_size=width + 2)
        refused = st.builds(lambda a, c, b: a + c + b, _text_of(5), st.sampled_from(_REFUSED), _text_of(5))
        return draw(st.one_of(allowed, refused, st.none(), st.just(7)))
    if name in _CODES:
        width = _CODES[name]
        digits = st.text(alphabet="0123456789", min_size=width - 1, max_size=width + 1)
        other = st.text(alphabet="0123456789５a ", min_size=width, max_size=width)
        return draw(st.one_of(digits, other, st.none(), st.just(1234)))
    if name in _CHOICES:
        return draw(st.sampled_from(["", " ", "0", "1", "2", "3", "4", "7", "8", "9", "11", "Y", None]))
    if name == "amount":
        return draw(
            st.one_of(
                st.sampled_from([0, -1, 9_999_999_999, 10_000_000_000, True, 1000.0]),
                st.sampled_from([Decimal("1200"), Decimal("1200.0"), Decimal("0.5"), Decimal("NaN"), Decimal("0")]),
            )
        )
    return draw(st.sampled_from([1, 0, None, "Y"]))  # edi


@st.composite
def _faulty_transfers(draw: Any) -> Transfer:
    """A right transfer with one or two of its fields replaced by ``_fault``."""
    transfer = draw(transfers)
    names = [*_WIDTHS, *_CODES, *_CHOICES, "amount", "edi"]
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=2)):
        transfer = transfer._replace(**{name: draw(_fault(name))})
    return transfer


def _written(items: list[Transfer], separator: str) -> bytes:
    out = io.BytesIO()
    write_zengin(out, HEADER, items, separator=separator)  # type: ignore[arg-type]
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(
    items=st.lists(st.one_of(transfers, _faulty_transfers()), min_size=1, max_size=4),
    separator=st.sampled_from(["crlf", "none"]),
)
def test_the_writer_writes_and_refuses_as_the_field_checks_do(items, separator):
    fast, slow = _both(lambda: _written(items, separator))
    assert fast == slow


_RIGHT = Transfer(
    bank_code="0005",
    bank_name="ﾐﾂﾋﾞｼUFJ",
    branch_code="123",
    branch_name="ｼﾝｼﾞﾕｸ",
    account_type="2",
    account_number="7654321",
    payee_name="ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ",
    amount=800_000,
)


def _field_faults(name: str) -> list[Any]:
    """Every kind of fault for one field, each width around the right one."""
    if name in _WIDTHS:
        width = _WIDTHS[name]
        return [
            *("ｱ" * n for n in (0, width - 1, width, width + 1)),
            *("ｱ" * (width - 1) + c for c in _REFUSED + "9 "),
            *(c + "ｱ" for c in _REFUSED),
            " " * (width + 1),
            None,
            7,
        ]
    if name in _CODES:
        width = _CODES[name]
        return [*("1" * n for n in range(width + 2)), *("1" * (width - 1) + c for c in "５a ."), " " * width, None, 1]
    if name in _CHOICES:
        return ["", " ", "0", "1", "2", "3", "4", "5", "7", "8", "9", "11", "Y", "a", "１", None, 1]
    if name == "amount":
        return [0, 1, -1, 9_999_999_999, 10_000_000_000, True, False, 1000.0, "1000", None, Decimal("1200"),
                Decimal("1200.0"), Decimal("0.5"), Decimal("NaN"), Decimal("Infinity"), Decimal("0")]  # fmt: skip
    return [True, False, 1, 0, None, "Y"]  # edi


def test_each_fault_of_each_field_is_written_or_refused_alike():
    names = [*_WIDTHS, *_CODES, *_CHOICES, "amount", "edi"]
    cases = [(name, value) for name in names for value in _field_faults(name)]
    different = []
    for name, value in cases:
        items = [_RIGHT, _RIGHT._replace(**{name: value})]
        fast, slow = _both(lambda items=items: _written(items, "crlf"))
        if fast != slow:
            different.append((name, value, fast, slow))
    assert different == []
    assert len(cases) > 150


# Bytes put anywhere: separators, a lead byte alone, a two-byte character, digits, letters, nothing.
_PIECES = [b"\r", b"\n", b"\r\n", b"\x82", b"\x82\xa0", b"\x81", b"a", b"0", b"9", b" ", b"Y", b"8", b"2", b"\xb1", b""]


@st.composite
def _files(draw: Any) -> bytes:
    """A right file with up to three faults: bytes replaced, cut or added, or whole records cut, doubled or swapped."""
    items = draw(st.lists(transfers, min_size=1, max_size=5))
    separator = draw(st.sampled_from(["crlf", "none"]))
    data = _written(items, separator)
    size = 122 if separator == "crlf" else 120
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from(_PIECES)) + data[at + draw(st.integers(0, 1)) :]
            continue
        records = [data[i : i + size] for i in range(0, len(data), size)]
        i, j = draw(st.integers(0, len(records) - 1)), draw(st.integers(0, len(records) - 1))
        match draw(st.sampled_from(["cut", "double", "swap"])):
            case "cut":
                del records[i]
            case "double":
                records.insert(i, records[j])
            case "swap":
                records[i], records[j] = records[j], records[i]
        data = b"".join(records)
    return data


@settings(max_examples=500, deadline=None)
@given(data=_files())
def test_the_reader_reads_and_refuses_as_the_record_checks_do(data):
    fast, slow = _both(lambda: read_zengin(io.BytesIO(data), year=2026))
    assert fast == slow
    checked = _outcome(lambda: check_zengin(io.BytesIO(data), year=2026))
    if slow[0] == "ok":
        parsed = slow[1]
        figures = (parsed.header, parsed.count, parsed.total, parsed.separator)
        assert checked[0] == "ok"
        assert (checked[1].header, checked[1].count, checked[1].total, checked[1].separator) == figures
    else:
        assert checked == slow


# Data-record fields (0-based, end excluded).
_SPANS = [(0, 1), (1, 5), (5, 20), (20, 23), (23, 38), (38, 42), (42, 43), (43, 50), (50, 80), (80, 90), (90, 91),
          (91, 111), (111, 112), (112, 113), (113, 120)]  # fmt: skip
_CHARS = "0123456789 Yｱa.ｰ"


def test_each_character_in_each_field_of_a_data_record_is_read_or_refused_alike():
    data = _written([_RIGHT, _RIGHT._replace(amount=1), _RIGHT], "crlf")
    fills = [(start, end, fill) for start, end in _SPANS for c in _CHARS for fill in _fills(c, end - start)]
    different = []
    for start, end, fill in fills:
        at = 2 * 122 + start  # the second data record
        faulty = data[:at] + fill.encode("cp932") + data[at + end - start :]
        fast, slow = _both(lambda faulty=faulty: read_zengin(io.BytesIO(faulty), year=2026))
        checked = _outcome(lambda faulty=faulty: check_zengin(io.BytesIO(faulty), year=2026))
        if fast != slow or (slow[0] == "refused" and checked != slow):
            different.append((start, fill, fast, slow))
    assert different == []
    assert len(fills) > 700


def _fills(c: str, width: int) -> list[str]:
    """The field all ``c``, and ``c`` alone at its start or its end, the rest zeros (ones for ``c`` 0) or spaces."""
    pad = "0" if c != "0" else "1"
    return sorted(
        {c * width, c + pad * (width - 1), pad * (width - 1) + c, c + " " * (width - 1), " " * (width - 1) + c}
    )
