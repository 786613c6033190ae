"""源泉徴収の計算 (所得税法第204条・第205条, 復興特別所得税を含む): rates, the ¥1,000,000 step, rounding, the basis."""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.finance.services.withholding import due_date
from cityhall.finance.withholding_tax import compute, kinds, withholding_for


@pytest.mark.parametrize(
    ("amount", "tax", "expected"),
    [
        (110_000, 10_000, 11_231),  # the lawyer fee: 10.21 % of the 税込 amount
        (100_000, 0, 10_210),
        (99_999, 0, 10_209),  # 10,209.89… rounded down
        (1_000_000, 0, 102_100),
        (1_000_001, 0, 102_100),  # 20.42 % of ¥1 is under a yen
        (1_500_000, 0, 204_200),  # 102,100 + 500,000 × 20.42 %
        (1_100_000, 100_000, 122_520),  # 102,100 + 100,000 × 20.42 %
    ],
)
def test_fees_withhold_10_21_percent_and_20_42_above_one_million_rounded_down(amount, tax, expected):
    assert withholding_for("professional", amount, tax) == expected
    assert withholding_for("manuscript", amount, tax) == expected


def test_a_scriveners_fee_is_taxed_after_ten_thousand_yen_without_the_step():
    assert withholding_for("scrivener", 50_000, 0) == 4_084  # (50,000 − 10,000) × 10.21 %
    assert withholding_for("scrivener", 8_000, 0) == 0
    assert withholding_for("scrivener", 2_010_000, 0) == 204_200  # no 20.42 % step (第205条第2号)


def test_the_basis_excludes_the_tax_when_the_city_chooses_so(settings):
    settings.CITYHALL_WITHHOLDING_TAX_BASIS = "excluded"
    assert withholding_for("professional", 110_000, 10_000) == 10_210


def test_the_table_of_kinds_is_configurable(settings):
    kind = kinds()["professional"]
    settings.CITYHALL_WITHHOLDING_KINDS = (type(kind)("lecture", "謝金", "第204条", rate=500, threshold=None),)
    assert list(kinds()) == ["lecture"]
    assert compute(kinds()["lecture"], 10_000) == 500


@pytest.mark.parametrize(
    ("month", "due"),
    [
        (dt.date(2026, 11, 1), dt.date(2026, 12, 10)),  # a Thursday
        (dt.date(2026, 9, 1), dt.date(2026, 10, 13)),  # Sat 10th, Sun, Mon 12th スポーツの日
        (dt.date(2026, 12, 1), dt.date(2027, 1, 12)),  # Sun 10th, Mon 11th 成人の日
        (dt.date(2027, 1, 1), dt.date(2027, 2, 10)),
    ],
)
def test_the_tax_is_due_on_the_tenth_of_the_next_month_or_the_next_business_day(month, due):
    assert due_date(month) == due
