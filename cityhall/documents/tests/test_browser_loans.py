"""Browser journey through 借覧: the 文書主管 lends a paper record, it shows as overdue, and is returned."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.documents.models import RecordLoan
from cityhall.testing.accounts import give_password
from cityhall.testing.records import paper_record, storage_box
from cityhall.testing.web import assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_lend_a_paper_record_see_it_overdue_and_take_it_back(page, city):
    record = paper_record(city)
    box = storage_box(city)
    give_password(city.docmgr)
    sign_in(page, city.docmgr)

    page.goto(f"/documents/{record.pk}/")
    page.get_by_test_id("record-storage-link").click()
    page.wait_for_url(f"**/documents/{record.pk}/storage/")
    page.select_option("#id_box", str(box.pk))
    page.get_by_role("button", name="この箱に入れる").click()
    expect(page.get_by_test_id("location")).to_have_text(box.place_text)

    today = timezone.localdate()
    page.select_option("#id_borrower", str(city.kacho.pk))
    page.fill("#id_purpose", "議会答弁の準備")
    page.fill("#id_lent_on", (today - dt.timedelta(days=14)).isoformat())
    page.fill("#id_due_on", (today - dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="貸し出す").click()
    expect(page.get_by_test_id("loan-state")).to_contain_text("返却期限切れ")
    assert_no_serious_violations(page)

    page.get_by_role("link", name="書庫・借覧").first.click()  # the menu entry, with the overdue badge
    page.get_by_test_id("overdue-link").click()
    expect(page.get_by_test_id("loans")).to_contain_text(record.title)
    expect(page.get_by_test_id("overdue-count")).to_have_text("1")
    assert_no_serious_violations(page)
    if os.environ.get("CITYHALL_SCREENSHOTS"):
        page.screenshot(path=os.environ["CITYHALL_SCREENSHOTS"] + "/loans-overdue.png", full_page=True)
    page.get_by_role("button", name=f"{record.number_label}の返却を記録").click()
    expect(page.get_by_test_id("result-count")).to_have_text("0 件")
    loan = RecordLoan.objects.get()
    assert (loan.returned_on, loan.returned_to) == (today, city.docmgr)
