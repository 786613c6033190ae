"""A sent-back encumbrance corrected on screen and resubmitted, in a real browser (差戻し → 修正する → 再回議)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.finance.models import Encumbrance
from cityhall.testing.web import IMMEDIATE_TASKS, PASSWORD, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE_TASKS)
def test_send_back_correct_and_resubmit(page, city, budget, encumber):
    enc = encumber(amount=800_000)
    doc = docs.submit(actor=city.drafter, document=enc.document, expected_version=enc.document.version)
    approver = doc.steps.get(round=doc.current_round, state=StepState.PENDING).assignee
    for user in (city.drafter, approver):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])

    # The first approver sends it back with a reason.
    sign_in(page, approver)
    page.goto(f"/documents/{doc.pk}/")
    page.get_by_label("意見・理由").fill("見積りを取り直して金額を見直してください。")
    page.get_by_role("button", name="差戻し", exact=True).click()
    expect(page.get_by_text("差し戻しました。")).to_be_visible()

    # The drafter goes from the document's edit page to the encumbrance's correction page.
    sign_in(page, city.drafter)
    page.goto(f"/documents/{doc.pk}/edit/")
    page.get_by_test_id("typed-screen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("支出負担行為の修正")
    expect(page.get_by_test_id("sent-back-note")).to_contain_text("見積りを取り直して金額を見直してください。")
    expect(page.get_by_test_id("available")).to_have_text("3,000,000円")
    assert page.locator("#id_amount").input_value() == "800,000"
    assert_no_serious_violations(page)
    page.locator("#id_amount").fill("3,500,000")  # over the balance: the error names the field
    page.get_by_role("button", name="保存する").click()
    expect(page.locator("#id_amount_error")).to_contain_text("予算残額が不足しています")
    expect(page.locator("#error-summary")).to_contain_text("金額（円）")
    page.locator("#id_amount").fill("650,000")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("支出負担行為を修正しました。")).to_be_visible()
    expect(page.get_by_test_id("amount")).to_have_text("650,000円")

    # Resubmitted from the document page (再回議), it circulates again and can no longer be corrected.
    page.get_by_test_id("document-link").click()
    page.get_by_role("button", name="再回議する").click()
    expect(page.get_by_text("回議を開始しました。")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("回議中")
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.CIRCULATING
    assert Encumbrance.objects.get(pk=enc.pk).amount == 650_000
    page.goto(f"/finance/encumbrances/{enc.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("回議中")
    expect(page.get_by_test_id("edit-link")).to_have_count(0)
