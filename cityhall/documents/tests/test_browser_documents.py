"""Browser journeys through the documents screens (Playwright, Debian Chromium) with axe checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.documents import services
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.signing.verify import verify_pdf
from cityhall.testing.accounts import give_password
from cityhall.testing.city import absent
from cityhall.testing.documents import pdf_bytes
from cityhall.testing.web import IMMEDIATE_TASKS, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "鷺沼"


@pytest.fixture
def staff(city):
    """The test city with passwords for the people who sign in."""
    give_password(city.drafter, city.kakaricho, city.kacho, city.hosa)
    return city


def open_document(page, doc: Document) -> None:
    page.goto(f"/documents/{doc.pk}/")


def status_of(page) -> str:
    return page.get_by_test_id("status").inner_text()


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE_TASKS)
def test_draft_phone_approval_proxy_decision_post_review_signed_pdf_and_search(
    page, phone_page, staff, city_signing, tmp_path
):
    city = staff
    attachment = tmp_path / "見積書.pdf"
    attachment.write_bytes(pdf_bytes(f"見積の内訳 {WORD} 出張所"))

    # 起案: the drafter fills the form, sees the route from the delegation rules, attaches a PDF.
    sign_in(page, city.drafter)
    page.goto("/documents/new/")
    assert_no_serious_violations(page)
    page.get_by_label("件名").fill("出張所の備品購入について")
    page.get_by_label("本文").fill("備品を購入する。")
    page.get_by_label("事案の種類").select_option(label="支出")
    page.get_by_label("金額（円）").fill("800,000")
    page.get_by_label("金額（円）").dispatch_event("change")
    page.get_by_label("文書分類").select_option(label=str(city.plan))
    page.get_by_label("添付ファイル").set_input_files(str(attachment))
    assert page.get_by_test_id("decision-label").inner_text() == "課長専決"
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/documents/*/")
    doc = Document.objects.get(title="出張所の備品購入について")
    assert page.get_by_test_id("number").inner_text() == doc.number_label
    assert page.get_by_test_id("attachments").get_by_role("link", name="見積書.pdf").is_visible()
    page.get_by_role("button", name="回議を開始する").click()
    page.wait_for_selector("text=回議を開始しました。")
    assert status_of(page) == "回議中"
    assert_no_serious_violations(page)

    # 係長 approves on a phone-sized screen, from the inbox.
    sign_in(phone_page, city.kakaricho)
    phone_page.goto("/documents/")
    assert_no_serious_violations(phone_page)
    phone_page.get_by_role("link", name="出張所の備品購入について").click()
    phone_page.get_by_role("button", name="承認").click()
    phone_page.wait_for_selector("text=承認しました。")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    # The 課長 is absent: the designated proxy decides (代決).
    absent(city.kacho, proxy=city.hosa)
    sign_in(page, city.hosa)
    open_document(page, doc)
    page.get_by_role("button", name="代決").click()
    page.wait_for_selector("text=代決しました。")
    assert status_of(page) == "決裁済"
    assert "代決" in page.get_by_test_id("approval-column").get_by_test_id("step-state").all_inner_texts()

    # The 課長 later completes the post-review (後閲).
    sign_in(page, city.kacho)
    page.goto("/documents/?tab=post_review")
    page.get_by_role("link", name="出張所の備品購入について").click()
    page.get_by_role("button", name="後閲する").click()
    page.wait_for_selector("text=後閲しました。")
    assert doc.post_reviews.get().done_at is not None

    # The signed PDF downloads and verifies intact.
    with page.expect_download() as download:
        page.get_by_test_id("signed-pdf").click()
    report = verify_pdf(Path(download.value.path()).read_bytes())
    assert report.intact, report.message
    assert page.get_by_role("link", name="署名を検証する").is_visible()

    # Search finds the document by a two-character word from its attachment.
    page.goto("/documents/search/")
    page.get_by_label("キーワード").fill(WORD)
    page.get_by_role("button", name="検索する").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 件")
    expect(page.get_by_role("link", name="出張所の備品購入について")).to_be_visible()
    assert_no_serious_violations(page)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_send_back_fix_and_resubmit(page, staff, submitted):
    city = staff
    doc = submitted(amount=800_000, kind="spending", title="会議室の修繕について")
    sign_in(page, city.kakaricho)
    open_document(page, doc)
    page.get_by_role("button", name="差戻し").click()
    expect(page.get_by_text("理由を入力してください。").first).to_be_visible()
    page.get_by_label("意見・理由").fill("金額の根拠を添付してください。")
    page.get_by_role("button", name="差戻し").click()
    page.wait_for_selector("text=差し戻しました。")

    sign_in(page, city.drafter)
    page.goto("/documents/?tab=sent_back")
    page.get_by_role("link", name="会議室の修繕について").click()
    expect(page.get_by_text("金額の根拠を添付してください。").first).to_be_visible()
    page.get_by_role("link", name="起案を修正する").click()
    page.get_by_label("金額（円）").fill("750000")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_selector("text=起案を修正しました。")
    page.get_by_role("button", name="再回議する").click()
    page.wait_for_selector("text=回議を開始しました。")
    doc.refresh_from_db()
    assert (doc.status, doc.amount, doc.current_round) == (DocumentStatus.CIRCULATING, 750_000, 2)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_pull_back_before_and_after_the_next_approver_acted(page, staff, submitted):
    city = staff
    first = submitted(amount=800_000, kind="spending", title="一件目の起案")
    sign_in(page, city.drafter)
    open_document(page, first)
    page.get_by_role("button", name="引戻し").click()
    page.wait_for_selector("text=引き戻しました。")
    assert status_of(page) == "起案中"

    second = submitted(amount=800_000, kind="spending", title="二件目の起案")
    open_document(page, second)
    services.approve(actor=city.kakaricho, document=second, expected_version=second.version)
    page.get_by_role("button", name="引戻し").click()
    expect(page.get_by_role("alert").first).to_contain_text("変更されています")
    second.refresh_from_db()
    assert second.status == DocumentStatus.CIRCULATING
    assert second.steps.filter(state=StepState.APPROVED, acted_by=city.kakaricho).exists()
    page.reload()
    assert page.get_by_role("button", name="引戻し").count() == 0
