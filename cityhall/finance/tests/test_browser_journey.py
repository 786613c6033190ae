"""The finance journey in a real browser (Playwright, Debian Chromium) with axe checks.

A clerk of 総務課 encumbers ¥800,000 of 需用費, the 課長 decides it, the clerk
issues the payment order, the 課長 decides it, the accounting manager approves
it in the review queue, exports the 全銀 file after confirming count and total and marks the batch paid; the
execution report shows the line's remaining balance down by exactly ¥800,000.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.accounts.models import User
from cityhall.core.japanese import next_bank_business_day
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.finance.models import BatchStatus, Encumbrance, PaymentOrder
from cityhall.finance.zengin import read_zengin
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.web import IMMEDIATE_TASKS, PASSWORD, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def approve_up_to_the_kacho(document: Document, kacho: User) -> None:
    """The steps before the 課長 (係長) approve through the engine; the 課長 acts in the browser."""
    doc = Document.objects.get(pk=document.pk)
    while doc.status == DocumentStatus.CIRCULATING:
        step = doc.steps.get(round=doc.current_round, state=StepState.PENDING)
        if step.assignee_id == kacho.pk:
            return
        doc = docs.approve(actor=step.assignee, document=doc, expected_version=doc.version)


def decide_in_browser(page, document: Document, kacho: User) -> None:
    approve_up_to_the_kacho(document, kacho)
    sign_in(page, kacho)
    page.goto(f"/documents/{document.pk}/")
    page.get_by_role("button", name="承認", exact=True).click()
    page.wait_for_selector("text=承認しました。")
    assert page.get_by_test_id("status").inner_text() == "決裁済"


def start_route(page) -> None:
    page.get_by_test_id("document-link").click()
    page.get_by_role("button", name="回議を開始する").click()
    page.wait_for_selector("text=回議を開始しました。")


def report_remaining(page, line_pk: int) -> int:
    """The 残額 of the line on the execution report's drill-down (予算執行状況の内訳)."""
    page.goto(f"/finance/reports/lines/{line_pk}/")
    headers = page.locator("table.fin-table thead th").all_inner_texts()
    column = next(i for i, text in enumerate(headers) if text.startswith("残額"))
    cell = page.locator("table.fin-table tbody tr").first.locator("th, td").nth(column).inner_text()
    return int(re.sub(r"[^\d-]", "", cell))


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE_TASKS)
def test_encumber_order_review_export_pay_and_report(page, city, budget, settings, tmp_path: Path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    org_services.role_grant(actor=SETUP, user=city.jinji_kacho, role=Role.TREASURER, valid_from=SINCE)
    treasurer = city.jinji_kacho
    for user in (city.drafter, city.kacho, treasurer):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    today = timezone.localdate()
    pay_day = next_bank_business_day(today)

    # The clerk of 総務課 encumbers ¥800,000 of 需用費, seeing the available balance live.
    sign_in(page, city.drafter)
    before = report_remaining(page, budget.line.pk)
    page.get_by_role("link", name="支出負担行為", exact=True).click()
    expect(page.get_by_role("link", name="支出負担行為を起案する")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("link", name="支出負担行為を起案する").click()
    page.locator("#id_title").fill("消耗品（コピー用紙等）の購入について")
    page.locator("#id_line").select_option(value=str(budget.line.pk))
    page.get_by_test_id("available").wait_for()
    assert page.get_by_test_id("available").inner_text() == "3,000,000円"
    page.locator("#id_creditor").select_option(value=str(budget.creditor.pk))
    page.locator("#id_amount").fill("800,000")
    page.locator("#id_amount").dispatch_event("change")
    page.get_by_test_id("decision-label").filter(has_text="課長専決").wait_for()  # the route, before saving
    page.locator("#id_contract_method").select_option(label="随意契約")
    page.locator("#id_negotiated_ground").select_option(value="1")  # 少額: within ¥1,500,000 for a purchase
    assert_no_serious_violations(page)
    page.get_by_role("button", name="保存する").click()
    page.wait_for_selector("text=支出負担行為を起案しました")
    encumbrance = Encumbrance.objects.get()
    assert page.get_by_test_id("amount").inner_text() == "800,000円"
    assert_no_serious_violations(page)
    start_route(page)
    assert page.get_by_test_id("decision-label").inner_text() == "課長専決"

    # The 課長 decides it (課長専決 under ¥1,000,000).
    decide_in_browser(page, encumbrance.document, city.kacho)

    # The clerk issues the payment order from the decided encumbrance.
    sign_in(page, city.drafter)
    page.goto(f"/finance/encumbrances/{encumbrance.pk}/")
    page.get_by_role("link", name="支出命令を起こす").click()
    expect(page.locator("#id_encumbrance")).to_be_visible()
    expect(page.locator("#id_line")).to_be_hidden()
    page.get_by_label("集合支出命令").check()  # the kind shows the field it uses
    expect(page.locator("#id_line")).to_be_visible()
    expect(page.locator("#id_encumbrance")).to_be_hidden()
    page.get_by_label("支出命令", exact=True).check()
    page.locator("#id_title").fill("消耗品（コピー用紙等）の代金の支払について")
    page.locator("#id_payment_date").fill(pay_day.isoformat())
    page.locator("#id_inspection_date").fill(today.isoformat())
    page.locator("#id_inspector").select_option(label="主野 太郎")  # 検査員: not the one who ordered
    page.locator("#id_invoice_received_on").fill(today.isoformat())
    # The first line comes filled from the encumbrance: its creditor and the amount not yet ordered.
    assert page.locator("#id_lines-0-creditor").input_value() == str(budget.creditor.pk)
    assert page.locator("#id_lines-0-amount").input_value() == "800,000"
    page.get_by_role("button", name="明細を追加").click()
    page.locator("#id_lines-2-amount").wait_for()  # one more (empty) row came through htmx
    assert page.locator("#id_lines-TOTAL_FORMS").input_value() == "3"
    assert_no_serious_violations(page)
    page.get_by_role("button", name="保存する").click()
    page.wait_for_selector("text=支出命令を起案しました")
    order = PaymentOrder.objects.get()
    assert page.get_by_test_id("total").inner_text() == "800,000円"
    assert "72,727円" in page.get_by_test_id("tax-totals").inner_text()  # 800,000 × 10/110
    assert_no_serious_violations(page)
    start_route(page)

    # The 課長 decides the order.
    decide_in_browser(page, order.document, city.kacho)

    # The accounting manager approves it in the review queue, exports the 全銀 file, marks it paid.
    sign_in(page, treasurer)
    review_link = page.get_by_role("link", name=re.compile("会計管理者審査"))
    assert review_link.get_by_test_id("nav-count").inner_text().startswith("1")
    review_link.click()
    expect(page.get_by_test_id("checks")).to_be_visible()
    expect(page.get_by_test_id("checks")).not_to_contain_text("否")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="審査済にする").click()
    page.wait_for_selector("text=審査済にしました。")
    page.get_by_role("link", name="支払データ", exact=True).first.click()
    expect(page.get_by_test_id("batches")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_test_id("batches").get_by_role("link").first.click()
    expect(page.get_by_role("link", name="振込データを出力")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("link", name="振込データを出力").click()  # asks to confirm the count and total first
    expect(page.get_by_test_id("confirm-total")).to_have_text("800,000円")
    page.get_by_role("button", name="この内容で出力する").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("振込データ出力済")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="振込データをダウンロード").click()
    parsed = read_zengin(io.BytesIO(Path(download_info.value.path()).read_bytes()), year=pay_day.year)
    assert (parsed.count, parsed.total, parsed.header.transfer_date) == (1, 800_000, pay_day)
    assert parsed.transfers[0].account_number == "1234567"
    page.get_by_role("button", name="支払済にする").click()
    page.wait_for_selector("text=支払済にしました。")
    assert page.get_by_test_id("batch-status").inner_text() == "支払済"
    order.refresh_from_db()
    assert order.batch is not None and order.batch.status == BatchStatus.PAID

    # The execution report: the line's remaining balance dropped by exactly the amount.
    sign_in(page, city.drafter)
    after = report_remaining(page, budget.line.pk)
    assert before - after == 800_000
    assert_no_serious_violations(page)
