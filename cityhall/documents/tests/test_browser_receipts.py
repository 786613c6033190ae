"""Browser journeys through 収受 (register, import, 供覧 and 閲, 回答を起案) and マイルート, with axe checks."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.accounts.models import User
from cityhall.documents import services
from cityhall.documents.models import Document, Receipt, RouteStep, SavedRoute
from cityhall.testing.accounts import give_password
from cityhall.testing.documents import pdf_bytes
from cityhall.testing.tables import csv_bytes
from cityhall.testing.web import assert_no_serious_violations, sign_in_session
from cityhall.testing.web import sign_in as sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user: User) -> None:
    """Sign in as a member of the test city, who gets a password first."""
    give_password(user)
    sign_in_as(page, user)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_receive_circulate_answer_and_submit_with_a_saved_route(page, city):
    sign_in(page, city.drafter)
    page.goto("/documents/receipts/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="収受を登録する").click()
    page.locator("#id_reply_needed").check()
    page.get_by_role("button", name="登録する").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("発信者を入力してください")
    assert "回答が必要な場合は回答期限を入力してください" in summary.inner_text()
    assert_no_serious_violations(page)
    assert Receipt.objects.count() == 0
    page.fill("#id_sender", "みどり県総務部長")
    page.fill("#id_title", "統計調査への協力について")
    page.fill("#id_reply_deadline", "2099-03-31")
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url("**/documents/receipts/*/")
    assert_no_serious_violations(page)
    page.get_by_label("文書法制係 係長 係川 太郎").check()
    page.get_by_role("button", name="供覧する").click()
    expect(page.get_by_test_id("circulated")).to_contain_text("供覧中")
    page.get_by_role("link", name="回答を起案").click()
    expect(page.locator("#id_title")).to_have_value("「統計調査への協力について」について（回答）")
    page.select_option("#id_matter_kind", str(city.kinds["general"].pk))
    page.select_option("#id_file_plan_class", str(city.plan.pk))
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/documents/*/")
    answer = Document.objects.get()
    assert Receipt.objects.get().answered_by == answer

    page.goto("/documents/saved-routes/")
    page.fill("#id_name", "財政課に合議")
    page.select_option("#id_consult_units", str(city.units.zaisei.pk))
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url("**/documents/saved-routes/")
    assert "財政課に合議" in page.locator("table").inner_text()
    assert_no_serious_violations(page)
    route = SavedRoute.objects.get()

    page.goto(f"/documents/{answer.pk}/")
    page.select_option("#id_saved_route", str(route.pk))
    page.get_by_role("button", name="回議を開始する").click()
    page.wait_for_url(f"**/documents/{answer.pk}/")
    assert page.get_by_test_id("status").inner_text() == "回議中"
    assert RouteStep.objects.filter(document=answer, kind="consult", unit=city.units.zaisei).exists()


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_an_online_application_is_imported_seen_by_the_kakaricho_and_kacho_and_answered(
    page, live_server, city, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    header = ["申請番号", "手続名", "申請日時", "申請者氏名", "申請者住所", "件名", "添付ファイル名"]
    row = [
        "R7-000123",
        "犬の登録申請",
        "2025-05-01 10:05",
        "緑野 花子",
        "みどり野市中央1-1",
        "",
        "R7-000123/申請書.pdf",
    ]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("R7-000123/申請書.pdf", pdf_bytes("犬の登録申請書"))
    files = {
        "#id_csv": {"name": "申請.csv", "mimeType": "text/csv", "buffer": csv_bytes([header, row], "cp932")},
        "#id_archive": {"name": "添付.zip", "mimeType": "application/zip", "buffer": archive.getvalue()},
    }

    def as_user(user: User) -> None:
        page.context.clear_cookies()
        sign_in_session(page, live_server, user)

    as_user(city.drafter)
    page.goto("/documents/receipts/import/")
    for selector, upload in files.items():
        page.set_input_files(selector, files=[upload])
    page.get_by_role("button", name="確認する（取り込まない）").click()
    expect(page.get_by_test_id("import-report")).to_contain_text("新しく収受する申請 1 件")
    assert_no_serious_violations(page)
    assert Receipt.objects.count() == 0
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_url("**/documents/receipts/")
    page.get_by_role("link", name="犬の登録申請（申請番号 R7-000123）").click()
    expect(page.get_by_test_id("receipt-number")).to_have_text("緑総収第1号")
    page.get_by_label("文書法制係 係長 係川 太郎").check()
    page.get_by_label("総務課 課長 課山 太郎").check()
    page.get_by_role("button", name="供覧する").click()
    expect(page.get_by_test_id("reader-state")).to_have_text(["未閲覧", "未閲覧"])
    receipt_url = page.url
    for reader in (city.kakaricho, city.kacho):
        as_user(reader)
        page.goto(receipt_url)
        page.get_by_role("button", name="閲覧した（閲）").click()
    expect(page.get_by_test_id("circulated")).to_contain_text("供覧済")
    stamps = page.get_by_test_id("circulation-column").get_by_role("img")
    expect(stamps).to_have_count(2)
    assert "係川" in (stamps.nth(0).get_attribute("aria-label") or "")
    assert_no_serious_violations(page)
    as_user(city.drafter)
    page.goto(receipt_url)
    page.get_by_role("link", name="回答を起案").click()
    expect(page.locator("#id_body")).to_contain_text("緑総収第1号")
    page.select_option("#id_matter_kind", str(city.kinds["general"].pk))
    page.select_option("#id_file_plan_class", str(city.plan.pk))
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/documents/*/")
    expect(page.get_by_test_id("answered-receipts")).to_contain_text("緑総収第1号")
    answer = Document.objects.get()
    assert Receipt.objects.get().answered_by == answer and answer.has_personal_info


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_a_notice_is_closed_under_a_class_and_a_receipt_registered_by_mistake_is_cancelled(page, city):
    notice = services.receipt_register(
        actor=city.drafter, received_on=timezone.localdate(), sender="みどり県", title="研修の開催について（通知）"
    )
    services.receipt_circulate(actor=city.drafter, receipt=notice, readers=[city.kakaricho])
    services.receipt_mark_seen(actor=city.kakaricho, receipt=notice)
    mistaken = services.receipt_register(
        actor=city.drafter, received_on=timezone.localdate(), sender="みどり県", title="研修の開催について（通知）"
    )
    sign_in(page, city.drafter)
    page.goto(f"/documents/receipts/{notice.pk}/")
    page.get_by_role("button", name="完結する").click()
    expect(page.locator("#error-summary")).to_contain_text("文書分類を選んでください")
    assert_no_serious_violations(page)
    page.get_by_label("文書分類").select_option(str(city.plan.pk))
    page.get_by_role("button", name="完結する").click()
    expect(page.get_by_test_id("retention")).to_contain_text("保存期間満了日")
    expect(page.get_by_role("button", name="供覧する")).to_have_count(0)
    assert Receipt.objects.get(pk=notice.pk).closed_on == timezone.localdate()

    page.goto(f"/documents/receipts/{mistaken.pk}/")
    page.get_by_label("取消の理由").fill("二重に登録したため")
    page.get_by_role("button", name="収受を取り消す").click()
    expect(page.get_by_test_id("receipt-cancelled")).to_contain_text("二重に登録したため")
    assert_no_serious_violations(page)
    page.goto("/documents/receipts/")
    expect(page.get_by_test_id("cancelled")).to_have_count(1)
