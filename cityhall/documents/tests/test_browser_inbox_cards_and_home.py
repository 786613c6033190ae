"""In a browser: on a phone the inbox shows cards with the full title; the home page lists the day's work."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = pytest.mark.django_db(transaction=True)
LONG_TITLE = "令和8年度みどり野市総合計画後期基本計画の策定に係る市民意識調査業務委託について"


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_on_a_phone_the_inbox_shows_cards_with_the_full_title_amount_and_status(
    phone_page, live_server, city, submitted
):
    submitted(title=LONG_TITLE, amount=2_420_000, kind="spending")
    sign_in_session(phone_page, live_server, city.kakaricho)
    phone_page.goto("/documents/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    title = phone_page.get_by_test_id("inbox-title").first
    expect(title).to_have_text(LONG_TITLE)
    box = title.bounding_box()
    assert box is not None and box["width"] >= 300  # the card's whole width, not two characters a line
    assert title.evaluate("el => el.scrollWidth <= el.clientWidth")
    amount = phone_page.get_by_test_id("inbox-amount").first
    expect(amount).to_have_text("2,420,000円")
    assert amount.evaluate("el => el.getClientRects().length === 1 && getComputedStyle(el).whiteSpace === 'nowrap'")
    expect(phone_page.get_by_test_id("inbox-status").first).to_have_text("回議中")
    assert_no_serious_violations(phone_page)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_the_home_page_lists_what_waits_and_passes_axe(page, live_server, city, submitted):
    submitted(title="課長の処理待ち", amount=120_000, kind="spending")
    sign_in_session(page, live_server, city.kakaricho)
    page.goto("/")
    panel = page.locator('[data-panel="documents-waiting"]')
    expect(panel).to_contain_text("課長の処理待ち")
    expect(panel).to_contain_text("120,000円")
    expect(page.get_by_test_id("shell-inbox-link")).to_have_text("未処理 1 件")
    assert_no_serious_violations(page)
    page.get_by_test_id("shell-inbox-link").click()
    expect(page.get_by_test_id("inbox-waiting")).to_have_text("未処理 1 件（処理待ち 1 件・後閲 0 件）")
    assert_no_serious_violations(page)
