"""{% load japanese %} filters rendered through Django's template engine."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from cityhall.core.japanese.money import format_yen


def render(source, **context):
    return Template("{% load japanese %}" + source).render(Context(context))


def test_date_filters(settings):
    settings.CITYHALL_DATE_STYLE = "wareki"
    day = dt.date(2026, 11, 26)
    assert render("{{ d|wareki }}", d=day) == "令和8年11月26日"
    assert render("{{ d|wareki_weekday }}", d=day) == "令和8年11月26日（木）"
    assert render("{{ d|wareki_short }}", d=day) == "R8.11.26"
    assert render("{{ d|official_date }}", d=day) == "令和8年11月26日"
    assert render("{{ d|wareki }}", d=dt.date(2019, 5, 1)) == "令和元年5月1日"


def test_official_date_follows_the_setting(settings):
    settings.CITYHALL_DATE_STYLE = "western"
    assert render("{{ d|official_date }}", d=dt.date(2026, 11, 26)) == "2026年11月26日"
    assert render("{{ d|official_date_weekday }}", d=dt.date(2026, 11, 26)) == "2026年11月26日（木）"


def test_datetime_renders_as_the_date_in_japan():
    moment = dt.datetime(2019, 4, 30, 15, 30, tzinfo=dt.UTC)
    assert render("{{ t|wareki }}", t=moment) == "令和元年5月1日"


def test_fiscal_year_and_yen(settings):
    settings.CITYHALL_DATE_STYLE = "wareki"
    assert render("{{ fy|fiscal_year_label }}", fy=2026) == "令和8年度"
    assert render("{{ fy|fiscal_year_label }}", fy=2019) == "令和元年度"
    assert render("{{ a|yen }}", a=1234567) == "1,234,567円"
    assert render("{{ a|yen }}", a=Decimal("-1234")) == "-1,234円"
    assert render("{{ a|yen }}", a=0) == "0円"


def test_filters_never_raise_on_bad_input():
    assert render("{{ d|wareki }}", d=None) == ""
    assert render("{{ d|wareki }}", d="") == ""
    assert render("{{ d|wareki }}", d="not a date") == "not a date"
    # Outside the 和暦 range: the date is left to Django's own (localised) rendering.
    assert render("{{ d|wareki }}", d=dt.date(1800, 1, 1)) == "1800年1月1日"
    assert render("{{ fy|fiscal_year_label }}", fy="abc") == "abc"
    assert render("{{ a|yen }}", a="12.5") == "12.5"
    assert render("{{ a|yen }}", a=None) == ""


def test_format_yen_refuses_fractions():
    assert format_yen(Decimal("1000.00")) == "1,000円"
    with pytest.raises(ValueError, match="whole yen"):
        format_yen(Decimal("0.5"))
    with pytest.raises(ValueError, match="yen amount"):
        format_yen("１,０００")


JST = dt.timezone(dt.timedelta(hours=9))
# 07:30 on 1 April in Japan is 22:30 on 31 March in UTC: the new fiscal year in Japan, the old one in UTC.
APRIL_FIRST_MORNING = dt.datetime(2027, 3, 31, 22, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("hour", [0, 7, 8])
def test_an_aware_datetime_is_shown_as_japans_date(settings, hour):
    settings.CITYHALL_DATE_STYLE = "wareki"
    moment = dt.datetime(2027, 4, 1, hour, 59, tzinfo=JST).astimezone(dt.UTC)
    assert moment.date() == dt.date(2027, 3, 31)  # what `.date` would have shown
    assert render("{{ m|wareki }}", m=moment) == "令和9年4月1日"
    assert render("{{ m|official_date }}", m=moment) == "令和9年4月1日"
    assert render("{{ m|wareki_short }}", m=moment) == "R9.4.1"
    assert render("{{ m|official_datetime }}", m=moment) == f"令和9年4月1日 {hour:02d}:59"


def test_english_pages_get_iso_dates_and_yen_signs(settings):
    settings.CITYHALL_DATE_STYLE = "wareki"
    from django.utils import translation

    with translation.override("en"):
        assert render("{{ m|wareki }}", m=APRIL_FIRST_MORNING) == "2027-04-01"
        assert render("{{ m|official_datetime }}", m=APRIL_FIRST_MORNING) == "2027-04-01 07:30"
        assert render("{{ a|yen }}", a=1234567) == "¥1,234,567"
        assert render("{{ a|yen }}", a=-1234) == "-¥1,234"
        assert render("{{ y|fiscal_year_label }}", y=2027) == "FY2027"
    with translation.override("ja"):
        assert render("{{ a|yen }}", a=1234567) == "1,234,567円"
        assert render("{{ y|fiscal_year_label }}", y=2027) == "令和9年度"


def test_no_template_takes_the_date_of_an_aware_datetime():
    """``{{ x.decided_at.date }}`` is the UTC date, a day early before 09:00 in Japan; the filters convert."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offending = [
        f"{path.relative_to(root)}:{number}"
        for path in root.glob("*/templates/**/*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"_at\.date\b|_at\|date:(?!['\"]c['\"])", line)
    ]
    assert offending == []
