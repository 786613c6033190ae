"""In a browser, the issue's journey: the demo folder of mixed invoices uploaded, the progress bar, the report
with its two refusals, the orders approved in bulk from the inbox, the 会計管理者's queue with each order's
source invoices, the minutes saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.accounts.models import User
from cityhall.automation.demo import CSV_FILE, DUPLICATE, WRONG_TOTAL, Suppliers, suppliers_set_up, write_folder
from cityhall.automation.models import ImportJob
from cityhall.automation.services.job_runs import run_import_job
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.finance.models import PaymentOrder
from cityhall.testing.engine import submit
from cityhall.testing.finance import make_demo_creditor, make_treasurer
from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# The worker is the test itself (``run_import_job``), so the page shows the job waiting first.
QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _bulk_approve_as_the_route_goes(page, live_server, documents: list[Document]) -> list[User]:
    """Each holder of a waiting step approves every document waiting for them at once (一括承認), in the
    route's order; who approved."""
    approvers: list[User] = []
    while True:
        waiting: dict[User, list[Document]] = {}
        for doc in Document.objects.filter(pk__in=[d.pk for d in documents], status=DocumentStatus.CIRCULATING):
            pending = doc.steps.filter(round=doc.current_round, state=StepState.PENDING).select_related("assignee")
            for step in pending:
                waiting.setdefault(step.assignee, []).append(doc)
        if not waiting:
            return approvers
        approver, docs = next(iter(waiting.items()))
        sign_in_session(page, live_server, approver)
        page.goto(f"{live_server.url}/documents/")
        for doc in docs:
            page.locator(f"#select-{doc.pk}").check()
        page.get_by_role("button", name="選択した文書を一括承認").click()
        expect(page.get_by_test_id("bulk-results")).to_contain_text(f"成功 {len(docs)} 件、失敗 0 件")
        approvers.append(approver)


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=QUEUED)
def test_the_demo_folder_goes_from_upload_to_the_accounting_managers_queue(
    page, live_server, city, budget, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    phone, printer = make_demo_creditor(budget, "D0006"), make_demo_creditor(budget, "D0014")
    suppliers = Suppliers((budget.creditor,), phone, printer)
    lines = {creditor: budget.line for creditor in (budget.creditor, phone, printer)}
    suppliers_set_up(keeper=budget.staff, suppliers=suppliers, lines=lines)
    files = write_folder(tmp_path / "demo-invoices", suppliers, timezone.localdate() - dt.timedelta(days=3))
    treasurer = make_treasurer()

    # The clerk uploads the whole folder (no supplier chosen) and watches the job until the worker is done.
    sign_in_session(page, live_server, city.drafter)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="請求書の取込").first.click()
    page.get_by_label("請求書ファイル（JP PINT の XML、CSV、Excel）").set_input_files([str(f) for f in files])
    page.get_by_role("button", name="取り込む").click()
    progress = page.get_by_test_id("job-progress")
    expect(progress).to_have_attribute("data-status", "queued")
    expect(progress.get_by_role("progressbar")).to_have_attribute("value", "0")
    run_import_job(ImportJob.objects.get().pk)
    expect(progress).to_have_attribute("data-status", "done")  # htmx polls every second
    expect(progress.get_by_role("progressbar")).to_have_attribute("value", "100")
    progress.get_by_test_id("show-report").click()

    # The report: seven invoices accepted, the duplicate and the wrong total refused with their reasons.
    expect(page.get_by_test_id("job-summary")).to_contain_text("9件中 受付 7件・不受理 2件")
    refused = page.locator('[data-accepted="0"]')
    expect(refused).to_have_count(2)
    number = budget.creditor.invoice_registration_number
    expect(refused.filter(has_text=DUPLICATE)).to_contain_text(
        f"同じ請求書（登録番号・請求書番号）が既に取り込まれています（{number}・INV-2026-0101）。"
    )
    expect(refused.filter(has_text=WRONG_TOTAL)).to_contain_text(
        "請求額（PayableAmount）は税込合計額 − 支払済額 + 端数調整額 = 19,800円 のはずが、19,900円 です。"
    )
    assert_no_serious_violations(page)

    # One order per supplier and payment date; the clerk starts their routes, the route approves them in bulk.
    orders = list(PaymentOrder.objects.order_by("pk"))
    assert [o.source_invoices.count() for o in orders] == [3, 2, 2]  # JP PINT, the CSV, the Excel sheet
    documents = [submit(order) for order in orders]
    approvers = _bulk_approve_as_the_route_goes(page, live_server, documents)
    assert approvers[-1] == city.kacho  # 課長専決
    assert {d.status for d in Document.objects.filter(pk__in=[d.pk for d in documents])} == {DocumentStatus.DECIDED}

    # The 会計管理者's queue: every order, each with links to the originals of its invoices.
    sign_in_session(page, live_server, treasurer)
    page.goto(f"{live_server.url}/")
    review = page.get_by_role("link", name="会計管理者審査")
    expect(review.get_by_test_id("nav-count")).to_have_text("3件")
    review.click()
    items = page.get_by_test_id("review-item")
    expect(items).to_have_count(3)
    expect(items.get_by_test_id("order-sources").get_by_role("link")).to_have_count(7)
    assert_no_serious_violations(page)
    items.get_by_role("link", name="請求書 MT-2611-0001（みどり野通信株式会社）の原本").click()
    expect(page.get_by_test_id("original-xml")).to_contain_text("電話基本料（企画政策課 4回線）")  # Shift_JIS, read
    expect(page.get_by_text(CSV_FILE)).to_be_visible()

    # The clerk's hours saved: 3 JP PINT × 6 min + 4 CSV and Excel invoices × 4 min.
    sign_in_session(page, live_server, city.drafter)
    page.goto(f"{live_server.url}/automation/hours-saved/")
    expect(page.get_by_test_id("hours-total")).to_have_text("合計 34 分（0.6 時間）")
