"""In a browser: the review card shows where each order pays; exporting confirms the figures, then shows the file."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.finance.models import PaymentBatch
from cityhall.testing.finance import BATCH_TOTAL
from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("zengin_files")]


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_the_review_card_shows_the_payee_bank_and_masked_account(page, live_server, budget, treasurer, decided_order):
    decided_order()
    sign_in_session(page, live_server, treasurer)
    page.goto("/finance/review/")
    payee = page.get_by_test_id("payee").first
    expect(payee).to_contain_text("株式会社ヤマダ商事")
    expect(payee).to_contain_text("みずほ（0001）")
    expect(payee.get_by_test_id("payee-account")).to_have_text("***4567")
    expect(payee.get_by_test_id("payee-check")).to_have_text("適")
    assert_no_serious_violations(page)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_export_asks_for_confirmation_then_shows_the_batch_exported_with_its_file(page, live_server, batch, treasurer):
    sign_in_session(page, live_server, treasurer)
    page.goto("/finance/batches/")
    row = page.get_by_test_id("batch-row").first
    expect(row.get_by_test_id("batch-count")).to_have_text("3 件")
    expect(row.get_by_test_id("batch-total")).to_have_text(f"{BATCH_TOTAL:,}円")
    assert_no_serious_violations(page)
    row.get_by_role("link").first.click()
    page.get_by_test_id("export").click()
    expect(page.get_by_test_id("confirm-count")).to_have_text("3 件")
    expect(page.get_by_test_id("confirm-total")).to_have_text(f"{BATCH_TOTAL:,}円")
    assert PaymentBatch.objects.get(pk=batch.pk).status == "open"  # nothing written before confirming
    assert_no_serious_violations(page)
    page.get_by_test_id("export-confirm").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("振込データ出力済")
    expect(page.get_by_text(f"振込データを出力しました（3件、{BATCH_TOTAL:,}円）。")).to_be_visible()
    file_name = PaymentBatch.objects.get(pk=batch.pk).download_name
    expect(page.get_by_test_id("batch-file")).to_have_text(file_name)
    expect(page.get_by_test_id("download")).to_be_visible()
    assert page.get_by_test_id("export").count() == 0
    assert_no_serious_violations(page)
