"""In a browser, the issue's journey: a clerk requests a telework day on the request screen and starts its
circulation, the 係長 (who decides it, 係長専決) approves it from the inbox, and the 課's calendar shows the
clerk working from home that day."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.core.japanese.business_days import business_day_on_or_after
from cityhall.telework.models import TeleworkRequest
from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _cell(page: Any, username: str, day: dt.date) -> Any:
    """The calendar's cell of ``username`` on ``day`` (the column whose heading is that day)."""
    days = (
        page.get_by_test_id("telework-calendar")
        .locator("thead time")
        .evaluate_all("times => times.map(t => t.getAttribute('datetime'))")
    )
    return page.locator(f'tr[data-user="{username}"] td').nth(days.index(day.isoformat()))


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_a_clerk_requests_a_telework_day_the_kakaricho_approves_it_and_the_calendar_shows_it(page, live_server, city):
    clerk, kakaricho = city.drafter, city.kakaricho
    day = business_day_on_or_after(timezone.localdate() + dt.timedelta(days=9), "city")  # an open day next week or so

    sign_in_session(page, live_server, clerk)
    page.goto("/telework/requests/")
    page.get_by_label("テレワークをする日").fill(day.strftime("%Y/%m/%d"))
    page.get_by_label("実施する業務").fill("例規集の改訂案の確認\n議会答弁資料の作成")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="申請を作成する").click()
    expect(page.get_by_text("申請を作成しました。")).to_be_visible()
    request = TeleworkRequest.objects.get(person=clerk)
    assert page.url.endswith(f"/documents/{request.document_id}/")
    expect(page.get_by_test_id("decision-label")).to_have_text("係長専決")  # the route the request will take
    expect(page.locator("#route-preview li")).to_have_text(re.compile(rf"決裁：\s*\S+ 係長 {kakaricho.full_name}"))
    page.get_by_role("button", name="回議を開始する").click()
    expect(page.get_by_text("回議を開始しました。")).to_be_visible()
    page.goto(f"/telework/calendar/?start={day.isoformat()}")
    expect(_cell(page, clerk.username, day)).to_have_attribute("data-state", "pending")  # 申請中 until decided

    sign_in_session(page, live_server, kakaricho)
    page.goto("/documents/")
    page.get_by_role("link", name=request.document.title).click()
    content = page.get_by_test_id("typed-content")
    for fact in ("例規集の改訂案の確認", "09:00", "17:45"):
        expect(content).to_contain_text(fact)
    page.get_by_role("button", name="承認", exact=True).click()
    expect(page.get_by_text("承認しました。")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("決裁済")

    page.goto(f"/telework/calendar/?start={day.isoformat()}")
    cell = _cell(page, clerk.username, day)
    expect(cell).to_have_attribute("data-state", "telework")
    expect(cell).to_have_text("テレワーク")
    others = page.locator(f'tr:not([data-user="{clerk.username}"]) td[data-state="telework"]')
    expect(others).to_have_count(0)
    assert_no_serious_violations(page)
