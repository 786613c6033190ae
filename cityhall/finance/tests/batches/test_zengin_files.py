"""全銀 総合振込 writer and reader: exact byte positions, round trips and refusals."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.kana import ZENGIN_ALLOWED
from cityhall.finance.zengin import Transfer, TransferHeader, read_zengin, write_zengin

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
TRANSFER = Transfer(
    bank_code="0005",
    bank_name="ﾐﾂﾋﾞｼUFJ",
    branch_code="123",
    branch_name="ｼﾝｼﾞﾕｸ",
    account_type="2",
    account_number="7654321",
    payee_name="ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ",
    amount=800_000,
    new_code="1",
    customer_code="0000012345",
    transfer_kind="7",
    edi=True,
)


def encode(transfers, header=HEADER, separator="crlf") -> bytes:
    out = io.BytesIO()
    write_zengin(out, header, transfers, separator=separator)
    return out.getvalue()


def records(data: bytes) -> list[bytes]:
    return data.split(b"\r\n")[:-1]


def at(record: bytes, first: int, last: int) -> bytes:
    """Bytes at 1-based positions first..last inclusive, as the layout table writes them."""
    return record[first - 1 : last]


def test_header_positions():
    header = records(encode([TRANSFER]))[0]
    assert len(header) == 120
    assert at(header, 1, 1) == b"1"
    assert at(header, 2, 3) == b"21"
    assert at(header, 4, 4) == b"0"
    assert at(header, 5, 14) == b"1234567890"
    assert at(header, 15, 54) == "ﾐﾄﾞﾘｼ ｶｲｹｲｶﾝﾘｼﾔ".encode("cp932").ljust(40)
    assert at(header, 55, 58) == b"0508"
    assert at(header, 59, 62) == b"0001"
    assert at(header, 63, 77) == "ﾐｽﾞﾎ".encode("cp932") + b" " * 11
    assert at(header, 78, 80) == b"001"
    assert at(header, 81, 95) == "ﾄｳｷﾖｳ".encode("cp932") + b" " * 10
    assert at(header, 96, 96) == b"1"
    assert at(header, 97, 103) == b"0012345"
    assert at(header, 104, 120) == b" " * 17


def test_data_record_positions():
    data = records(encode([TRANSFER]))[1]
    assert len(data) == 120
    assert at(data, 1, 1) == b"2"
    assert at(data, 2, 5) == b"0005"
    assert at(data, 6, 20) == "ﾐﾂﾋﾞｼUFJ".encode("cp932").ljust(15)
    assert at(data, 21, 23) == b"123"
    assert at(data, 24, 38) == "ｼﾝｼﾞﾕｸ".encode("cp932").ljust(15)
    assert at(data, 39, 42) == b"0000"
    assert at(data, 43, 43) == b"2"
    assert at(data, 44, 50) == b"7654321"
    assert at(data, 51, 80) == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ".encode("cp932").ljust(30)
    assert at(data, 81, 90) == b"0000800000"
    assert at(data, 91, 91) == b"1"
    assert at(data, 92, 111) == b"0000012345          "
    assert at(data, 112, 112) == b"7"
    assert at(data, 113, 113) == b"Y"
    assert at(data, 114, 120) == b" " * 7


def test_optional_fields_are_spaces():
    data = records(encode([TRANSFER._replace(transfer_kind="", edi=False, customer_code="", new_code="0")]))[1]
    assert at(data, 91, 91) == b"0"
    assert at(data, 92, 120) == b" " * 29


def test_trailer_and_end_positions_and_crlf():
    second = TRANSFER._replace(amount=1_234_567_890)
    data = encode([TRANSFER, second])
    trailer, end = records(data)[3:5]
    assert at(trailer, 1, 1) == b"8"
    assert at(trailer, 2, 7) == b"000002"
    assert at(trailer, 8, 19) == b"001235367890"
    assert at(trailer, 20, 120) == b" " * 101
    assert end == b"9" + b" " * 119
    assert len(data) == 5 * 122 and data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 5 and data.count(b"\n") == 5


def test_no_separator_writes_records_back_to_back():
    data = encode([TRANSFER], separator="none")
    assert len(data) == 4 * 120
    assert b"\r" not in data and b"\n" not in data
    assert data[120:121] == b"2" and data[360:361] == b"9"


def test_summary_counts_what_was_written(tmp_path):
    path = tmp_path / "furikomi.txt"
    with path.open("wb") as out:
        summary = write_zengin(out, HEADER, (TRANSFER._replace(amount=n) for n in range(1, 5001)))
    assert (summary.count, summary.total, summary.size) == (5000, 5000 * 5001 // 2, path.stat().st_size)
    with path.open("rb") as source:
        parsed = read_zengin(source, year=2026)
    assert len(parsed.transfers) == 5000 and parsed.total == summary.total
    assert [t.amount for t in parsed.transfers[:3]] == [1, 2, 3]


# --- round trip ------------------------------------------------------------

_CHARS = "".join(sorted(ZENGIN_ALLOWED))


def _text(width: int):
    return st.text(alphabet=_CHARS, max_size=width).map(str.rstrip)


def _digits(width: int):
    return st.text(alphabet="0123456789", min_size=width, max_size=width)


transfers = st.builds(
    Transfer,
    bank_code=_digits(4),
    bank_name=_text(15),
    branch_code=_digits(3),
    branch_name=_text(15),
    account_type=st.sampled_from("1249"),
    account_number=_digits(7),
    payee_name=_text(30),
    amount=st.integers(1, 9_999_999_999),
    new_code=st.sampled_from("012"),
    customer_code=_text(20),
    transfer_kind=st.sampled_from(["", "7", "8"]),
    edi=st.booleans(),
)
headers = st.builds(
    TransferHeader,
    requester_code=_digits(10),
    requester_name=_text(40),
    transfer_date=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    bank_code=_digits(4),
    bank_name=_text(15),
    branch_code=_digits(3),
    branch_name=_text(15),
    account_type=st.sampled_from("129"),
    account_number=_digits(7),
)


@settings(max_examples=150, deadline=None)
@given(header=headers, items=st.lists(transfers, min_size=1, max_size=8), separator=st.sampled_from(["crlf", "none"]))
def test_what_is_written_reads_back_the_same(header, items, separator):
    data = encode(items, header=header, separator=separator)
    assert len(data) == (len(items) + 3) * (122 if separator == "crlf" else 120)
    parsed = read_zengin(io.BytesIO(data), year=header.transfer_date.year)
    assert parsed.header == header
    assert parsed.transfers == items
    assert parsed.separator == separator
    assert (parsed.count, parsed.total) == (len(items), sum(t.amount for t in items))


def test_reader_without_year_picks_the_date_closest_to_today():
    parsed = read_zengin(io.BytesIO(encode([TRANSFER])))
    today = dt.date.today()
    assert (parsed.header.transfer_date.month, parsed.header.transfer_date.day) == (5, 8)
    assert abs((parsed.header.transfer_date - today).days) <= 183


# --- refusals when writing ----------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"amount": Decimal("1000.5")}, "amount", "円単位の整数"),
        ({"amount": 1000.0}, "amount", "円単位の整数"),
        ({"amount": True}, "amount", "円単位の整数"),
        ({"amount": 0}, "amount", "1円以上"),
        ({"amount": 10_000_000_000}, "amount", "9,999,999,999円以下"),
        ({"account_number": "123456"}, "account_number", "口座番号は7桁の数字"),
        ({"bank_code": "５０００"}, "bank_code", "被仕向銀行番号は4桁の数字"),
        ({"branch_code": "12"}, "branch_code", "被仕向支店番号は3桁の数字"),
        ({"account_type": "3"}, "account_type", "預金種目が正しくありません"),
        ({"payee_name": "ﾔﾏﾀﾞ ｼｮｳｼﾞ"}, "payee_name", "受取人名の7文字目「ｮ」"),
        ({"payee_name": "ﾔﾏﾀﾞｰ"}, "payee_name", "受取人名の5文字目「ｰ」"),
        ({"payee_name": "ｱ" * 31}, "payee_name", "30文字以内"),
        ({"new_code": "3"}, "new_code", "新規コード"),
        ({"transfer_kind": "9"}, "transfer_kind", "振込区分"),
        ({"customer_code": "abc"}, "customer_code", "顧客コード・EDI情報の1文字目「a」"),
    ],
)
def test_bad_transfers_are_refused_naming_record_and_field(change, field, words):
    good = TRANSFER._replace(amount=5)
    with pytest.raises(ValidationFailed) as caught:
        encode([good, good, TRANSFER._replace(**change)])
    assert caught.value.field == field
    assert caught.value.extra == {"record": 4}
    assert caught.value.message.startswith("4レコード目（データ3件目）の")
    assert words in caught.value.message


def test_a_bad_transfer_after_the_first_chunk_is_named_by_its_own_record():
    """The writer checks a chunk of 2,000 records at once; a fault in a later chunk still names its record."""
    good = TRANSFER._replace(amount=5)
    with pytest.raises(ValidationFailed) as caught:
        encode([*[good] * 2000, good, TRANSFER._replace(payee_name="ﾔﾏﾀﾞｰ")])
    assert (caught.value.field, caught.value.extra) == ("payee_name", {"record": 2003})
    assert caught.value.message.startswith("2003レコード目（データ2002件目）の受取人名の5文字目「ｰ」")


def test_whole_yen_decimal_is_accepted():
    data = encode([TRANSFER._replace(amount=Decimal("1200"))])  # type: ignore[arg-type]
    assert read_zengin(io.BytesIO(data)).transfers[0].amount == 1200


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"requester_code": "123"}, "委託者コードは10桁の数字"),
        ({"requester_name": "緑市"}, "委託者名の1文字目「緑」"),
        ({"account_type": "4"}, "預金種目が正しくありません"),
        ({"transfer_date": "0508"}, "振込指定日は日付"),
    ],
)
def test_bad_header_is_refused(change, words):
    with pytest.raises(ValidationFailed) as caught:
        encode([TRANSFER], header=replace(HEADER, **change))
    assert caught.value.message.startswith("1レコード目（ヘッダー）の")
    assert words in caught.value.message


def test_no_transfers_and_unknown_separator_are_refused():
    out = io.BytesIO()
    with pytest.raises(ValidationFailed, match="1件もありません"):
        write_zengin(out, HEADER, [])
    assert out.getvalue() == b""
    with pytest.raises(ValidationFailed, match="レコード区切り"):
        write_zengin(out, HEADER, [TRANSFER], separator="lf")  # type: ignore[arg-type]


# --- refusals when reading ----------------------------------------------------


def read(data: bytes):
    return read_zengin(io.BytesIO(data), year=2026)


@pytest.mark.parametrize(("separator", "name"), [(b"\n", "LFのみ"), (b"\r", "CRのみ")])
def test_cr_only_and_lf_only_files_are_refused(separator, name):
    data = encode([TRANSFER]).replace(b"\r\n", separator)
    with pytest.raises(ValidationFailed, match=f"1レコード目の改行コードが{name}"):
        read(data)


def test_mixed_separators_are_refused_naming_the_record():
    parts = records(encode([TRANSFER, TRANSFER]))
    data = b"\r\n".join(parts[:2]) + b"\r\n" + parts[2] + b"\n" + b"\r\n".join(parts[3:]) + b"\r\n"
    with pytest.raises(ValidationFailed, match="3レコード目にCRLF以外の改行コード"):
        read(data)


def test_wrong_record_length_is_named():
    parts = records(encode([TRANSFER, TRANSFER]))
    parts[2] = parts[2][:-1]
    with pytest.raises(ValidationFailed, match="3レコード目の長さが 119 バイト"):
        read(b"\r\n".join(parts) + b"\r\n")
    flat = encode([TRANSFER], separator="none")
    with pytest.raises(ValidationFailed, match="4レコード目が 119 バイト"):
        read(flat[:-1])


def test_final_crlf_is_optional():
    assert read(encode([TRANSFER])[:-2]).transfers == [TRANSFER]


def _tamper(record_index: int, position: int, value: bytes) -> bytes:
    parts = records(encode([TRANSFER, TRANSFER._replace(amount=200)]))
    record = parts[record_index]
    parts[record_index] = record[: position - 1] + value + record[position - 1 + len(value) :]
    return b"\r\n".join(parts) + b"\r\n"


@pytest.mark.parametrize(
    ("record_index", "position", "value", "words"),
    [
        (3, 7, b"3", "4レコード目（トレーラー）の合計件数 3件がデータ・レコードの件数 2件と一致しません"),
        (3, 19, b"1", "合計金額 800,201円がデータ・レコードの合計 800,200円と一致しません"),
        (2, 81, b"00000000A0", "3レコード目（データ2件目）の振込金額は10桁の数字"),
        (2, 51, b"\x82\xa0", "3レコード目に全角文字「あ」"),
        (2, 51, b"a", "3レコード目（データ2件目）の受取人名の1文字目「a」"),
        (0, 2, b"11", "種別コードが「11」"),
        (0, 55, b"0231", "振込指定日「0231」"),
        (1, 114, b"X", "2レコード目（データ1件目）の114〜120桁目はスペース"),
        (2, 1, b"8", "3レコード目（トレーラー）の合計件数"),
        (4, 2, b"X", "5レコード目はエンド・レコード"),
        (1, 51, b"\x81", "Shift_JISとして読めません"),
    ],
)
def test_tampered_files_are_refused_naming_the_record(record_index, position, value, words):
    with pytest.raises(ValidationFailed) as caught:
        read(_tamper(record_index, position, value))
    assert words in caught.value.message


def test_records_after_the_end_and_too_few_records_are_refused():
    data = encode([TRANSFER])
    with pytest.raises(ValidationFailed, match="エンド・レコードの後に1件"):
        read(data + records(data)[-1] + b"\r\n")
    with pytest.raises(ValidationFailed, match="レコードが3件しかありません"):
        read(b"\r\n".join(records(data)[1:]) + b"\r\n")
