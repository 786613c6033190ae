"""The DX dashboard: figures on a small register, the lists behind them, access, Excel and constant queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cityhall.core import figures
from cityhall.dashboard.selectors import Filters, dashboard
from cityhall.documents.models import Medium
from cityhall.org.models import Role
from cityhall.org.services import role_grant
from cityhall.savings.models import SavedTime
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.dashboard import decided
from cityhall.testing.plugin import database
from cityhall.testing.web import client_for

# On PostgreSQL too: months and durations computed by the database (time zones, truncation).
pytestmark = [pytest.mark.django_db, database]

FY = 2025
APRIL, MAY = dt.date(2025, 4, 10), dt.date(2025, 5, 12)


@pytest.fixture
def mayor(city):
    role_grant(actor=SETUP, user=city.shicho, role=Role.EXECUTIVE, valid_from=SINCE)
    return city.shicho


def _register(city) -> None:
    u = city.units
    # 総務課, 一般: 10 electronic in April taking 1…10 hours; median 5 h, p90 9 h.
    for h in range(1, 11):
        decided(city, section=u.soumu, hours=h - 0.5, on=APRIL)
    # 財政課, 支出: 3 on paper in May taking 3 days (72 h), 1 electronic and confidential taking 10 days.
    decided(city, section=u.zaisei, kind="spending", hours=71, on=MAY, medium=Medium.PAPER, count=3)
    decided(city, section=u.zaisei, kind="spending", hours=239, on=MAY, confidential=True)
    SavedTime.objects.create(
        section=u.zaisei,
        occurred_at=timezone.make_aware(dt.datetime(2025, 5, 1, 9)),
        kind="automation.jp_pint",
        count=4,
        minutes=90,
        object_type="test",
        object_id="1",
        created_by=city.drafter,
    )


def test_figures_of_a_small_register_by_month_section_and_kind(city, mayor):
    _register(city)
    board = dashboard(mayor, Filters(fiscal_year=FY))
    assert (board.total.electronic, board.total.paper, board.total.share) == (11, 3, 78.6)
    april, may = board.months[0], board.months[1]
    assert (april.split.electronic, may.split.electronic, may.split.paper) == (10, 1, 3)
    assert (may.sheets, may.hours_saved, board.hours_saved) == (1, 1.5, 1.5)
    kinds = {k.name: k.durations for k in board.kinds}
    assert (kinds["一般"].median_hours, kinds["一般"].p90_hours, kinds["一般"].documents) == (5, 9, 10)
    assert (kinds["支出"].median_hours, kinds["支出"].p90_hours) == (72, 240)
    sections = {s.name: s for s in board.sections}
    assert sections["財政課"].split.paper == 3 and sections["総務課"].durations.median_hours == 5
    one = dashboard(mayor, Filters(fiscal_year=FY, month=MAY.replace(day=1), section_id=city.units.zaisei.pk))
    assert (one.total.electronic, one.total.paper, [m.month for m in one.months]) == (1, 3, [dt.date(2025, 5, 1)])
    assert [(k.name, k.durations.median_hours, k.durations.p90_hours) for k in one.kinds] == [("支出", 72, 240)]
    assert [f.value if f else None for f in board.telework.values()] == [0, 0]  # telework provides both
    telework = figures.register(figures.TELEWORK_DAYS, lambda f: figures.Figure(12, "日", by_month={"2025-05": 12}))
    try:
        again = dashboard(mayor, Filters(fiscal_year=FY))
        provided = again.telework[figures.TELEWORK_DAYS]
        assert provided is not None and provided.value == 12
        assert [m.telework_days for m in again.months[:3]] == [0, 12, 0]
        figures.unregister(figures.TELEWORK_DAYS)
        assert dashboard(mayor, Filters(fiscal_year=FY)).telework[figures.TELEWORK_DAYS] is None
    finally:
        assert telework is not None
        figures.register(figures.TELEWORK_DAYS, telework)


def test_lists_behind_a_figure_show_only_what_the_viewer_may_see(city, mayor):
    _register(city)
    client = client_for(mayor)
    page = client.get(
        f"/dashboard/documents/?fiscal_year={FY}&month=5&section={city.units.zaisei.pk}&medium=electronic"
    )
    assert page.status_code == 200 and page.context["page"].paginator.count == 0  # the 秘 one of 財政課
    paper = client.get(f"/dashboard/documents/?fiscal_year={FY}&medium=paper")
    assert paper.context["page"].paginator.count == 3
    api = client.get(f"/api/dashboard/documents?fiscal_year={FY}&month=5&medium=electronic").json()
    assert api["count"] == 0
    figures_api = client.get(f"/api/dashboard/figures?fiscal_year={FY}").json()
    assert (figures_api["electronic"], figures_api["paper"]) == (11, 3)  # counts are the city's
    ledger = client.get(f"/dashboard/savings/?fiscal_year={FY}")
    assert ledger.context["page"].paginator.count == 1


def test_others_are_refused_and_do_not_see_the_menu_entry(city, mayor):
    for path in (
        "/dashboard/",
        "/dashboard/documents/",
        "/dashboard/savings/",
        "/dashboard/export.xlsx",
        "/api/dashboard/figures",
        "/api/dashboard/documents",
        "/api/dashboard/export.xlsx",
    ):
        assert client_for(city.fukushicho).get(path).status_code == 404, path
    home = client_for(city.kacho).get("/").content.decode()
    assert "/dashboard/" not in home
    assert "/dashboard/" in client_for(mayor).get("/").content.decode()


def test_excel_holds_the_figures_and_never_a_formula(city, mayor):
    from openpyxl import load_workbook

    city.kinds["general"].name = '=HYPERLINK("http://x")'
    city.kinds["general"].save()
    _register(city)
    response = client_for(mayor).get(f"/dashboard/export.xlsx?fiscal_year={FY}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["月別", "課別", "事案の種類別", "合計"]
    months = list(book["月別"].iter_rows(min_row=2, max_row=3, values_only=True))
    assert months[0][:3] == ("2025年4月", 10, 0) and months[1][:3] == ("2025年5月", 1, 3)
    names = {c.value: c.data_type for c in book["事案の種類別"]["A"][1:]}
    assert names['=HYPERLINK("http://x")'] == "s"  # text, not a formula


def test_queries_per_page_do_not_grow_with_the_register(city, mayor):
    def queries(extra: int) -> int:
        decided(city, section=city.units.jinji, on=APRIL, count=extra)
        decided(city, section=city.units.soumu, kind="spending", on=MAY, medium=Medium.PAPER, count=extra)
        from cityhall.dashboard.models import RollupMonth

        RollupMonth.objects.all().delete()  # built again, then measured warm
        dashboard(mayor, Filters(fiscal_year=FY))
        with CaptureQueriesContext(connection) as captured:
            client_for(mayor).get(f"/dashboard/?fiscal_year={FY}")
        return len(captured)

    assert queries(2) == queries(200)


def test_a_decision_is_counted_once_the_refresh_interval_has_passed(city, mayor, settings, draft):
    from cityhall.dashboard.models import RollupMonth
    from cityhall.testing.engine import approve_to_decision, submit

    settings.CITYHALL_DASHBOARD_REFRESH_SECONDS = 0
    year = dashboard(mayor, Filters(fiscal_year=FY + 1 if timezone.localdate() >= dt.date(2026, 4, 1) else FY))
    before = year.total.electronic
    doc = approve_to_decision(submit(draft()))
    month = timezone.localtime(doc.decided_at).date().replace(day=1)
    built = RollupMonth.objects.get(month=month).computed_at
    after = dashboard(mayor, year.filters)
    assert after.total.electronic == before + 1 and RollupMonth.objects.get(month=month).computed_at > built


def test_the_check_runs_once_per_interval_and_finds_a_late_record_of_a_past_month(city, mayor, settings):
    from django.db.models import F

    from cityhall.dashboard.models import RollupMonth

    settings.CITYHALL_DASHBOARD_REFRESH_SECONDS = 300
    _register(city)
    assert dashboard(mayor, Filters(fiscal_year=FY)).months[0].split.electronic == 10
    RollupMonth.objects.update(checked_at=F("checked_at") - dt.timedelta(minutes=10))
    june = RollupMonth.objects.get(month=dt.date(2025, 6, 1)).checked_at
    decided(city, section=city.units.soumu, on=APRIL, medium=Medium.PAPER)  # registered late, saved now
    board = dashboard(mayor, Filters(fiscal_year=FY))
    assert (board.months[0].split.electronic, board.months[0].split.paper) == (10, 1)
    assert RollupMonth.objects.get(month=dt.date(2025, 6, 1)).checked_at > june  # unchanged: marked checked
    with CaptureQueriesContext(connection) as captured:
        dashboard(mayor, Filters(fiscal_year=FY))
    checks = [q for q in captured.captured_queries if '"documents_document"."updated_at"' in q["sql"]]
    assert not checks  # within the interval: not checked again
