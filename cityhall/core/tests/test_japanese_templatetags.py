"""{% load japanese %} filters rendered through Django's template engine."""

import datetime as dt
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
