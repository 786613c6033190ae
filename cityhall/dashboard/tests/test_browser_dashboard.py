"""In a browser, the issue's journey: the mayor opens the DX dashboard, every Chart.js chart is drawn from the
register's figures, and a figure's link lists the documents behind it.

The register is a year of decisions in three 課 (a few dozen documents, electronic and on paper, of three
kinds of matter) and one row of the savings ledger, made in bulk: the whole demo city takes 20 seconds on
SQLite and two minutes on PostgreSQL to load, too long for one journey (its documents are all decided on
the day it is loaded, so its monthly chart has one bar).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.core.japanese import fiscal_year
from cityhall.documents.models import Medium
from cityhall.org.models import Role
from cityhall.org.services import role_grant
from cityhall.savings.models import SavedTime
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.dashboard import decided
from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHARTS = ["medium-chart", "paper-chart", "kind-chart", "section-chart"]
# Each chart: whether Chart.js drew it, its labels and datasets, and how many pixels of the canvas it painted.
DRAWN = """() => [...document.querySelectorAll("canvas")].map(canvas => {
  const chart = Chart.getChart(canvas);
  if (!chart) return {id: canvas.id, drawn: false};
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return {id: canvas.id, drawn: true, labels: chart.data.labels,
          datasets: chart.data.datasets.map(d => ({label: d.label, data: d.data})), painted};
})"""


def _register(city: Any, year: int) -> None:
    """A 年度 of decisions: 総務課 一般 electronic, 財政課 支出 on paper and electronic, 人事課 定例 both."""
    u = city.units

    def on(month: int) -> dt.date:
        return dt.date(year + (month < 4), month, 15)

    for month, count in ((4, 6), (7, 4), (10, 5), (1, 3)):
        decided(city, section=u.soumu, kind="general", hours=30, on=on(month), count=count)
    decided(city, section=u.zaisei, kind="spending", hours=72, on=on(5), medium=Medium.PAPER, count=3)
    decided(city, section=u.zaisei, kind="spending", hours=50, on=on(9), count=4)
    decided(city, section=u.zaisei, kind="spending", hours=120, on=on(2), count=2)
    decided(city, section=u.jinji, kind="routine", hours=3, on=on(6), count=5)
    decided(city, section=u.jinji, kind="routine", hours=200, on=on(12), medium=Medium.PAPER, count=1)
    SavedTime.objects.create(
        section=u.zaisei,
        occurred_at=timezone.make_aware(dt.datetime.combine(on(6), dt.time(9))),
        kind="automation.jp_pint",
        count=12,
        minutes=600,
        object_type="test",
        object_id="1",
        created_by=city.drafter,
    )


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_the_mayor_sees_every_chart_drawn_and_follows_a_figure_to_its_documents(page, live_server, city):
    year = fiscal_year(timezone.localdate()) - 1  # a whole 年度 behind us
    _register(city, year)
    mayor = city.shicho
    role_grant(actor=SETUP, user=mayor, role=Role.EXECUTIVE, valid_from=SINCE)

    sign_in_session(page, live_server, mayor)
    page.goto("/dashboard/")
    page.get_by_label("年度").fill(str(year))
    page.get_by_role("button", name="表示", exact=True).click()
    page.wait_for_url(re.compile(rf"fiscal_year={year}"))
    page.wait_for_function("() => window.Chart && [...document.querySelectorAll('canvas')].every(Chart.getChart)")

    charts = {chart["id"]: chart for chart in page.evaluate(DRAWN)}
    assert sorted(charts) == sorted(CHARTS)
    for chart in charts.values():
        assert chart["drawn"] and chart["painted"] > 0, chart["id"]
        assert chart["labels"] and chart["datasets"], chart["id"]
        for dataset in chart["datasets"]:
            assert len(dataset["data"]) == len(chart["labels"]), (chart["id"], dataset["label"])
        assert any(value for dataset in chart["datasets"] for value in dataset["data"]), chart["id"]
    electronic, paper = (dataset["data"] for dataset in charts["medium-chart"]["datasets"])
    assert len(electronic) == 12 and sum(electronic) == 29 and sum(paper) == 4
    assert electronic[0] == 6 and paper[1] == 3  # April's and May's bars
    assert charts["paper-chart"]["datasets"][2]["data"][2] == 10  # June's 600 minutes saved, in hours
    assert sorted(charts["section-chart"]["labels"]) == sorted(["総務課", "財政課", "人事課"])
    expect(page.get_by_test_id("figures")).to_contain_text("電子 29 件・紙 4 件")
    assert_no_serious_violations(page)

    # 財政課's paper decisions: the figure's link lists the three documents behind it.
    row = page.get_by_test_id("sections").get_by_role("row").filter(has_text="財政課")
    row.locator('td[data-label="紙決裁"] a').click()
    expect(page.get_by_test_id("count")).to_have_text("閲覧できる文書 3 件")
    listed = page.get_by_test_id("documents").locator("tbody tr")
    expect(listed).to_have_count(3)
    for n in range(3):
        expect(listed.nth(n)).to_contain_text("財政課")
        expect(listed.nth(n)).to_contain_text("紙")
    listed.first.get_by_role("link").click()
    expect(page.get_by_test_id("status")).to_have_text("決裁済")
