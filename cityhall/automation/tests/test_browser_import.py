"""In a browser: a folder of invoices uploaded, the report read, the order opened, the hours counted."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityhall.automation.einvoice.samples import Item, jp_pint_xml
from cityhall.automation.services.defaults import supplier_default_set
from cityhall.finance.models import OrderKind, PaymentOrder
from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _write(folder, number: str, **kw) -> str:
    path = folder / f"{number}.xml"
    path.write_bytes(
        jp_pint_xml(
            number=number,
            registration_number="T7000012050002",
            items=(Item("コピー用紙", 100_000), Item("茶菓", 5_000, 8)),
            payee_account="0001:001:1:1234567",
            **kw,
        )
    )
    return str(path)


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE)
def test_invoices_uploaded_in_the_browser_become_one_order_and_a_refusal(
    page, live_server, city, budget, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    supplier_default_set(actor=budget.staff, creditor=budget.creditor, line=budget.line)
    files = [_write(tmp_path, "J-1"), _write(tmp_path, "J-2"), _write(tmp_path, "J-3", payable_delta=10)]

    sign_in_session(page, live_server, city.drafter)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="請求書の取込").first.click()
    page.get_by_label("請求書ファイル（JP PINT の XML、CSV、Excel）").set_input_files(files)
    page.get_by_role("button", name="取り込む").click()
    page.get_by_test_id("job-summary").wait_for()
    assert "3件中 受付 2件・不受理 1件" in page.get_by_test_id("job-summary").inner_text()
    refused = page.locator('[data-accepted="0"]')
    assert "J-3.xml" in refused.inner_text() and "請求額（PayableAmount）" in refused.inner_text()
    assert_no_serious_violations(page)

    order = PaymentOrder.objects.get()
    assert (order.kind, order.total_amount, order.lines.count()) == (OrderKind.COMBINED, 230_800, 4)
    page.locator('[data-accepted="1"]').first.get_by_role("link", name="支出命令を起案").click()
    page.wait_for_url(f"**/finance/payments/{order.pk}/")
    assert "230,800円" in page.content()

    page.goto(f"{live_server.url}/automation/hours-saved/")
    assert page.get_by_test_id("hours-total").inner_text() == "合計 0.2 時間"
