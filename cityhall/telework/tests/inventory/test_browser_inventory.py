"""In a browser, the issue's journey: a section head fills in the task inventory and sees a task become
ready once the section's decisions of its kind moved to e-approval."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.telework.models import InventoryTask
from cityhall.testing.documents import draft_document
from cityhall.testing.engine import decide
from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_a_section_head_fills_in_the_inventory_and_sees_tasks_become_ready(page, live_server, city):
    section = city.units.soumu.pk
    sign_in_session(page, live_server, city.kacho)
    page.goto(f"{live_server.url}/telework/inventory/")
    page.get_by_role("link", name="総務課").click()
    page.get_by_label("業務名").fill("例規の審査")
    page.get_by_label("年間業務時間").fill("1200")
    page.get_by_label("押印・紙の決裁が必要").check()
    page.get_by_label("決裁する事案の種類").select_option("general")
    page.get_by_role("button", name="追加する").click()
    task = InventoryTask.objects.get(section_id=section, name="例規の審査")
    row = page.get_by_test_id(f"task-{task.pk}")
    expect(row.get_by_test_id("readiness")).to_have_text("不可")
    expect(row).to_contain_text("電子決裁の記録がまだありません")
    assert_no_serious_violations(page)

    decide(draft_document(city, kind="general"))  # the section's decisions of the kind, now in e-approval
    page.reload()
    expect(row.get_by_test_id("readiness")).to_have_text("可")
    expect(row).to_contain_text("押印・紙の決裁: 解消")
