"""和暦: era boundaries, 元年, weekdays, settings-driven style, parsing round trips."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.wareki import (
    era_year,
    format_date,
    format_wareki,
    format_wareki_short,
    format_western,
    parse_wareki,
    weekday_name,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 12, 31), "令和元年12月31日"),
        (dt.date(2020, 1, 1), "令和2年1月1日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1926, 12, 24), "大正15年12月24日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(1912, 7, 29), "明治45年7月29日"),
        (dt.date(1912, 7, 30), "大正元年7月30日"),
        (dt.date(1873, 1, 1), "明治6年1月1日"),
        (dt.date(2026, 11, 26), "令和8年11月26日"),
        (dt.date(2024, 2, 29), "令和6年2月29日"),
    ],
)
def test_format_wareki_at_era_edges(day, expected):
    assert format_wareki(day) == expected


def test_era_year_returns_name_and_number():
    assert era_year(dt.date(2026, 11, 26)) == ("令和", 8)
    assert era_year(dt.date(2019, 4, 30)) == ("平成", 31)
    assert era_year(dt.date(2019, 5, 1)) == ("令和", 1)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2026, 11, 23), "月"),
        (dt.date(2026, 11, 24), "火"),
        (dt.date(2026, 11, 25), "水"),
        (dt.date(2026, 11, 26), "木"),
        (dt.date(2026, 11, 27), "金"),
        (dt.date(2026, 11, 28), "土"),
        (dt.date(2026, 11, 29), "日"),
    ],
)
def test_weekday_names(day, name):
    assert weekday_name(day) == name
    assert format_wareki(day, weekday=True).endswith(f"（{name}）")


def test_weekday_suffix_on_first_day_of_reiwa_and_leap_day():
    assert format_wareki(dt.date(2019, 5, 1), weekday=True) == "令和元年5月1日（水）"
    assert format_wareki(dt.date(2028, 2, 29), weekday=True) == "令和10年2月29日（火）"


def test_short_and_western_forms():
    assert format_wareki_short(dt.date(2026, 11, 26)) == "R8.11.26"
    assert format_wareki_short(dt.date(2019, 5, 1)) == "R1.5.1"
    assert format_wareki_short(dt.date(2019, 4, 30)) == "H31.4.30"
    assert format_wareki_short(dt.date(1989, 1, 7)) == "S64.1.7"
    assert format_western(dt.date(2026, 11, 26)) == "2026年11月26日"
    assert format_western(dt.date(2026, 11, 26), weekday=True) == "2026年11月26日（木）"


def test_aware_datetime_is_converted_to_the_date_in_japan():
    # 2019-04-30 15:30 UTC is 2019-05-01 00:30 in Tokyo: already 令和.
    assert format_wareki(dt.datetime(2019, 4, 30, 15, 30, tzinfo=dt.UTC)) == "令和元年5月1日"
    assert format_wareki(dt.datetime(2019, 4, 30, 14, 59, tzinfo=dt.UTC)) == "平成31年4月30日"
    eastern = dt.datetime(2019, 4, 30, 23, 0, tzinfo=ZoneInfo("America/New_York"))
    assert format_wareki(eastern) == "令和元年5月1日"
    # A naive datetime is taken as already local.
    assert format_wareki(dt.datetime(2019, 4, 30, 23, 59)) == "平成31年4月30日"


def test_format_date_follows_the_setting(settings):
    day = dt.date(2026, 11, 26)
    settings.CITYHALL_DATE_STYLE = "wareki"
    assert format_date(day) == "令和8年11月26日"
    settings.CITYHALL_DATE_STYLE = "western"
    assert format_date(day) == "2026年11月26日"
    assert format_date(day, weekday=True) == "2026年11月26日（木）"
    assert format_date(day, "wareki") == "令和8年11月26日"
    settings.CITYHALL_DATE_STYLE = "imperial"
    with pytest.raises(ValueError, match="CITYHALL_DATE_STYLE"):
        format_date(day)


def test_dates_before_the_gregorian_calendar_are_refused():
    with pytest.raises(ValueError, match="1873"):
        format_wareki(dt.date(1872, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年11月26日", dt.date(2026, 11, 26)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("令和1年5月1日", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("令和８年１１月２６日", dt.date(2026, 11, 26)),
        (" 令和 8 年 11 月 26 日 ", dt.date(2026, 11, 26)),
        ("令和八年十一月二十六日", dt.date(2026, 11, 26)),
        ("平成元年一月八日", dt.date(1989, 1, 8)),
        ("㋿8年11月26日", dt.date(2026, 11, 26)),
        ("㍻31年4月30日", dt.date(2019, 4, 30)),
        ("R8.11.26", dt.date(2026, 11, 26)),
        ("r8/11/26", dt.date(2026, 11, 26)),
        ("Ｈ３１．４．３０", dt.date(2019, 4, 30)),
        ("令和6年2月29日", dt.date(2024, 2, 29)),
        ("令和8年11月26日（木）", dt.date(2026, 11, 26)),
        ("R8.11.26(木)", dt.date(2026, 11, 26)),
    ],
)
def test_parse_wareki_accepts_common_spellings(text, expected):
    assert parse_wareki(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "令和元年4月30日",  # 令和 starts on 5/1
        "平成31年5月1日",  # 平成 ended on 4/30
        "昭和64年1月8日",
        "平成32年1月1日",
        "令和7年2月29日",  # not a leap year
        "令和8年13月1日",
        "令和0年1月1日",
        "令和8年11月",
        "2026-11-26",
        "令和十十年1月1日",
        "R8.11/26",
        "令和8年11月26日（金）",  # weekday does not match
        "令和8年11月26日（X）",
        "",
    ],
)
def test_parse_wareki_rejects_impossible_dates(text):
    with pytest.raises(ValidationFailed) as caught:
        parse_wareki(text, field="birth_date")
    assert isinstance(caught.value, ValueError)
    assert caught.value.field == "birth_date"
    assert caught.value.message  # Japanese message for the form


@hypothesis_settings(deadline=None)  # wall-clock limits are not what these tests check
@given(st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_wareki_round_trips_long_and_short_forms(day):
    assert parse_wareki(format_wareki(day)) == day
    assert parse_wareki(format_wareki_short(day)) == day
    assert parse_wareki(format_wareki(day, weekday=True)) == day


@hypothesis_settings(deadline=None)  # wall-clock limits are not what these tests check
@given(st.dates(min_value=dt.date(1989, 1, 8), max_value=dt.date(2100, 12, 31)))
def test_era_year_matches_the_western_year(day):
    name, year = era_year(day)
    start = 1989 if name == "平成" else 2019
    assert name in {"平成", "令和"}
    assert year == day.year - start + 1
    assert (name == "令和") == (day >= dt.date(2019, 5, 1))
