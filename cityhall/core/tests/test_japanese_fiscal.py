"""年度 and 出納整理期間 at their edges."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cityhall.core.japanese.fiscal import (
    closing_period_end,
    fiscal_year,
    fiscal_year_end,
    fiscal_year_label,
    fiscal_year_start,
    is_in_closing_period,
)


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2026, 12, 31), 2026),
        (dt.date(2027, 1, 1), 2026),
        (dt.date(2024, 2, 29), 2023),
        (dt.date(2019, 4, 30), 2019),
        (dt.date(2019, 5, 1), 2019),
    ],
)
def test_fiscal_year_changes_on_the_first_of_april(day, fy):
    assert fiscal_year(day) == fy


def test_fiscal_year_of_an_aware_datetime_uses_the_date_in_japan():
    # 2026-03-31 15:00 UTC is already 1 April in Tokyo.
    assert fiscal_year(dt.datetime(2026, 3, 31, 15, 0, tzinfo=dt.UTC)) == 2026
    assert fiscal_year(dt.datetime(2026, 3, 31, 14, 59, tzinfo=dt.UTC)) == 2025


def test_start_end_and_closing_period():
    assert fiscal_year_start(2026) == dt.date(2026, 4, 1)
    assert fiscal_year_end(2026) == dt.date(2027, 3, 31)
    assert closing_period_end(2026) == dt.date(2027, 5, 31)
    assert not is_in_closing_period(dt.date(2027, 3, 31), 2026)
    assert is_in_closing_period(dt.date(2027, 4, 1), 2026)
    assert is_in_closing_period(dt.date(2027, 5, 31), 2026)
    assert not is_in_closing_period(dt.date(2027, 6, 1), 2026)
    assert not is_in_closing_period(dt.date(2027, 4, 1), 2027)


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (2026, "令和8年度"),
        (2020, "令和2年度"),
        (2019, "令和元年度"),  # began 2019-04-01 under 平成; cities call it 令和元年度
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
    ],
)
def test_fiscal_year_label_in_wareki(fy, label, settings):
    settings.CITYHALL_DATE_STYLE = "wareki"
    assert fiscal_year_label(fy) == label


def test_fiscal_year_label_follows_the_setting(settings):
    settings.CITYHALL_DATE_STYLE = "western"
    assert fiscal_year_label(2026) == "2026年度"
    assert fiscal_year_label(2026, "wareki") == "令和8年度"
    with pytest.raises(ValueError, match="style"):
        fiscal_year_label(2026, "imperial")


@hypothesis_settings(deadline=None)  # wall-clock limits are not what these tests check
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_lies_within_its_fiscal_year(day):
    fy = fiscal_year(day)
    assert fiscal_year_start(fy) <= day <= fiscal_year_end(fy)
    assert fiscal_year_end(fy) + dt.timedelta(days=1) == fiscal_year_start(fy + 1)
