"""Browser journey: the 文書主管 generates a disposal list, selects a 歴史公文書, the list is decided with
合議, and the disposed record is gone from search and says 廃棄済 while the transferred one's package downloads."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.documents.models import DisposalListItem, Document
from cityhall.testing.disposal import ENDED, expired_record
from cityhall.testing.web import IMMEDIATE_TASKS, assert_no_serious_violations, sign_in_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE_TASKS)
def test_generate_select_decide_and_the_record_is_gone(page, live_server, city, city_signing, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clerk = city.outsider  # 人事課: the records are that section's
    gone = expired_record(city, by=clerk, title="職員研修の受講者照会")
    kept = expired_record(city, by=clerk, title="人事制度改革の記録", attachment=None)

    sign_in_session(page, live_server, city.docmgr)
    page.goto("/documents/disposal/new/")
    page.fill("#id_due_by", ENDED.isoformat())
    page.select_option("#id_section", str(city.units.jinji.pk))
    page.get_by_role("button", name="作成する").click()
    page.wait_for_url("**/documents/disposal/*/")
    listing = Document.objects.get(doc_type="documents.disposal_list")
    item = DisposalListItem.objects.get(disposal_list=listing, record=kept)
    page.select_option(f"#action-{item.pk}", "transfer")  # 歴史公文書
    page.get_by_role("button", name="廃棄・移管の区分を保存").click()
    expect(page.locator(f"#action-{item.pk}")).to_have_value("transfer")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="回議に回す").click()
    page.wait_for_url(f"**/documents/{listing.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("回議中")

    for person, button in ((city.jinji_kacho, "合議に合意"), (city.kacho, "承認")):  # 人事課 合議, 総務課長 決裁
        sign_in_session(page, live_server, person)
        page.goto(f"/documents/{listing.pk}/")
        page.get_by_role("button", name=button).click()
        page.wait_for_url(f"**/documents/{listing.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("決裁済")  # the carry-out ran on the decision's commit

    sign_in_session(page, live_server, city.docmgr)
    page.goto("/documents/search/?q=職員研修の受講者照会")
    expect(page.get_by_test_id("result-count")).to_have_text("0 件")
    page.goto(f"/documents/{gone.pk}/")
    expect(page.get_by_test_id("disposition")).to_have_text("廃棄済")
    expect(page.get_by_test_id("disposal-list")).to_have_text(listing.number_label)
    assert_no_serious_violations(page)
    page.goto(f"/documents/disposal/{listing.pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("package").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as package:
        manifest = json.loads(package.read("manifest.json"))
    assert [r["number"] for r in manifest["records"]] == [kept.number_label]
