"""営業日: New Year closures, substitute holidays, Golden Week, arithmetic."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cityhall.core.japanese.business_days import (
    add_business_days,
    business_day_on_or_after,
    business_day_on_or_before,
    business_days_between,
    closure_reason,
    holiday_name,
    is_bank_business_day,
    is_city_business_day,
    is_holiday,
    is_national_holiday,
    next_bank_business_day,
    previous_bank_business_day,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "city_open", "bank_open"),
    [
        (D(2025, 12, 26), True, True),  # Friday before the closure
        (D(2025, 12, 29), False, True),  # city closed, banks open
        (D(2025, 12, 30), False, True),
        (D(2025, 12, 31), False, False),  # both closed
        (D(2026, 1, 1), False, False),  # 元日 (national holiday)
        (D(2026, 1, 2), False, False),  # not a national holiday, but closed
        (D(2026, 1, 3), False, False),  # Saturday anyway
        (D(2027, 1, 3), False, False),  # a Sunday
        (D(2029, 1, 3), False, False),  # a Wednesday: closed by the 1/3 rule alone
        (D(2026, 1, 5), True, True),  # first business day of 2026
        (D(2029, 1, 4), True, True),
    ],
)
def test_year_end_and_new_year(day, city_open, bank_open):
    assert is_city_business_day(day) is city_open
    assert is_bank_business_day(day) is bank_open


def test_new_year_national_holiday_versus_closure():
    assert is_national_holiday(D(2026, 1, 1))
    assert holiday_name(D(2026, 1, 1)) == "元日"
    assert not is_national_holiday(D(2026, 1, 2))
    assert is_holiday(D(2026, 1, 2))
    assert is_holiday(D(2025, 12, 29))
    assert not is_holiday(D(2025, 12, 29), "bank")
    assert closure_reason(D(2025, 12, 29)) == "年末年始"
    assert closure_reason(D(2025, 12, 29), "bank") is None
    assert closure_reason(D(2026, 1, 10)) == "土曜日"
    assert closure_reason(D(2026, 1, 11)) == "日曜日"
    assert closure_reason(D(2026, 1, 12)) == "成人の日"
    assert not is_holiday(D(2026, 1, 10))  # weekends are not 休日 in this sense


def test_substitute_holiday():
    # 建国記念の日 2024-02-11 fell on a Sunday: Monday 2/12 is 振替休日.
    assert holiday_name(D(2024, 2, 12)) == "建国記念の日 振替休日"
    assert not is_city_business_day(D(2024, 2, 12))
    assert next_bank_business_day(D(2024, 2, 9)) == D(2024, 2, 13)


def test_golden_week_2026():
    for day in (D(2026, 4, 29), D(2026, 5, 4), D(2026, 5, 5), D(2026, 5, 6)):
        assert is_national_holiday(day), day
    assert "振替休日" in (holiday_name(D(2026, 5, 6)) or "")  # 5/3 was a Sunday
    assert is_city_business_day(D(2026, 5, 1))
    assert next_bank_business_day(D(2026, 5, 1)) == D(2026, 5, 7)
    assert previous_bank_business_day(D(2026, 5, 7)) == D(2026, 5, 1)
    assert business_days_between(D(2026, 5, 1), D(2026, 5, 7)) == 1


def test_ten_day_golden_week_of_the_era_change():
    # 2019-04-27 (Sat) to 2019-05-06 (Mon): 天皇の即位の日 and two 国民の休日.
    assert holiday_name(D(2019, 5, 1)) == "天皇の即位の日"
    assert holiday_name(D(2019, 4, 30)) == "国民の休日"
    days = [D(2019, 4, 27) + dt.timedelta(days=i) for i in range(10)]
    assert not any(is_bank_business_day(d) for d in days)
    assert next_bank_business_day(D(2019, 4, 26)) == D(2019, 5, 7)


def test_citizens_holiday_between_two_holidays():
    assert holiday_name(D(2026, 9, 22)) == "国民の休日"


def test_next_and_previous_bank_business_day_over_new_year():
    assert next_bank_business_day(D(2025, 12, 30)) == D(2026, 1, 5)
    assert previous_bank_business_day(D(2026, 1, 5)) == D(2025, 12, 30)
    assert next_bank_business_day(D(2026, 1, 5)) == D(2026, 1, 6)  # strictly after


def test_roll_to_business_day():
    assert business_day_on_or_after(D(2026, 1, 1)) == D(2026, 1, 5)
    assert business_day_on_or_after(D(2026, 1, 6)) == D(2026, 1, 6)
    assert business_day_on_or_before(D(2026, 1, 1)) == D(2025, 12, 30)
    assert business_day_on_or_before(D(2026, 1, 1), "city") == D(2025, 12, 26)


def test_add_business_days_per_calendar():
    assert add_business_days(D(2025, 12, 26), 1) == D(2026, 1, 5)
    assert add_business_days(D(2025, 12, 26), 1, "bank") == D(2025, 12, 29)
    assert add_business_days(D(2025, 12, 26), 3, "bank") == D(2026, 1, 5)
    assert add_business_days(D(2026, 1, 5), -1) == D(2025, 12, 26)
    assert add_business_days(D(2026, 1, 1), 0) == D(2026, 1, 1)
    assert business_days_between(D(2025, 12, 26), D(2026, 1, 5)) == 1
    assert business_days_between(D(2025, 12, 26), D(2026, 1, 5), "bank") == 3
    assert business_days_between(D(2026, 1, 5), D(2025, 12, 26)) == -1
    assert business_days_between(D(2026, 1, 5), D(2026, 1, 5)) == 0


def test_unknown_calendar_is_refused():
    with pytest.raises(ValueError, match="calendar"):
        is_holiday(D(2026, 1, 5), "post-office")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="calendar"):
        business_days_between(D(2026, 1, 5), D(2026, 1, 9), "post-office")  # type: ignore[arg-type]


def test_aware_datetime_counts_as_the_date_in_japan():
    # 2025-12-31 16:00 UTC is 2026-01-01 01:00 in Tokyo: 元日.
    assert holiday_name(dt.datetime(2025, 12, 31, 16, 0, tzinfo=dt.UTC)) == "元日"


@hypothesis_settings(deadline=None)  # wall-clock limits are not what these tests check
@given(
    st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31)),
    st.integers(min_value=-25, max_value=25),
    st.sampled_from(["city", "bank"]),
)
def test_business_days_between_inverts_add_business_days(day, n, calendar):
    later = add_business_days(day, n, calendar)
    assert business_days_between(day, later, calendar) == n
    if n:
        assert is_city_business_day(later) if calendar == "city" else is_bank_business_day(later)
