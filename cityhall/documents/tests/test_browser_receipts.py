"""Browser journey through 収受 (register, 供覧, 回答を起案) and マイルート, with axe checks."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.accounts.models import User
from cityhall.documents.models import Document, Receipt, RouteStep, SavedRoute
from cityhall.testing.accounts import give_password
from cityhall.testing.web import assert_no_serious_violations
from cityhall.testing.web import sign_in as sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user: User) -> None:
    """Sign in as a member of the test city, who gets a password first."""
    give_password(user)
    sign_in_as(page, user)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_receive_circulate_answer_and_submit_with_a_saved_route(page, city):
    sign_in(page, city.drafter)
    page.goto("/documents/receipts/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="収受を登録する").click()
    page.locator("#id_reply_needed").check()
    page.get_by_role("button", name="登録する").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("発信者を入力してください")
    assert "回答が必要な場合は回答期限を入力してください" in summary.inner_text()
    assert_no_serious_violations(page)
    assert Receipt.objects.count() == 0
    page.fill("#id_sender", "みどり県総務部長")
    page.fill("#id_title", "統計調査への協力について")
    page.fill("#id_reply_deadline", "2099-03-31")
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url("**/documents/receipts/*/")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="供覧する").click()
    expect(page.get_by_test_id("circulated")).to_contain_text("供覧済")
    page.get_by_role("link", name="回答を起案").click()
    expect(page.locator("#id_title")).to_have_value("「統計調査への協力について」について（回答）")
    page.select_option("#id_matter_kind", str(city.kinds["general"].pk))
    page.select_option("#id_file_plan_class", str(city.plan.pk))
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/documents/*/")
    answer = Document.objects.get()
    assert Receipt.objects.get().answered_by == answer

    page.goto("/documents/saved-routes/")
    page.fill("#id_name", "財政課に合議")
    page.select_option("#id_consult_units", str(city.units.zaisei.pk))
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url("**/documents/saved-routes/")
    assert "財政課に合議" in page.locator("table").inner_text()
    assert_no_serious_violations(page)
    route = SavedRoute.objects.get()

    page.goto(f"/documents/{answer.pk}/")
    page.select_option("#id_saved_route", str(route.pk))
    page.get_by_role("button", name="回議を開始する").click()
    page.wait_for_url(f"**/documents/{answer.pk}/")
    assert page.get_by_test_id("status").inner_text() == "回議中"
    assert RouteStep.objects.filter(document=answer, kind="consult", unit=city.units.zaisei).exists()
