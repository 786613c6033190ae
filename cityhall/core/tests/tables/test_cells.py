"""One cell read as the value its field holds: dates and amounts as Japanese files write them, years, flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest

from cityhall.core.tables import cells
from cityhall.core.tables.cells import CellProblem


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("令和8年11月30日", dt.date(2026, 11, 30)),
        ("令和８年１１月３０日", dt.date(2026, 11, 30)),
        ("R8.11.30", dt.date(2026, 11, 30)),
        ("Ｒ８．１１．３０", dt.date(2026, 11, 30)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("2026/11/30 0:00", dt.date(2026, 11, 30)),
        ("2026年11月30日", dt.date(2026, 11, 30)),
        ("2026-1-5", dt.date(2026, 1, 5)),
    ],
)
def test_dates_are_read_as_japanese_files_write_them(written: str, expected: dt.date) -> None:
    assert cells.day(written) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2026-02-30", "存在しない日付です（'2026-02-30'）。"),
        ("令和元年4月30日", "令和元年4月30日は令和の期間外です"),
        (
            "20261130",
            "日付として読めません（'20261130'）。書き方: 2026-11-30、2026/11/30、2026年11月30日、"
            "令和8年11月30日・R8.11.30。",
        ),
        ("11/30/2026", "日付として読めません"),
    ],
)
def test_a_date_that_cannot_be_read_says_what_was_found(written: str, message: str) -> None:
    with pytest.raises(CellProblem) as caught:
        cells.day(written)

    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    ("written", "amount", "message"),
    [
        ("¥1,200", 1200, None),
        ("▲500", -500, None),
        ("１２００円", 1200, None),
        ("1200.00", 1200, None),
        ("", None, None),
        ("1200.5", None, "円未満の端数があります（'1200.5'）。"),
        ("12,00", None, "数値ではありません（'12,00'）。"),
        ("1,000,000,000,000", None, "金額が大きすぎます"),
    ],
)
def test_amounts_as_suppliers_write_them(written: str, amount: int | None, message: str | None) -> None:
    if message is None:
        assert cells.amount(written) == (None if amount is None else Decimal(amount))
        assert cells.yen(written) == amount
    else:
        with pytest.raises(CellProblem) as caught:
            cells.amount(written)
        assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    ("read", "written", "expected"),
    [
        (cells.fiscal_year, "令和2年度", 2020),
        (cells.fiscal_year, "R元", 2019),
        (cells.fiscal_year, "H31", 2019),
        (cells.fiscal_year, "２０２０年度", 2020),
        (cells.fiscal_year, "平成40年度", CellProblem("平成にその年度はありません")),
        (cells.number, 1001.0, 1001),
        (cells.number, "12.5", CellProblem("整数ではありません")),
        (cells.flag, "○", True),
        (cells.flag, "いいえ", False),
        (cells.flag, "たぶん", CellProblem("「はい」か「いいえ」")),
        (cells.code, 1001.0, "1001"),
        (partial(cells.digits, width=4, label="金融機関コード"), 5, "0005"),
        (partial(cells.digits, width=3, label="支店コード"), "12-3", CellProblem("支店コードは3桁までの数字")),
    ],
)
def test_years_numbers_flags_and_codes_as_old_systems_write_them(read, written: object, expected: object) -> None:
    if isinstance(expected, CellProblem):
        with pytest.raises(CellProblem, match=expected.message):
            read(written)
    else:
        assert read(written) == expected
