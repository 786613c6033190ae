"""源泉徴収 in a real browser: a lawyer's fee drafted with its 源泉区分 shows ¥11,231 withheld; once paid, the
会計管理者 finds it in the 歳計外現金 ledger from the 支払データ page, by month and by creditor."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.core.japanese import next_bank_business_day
from cityhall.finance.models import PaymentOrder
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.review import order_review_approve
from cityhall.testing.engine import decide
from cityhall.testing.web import IMMEDIATE_TASKS, PASSWORD, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE_TASKS)
def test_a_lawyers_fee_withheld_on_screen_and_found_in_the_ledger(
    page, city, budget, suzuki, treasurer, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for user in (city.drafter, treasurer):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    today = timezone.localdate()

    sign_in(page, city.drafter)
    page.goto("/finance/payments/new/")
    page.get_by_label("支出負担行為兼支出命令").check()
    page.locator("#id_line").select_option(value=str(budget.line.pk))
    page.locator("#id_title").fill("法律相談の報酬の支払について")
    page.locator("#id_payment_date").fill(next_bank_business_day(today).isoformat())
    page.locator("#id_inspection_date").fill(today.isoformat())
    page.locator("#id_inspector").select_option(label="主野 太郎")
    page.locator("#id_invoice_received_on").fill(today.isoformat())
    page.locator("#id_lines-0-creditor").select_option(value=str(suzuki.pk))
    page.locator("#id_lines-0-amount").fill("110,000")
    page.locator("#id_lines-0-withholding_kind").select_option(value="professional")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="保存する").click()
    page.wait_for_selector("text=支出命令を起案しました")
    expect(page.get_by_test_id("withholding-kind")).to_contain_text("弁護士・税理士")
    expect(page.locator("body")).to_contain_text("11,231円")

    order = PaymentOrder.objects.get()
    assert (order.withholding_amount, order.payment_amount) == (11_231, 98_769)
    decide(order)
    batch = order_review_approve(actor=treasurer, order=order).batch
    assert batch is not None
    batch_export(actor=treasurer, batch=batch)
    batch_mark_paid(actor=treasurer, batch=batch)

    sign_in(page, treasurer)
    page.goto("/finance/batches/")
    page.get_by_role("link", name="歳計外現金（源泉所得税）").click()
    expect(page.get_by_test_id("withholding-balance")).to_contain_text("11,231円")
    assert_no_serious_violations(page)
    page.get_by_test_id("withholding-month").get_by_role("link").click()
    expect(page.get_by_test_id("withholding-by-creditor")).to_contain_text("鈴木一郎")
    expect(page.get_by_test_id("withholding-entries")).to_contain_text("110,000円")
    assert_no_serious_violations(page)
