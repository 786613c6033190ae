"""Screens of received documents (収受) and saved routes (マイルート) through the Django test client."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.models import Document, Receipt, RouteStep, SavedRoute
from cityhall.documents.selectors_receipts import receipts_for, saved_routes_for
from cityhall.documents.services.receipts import NewFile
from cityhall.testing.documents import pdf_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("city")]


def receipt_post(**overrides):
    data = {
        "received_on": timezone.localdate().isoformat(),
        "sender": "みどり県総務部長",
        "sender_number": "緑総第45号",
        "title": "統計調査への協力について",
        "addressee": "みどり野市長",
        "reply_needed": "on",
        "reply_deadline": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        "channel": "paper",
        "origin": "scan",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def register(city, by=None, **kw):
    values: dict[str, Any] = {"received_on": timezone.localdate(), "sender": "県", "title": "照会について"} | kw
    return services.receipt_register(actor=by or city.drafter, **values)


def extract_text(data: bytes) -> str:
    from cityhall.documents.files import extract_pdf_text

    return extract_pdf_text("sheet.pdf", data)


# --- selectors ---------------------------------------------------------------


def test_receipts_are_seen_by_their_section_and_document_managers(city):
    ours = register(city, title="総務課に届いた照会")
    theirs = register(city, by=city.jinji_kacho, title="人事課に届いた照会")
    assert list(receipts_for(city.kakaricho)) == [ours]  # 係 staff belong to the 課
    assert list(receipts_for(city.outsider)) == [theirs]
    assert set(receipts_for(city.docmgr)) == {ours, theirs}
    assert list(receipts_for(city.docmgr, section=city.units.jinji)) == [theirs]


def test_receipts_filter_by_fiscal_year(city):
    day = timezone.localdate()
    fy = day.year if day.month >= 4 else day.year - 1
    this = register(city, received_on=dt.date(fy, 4, 1))
    last = register(city, received_on=dt.date(fy, 3, 31))
    assert list(receipts_for(city.drafter, fiscal_year=fy)) == [this]
    assert list(receipts_for(city.drafter, fiscal_year=fy - 1)) == [last]


def test_saved_routes_are_their_owners_only(city):
    mine = services.saved_route_create(actor=city.drafter, name="財政合議", consult_units=[city.units.zaisei])
    services.saved_route_create(actor=city.drafter2, name="財政合議", consult_units=[city.units.zaisei])
    assert list(saved_routes_for(city.drafter)) == [mine]


# --- receipt screens ---------------------------------------------------------


def test_register_a_receipt_then_list_and_detail(client, city):
    client.force_login(city.drafter)
    assert client.get(reverse("documents:receipt_new")).status_code == 200
    response = client.post(reverse("documents:receipt_new"), receipt_post())
    receipt = Receipt.objects.get()
    assert response.status_code == 302 and response.url == reverse("documents:receipt", args=[receipt.pk])
    assert (receipt.section, receipt.sender_number, receipt.reply_needed) == (city.units.soumu, "緑総第45号", True)
    listing = client.get(reverse("documents:receipts")).content.decode()
    assert "統計調査への協力について" in listing and "1 件" in listing
    assert receipt.number_label == "緑総収第1号"
    detail = client.get(reverse("documents:receipt", args=[receipt.pk])).content.decode()
    assert "みどり県総務部長" in detail and "供覧する" in detail and "回答を起案" in detail
    assert "緑総収第1号" in detail and "係川 太郎" in detail  # the 係長 is offered as a reader
    assert "収受" in client.get(reverse("documents:inbox")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sender": ""}, "発信者：発信者を入力してください。"),
        ({"title": ""}, "件名：件名を入力してください。"),
        ({"received_on": ""}, "収受日：収受日を入力してください。"),
        ({"received_on": "2026-02-30"}, "収受日を正しい日付で入力してください。"),
        ({"reply_deadline": ""}, "回答が必要な場合は回答期限を入力してください。"),
        ({"reply_deadline": "2000-01-01"}, "回答期限は収受日以降の日付にしてください。"),
    ],
)
def test_bad_receipt_input_names_the_field_and_saves_nothing(client, city, overrides, message):
    client.force_login(city.drafter)
    response = client.post(reverse("documents:receipt_new"), receipt_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Receipt.objects.count() == 0


def test_receipts_list_pages(client, city):
    for i in range(51):
        register(city, title=f"照会{i:02d}")
    client.force_login(city.drafter)
    first = client.get(reverse("documents:receipts")).content.decode()
    second = client.get(reverse("documents:receipts") + "?page=2").content.decode()
    assert "51 件" in first and "1 / 2 ページ" in first
    assert len(re.findall(r'href="/documents/receipts/\d+/"', second)) == 1


def test_another_sections_receipt_is_404(client, city):
    receipt = register(city)
    client.force_login(city.outsider)
    assert client.get(reverse("documents:receipt", args=[receipt.pk])).status_code == 404
    assert client.post(reverse("documents:receipt_circulate", args=[receipt.pk])).status_code == 404
    assert client.get(reverse("documents:new") + f"?receipt={receipt.pk}").status_code == 404
    assert "照会について" not in client.get(reverse("documents:receipts")).content.decode()
    receipt.refresh_from_db()
    assert receipt.circulated_at is None


def test_circulate_to_the_chosen_superiors_who_mark_it_seen(client, city):
    receipt = register(city)
    client.force_login(city.drafter)
    url = reverse("documents:receipt_circulate", args=[receipt.pk])
    empty = client.post(url, {})
    assert empty.status_code == 400 and "供覧先を1人以上選んでください。" in empty.content.decode()
    stranger = client.post(url, {"readers": [city.outsider.pk]})
    assert stranger.status_code == 400 and "選べない職員が含まれています" in stranger.content.decode()
    assert client.post(url, {"readers": [city.kakaricho.pk, city.kacho.pk]}).status_code == 302
    assert list(receipt.readers.values_list("reader", flat=True)) == [city.kakaricho.pk, city.kacho.pk]
    client.force_login(city.kacho)
    page = client.get(reverse("documents:receipt", args=[receipt.pk])).content.decode()
    assert "閲覧した（閲）" in page and "未閲覧" in page
    assert client.post(reverse("documents:receipt_seen", args=[receipt.pk])).status_code == 302
    page = client.get(reverse("documents:receipt", args=[receipt.pk])).content.decode()
    assert 'aria-label="課山 ' in page and "閲（" in page and "閲覧した（閲）" not in page
    again = client.post(reverse("documents:receipt_seen", args=[receipt.pk]))
    assert again.status_code == 409 and "既に閲覧済み" in again.content.decode()
    waiting = client.get(reverse("documents:receipts") + "?to_read=1").content.decode()
    assert "1 件" not in waiting


def test_a_document_manager_sees_but_cannot_circulate_another_sections_receipt(client, city):
    receipt = register(city, by=city.jinji_kacho)
    client.force_login(city.docmgr)
    page = client.get(reverse("documents:receipt", args=[receipt.pk])).content.decode()
    assert "照会について" in page and "供覧する" not in page
    refused = client.post(reverse("documents:receipt_circulate", args=[receipt.pk]), {"readers": [city.kacho.pk]})
    assert refused.status_code in (400, 404)
    receipt.refresh_from_db()
    assert receipt.circulated_at is None


def test_files_are_added_shown_and_removed_on_the_page(client, city, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(city.drafter)
    scan = SimpleUploadedFile("scan.pdf", pdf_bytes("通知の写し"), content_type="application/pdf")
    response = client.post(reverse("documents:receipt_new"), receipt_post(file=scan))
    receipt = Receipt.objects.get()
    (row,) = receipt.files.all()
    assert response.status_code == 302 and row.origin == "scan"
    download = client.get(reverse("documents:receipt_file", args=[receipt.pk, row.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:5] == b"%PDF-"
    inline = client.get(reverse("documents:receipt_file_view", args=[receipt.pk, row.pk]))
    assert inline["Content-Security-Policy"].startswith("default-src 'none'")
    bad = SimpleUploadedFile("memo.pdf", b"not a pdf")
    refused = client.post(reverse("documents:receipt_file_add", args=[receipt.pk]), {"file": bad, "origin": "original"})
    assert refused.status_code == 400 and "中身がPDFではありません" in refused.content.decode()
    remove = reverse("documents:receipt_file_remove", args=[receipt.pk, row.pk])
    assert client.post(remove).status_code == 302 and receipt.files.count() == 0
    client.force_login(city.outsider)
    assert client.get(reverse("documents:receipt_file", args=[receipt.pk, row.pk])).status_code == 404


def test_the_receipt_sheet_is_a_pdf_with_the_stamps(client, city):
    receipt = register(city)
    services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho])
    services.receipt_mark_seen(actor=city.kakaricho, receipt=receipt)
    client.force_login(city.drafter)
    response = client.get(reverse("documents:receipt_sheet", args=[receipt.pk]))
    data = b"".join(response.streaming_content)
    assert response.status_code == 200 and data[:5] == b"%PDF-"
    assert "閲覧日時（閲）" in extract_text(data) and "緑総収第1号" in extract_text(data)


def test_personal_receipts_files_are_masked_from_a_remote_session(client, city, settings, tmp_path):
    settings.MEDIA_ROOT, settings.CITYHALL_MFA_REQUIRED = str(tmp_path), "never"
    data = pdf_bytes("申請書")
    receipt = register(city, has_personal_info=True, files=[NewFile(**upload("申請書.pdf", data))])
    row = receipt.files.get()
    client.force_login(city.drafter)
    remote = {"REMOTE_ADDR": "203.0.113.20"}
    refused = client.get(reverse("documents:receipt_file", args=[receipt.pk, row.pk]), **remote)
    assert refused.status_code == 403 and "透かし入りで表示" in refused.content.decode()
    page = client.get(reverse("documents:receipt", args=[receipt.pk]), **remote).content.decode()
    assert 'data-testid="rendered-link"' in page
    rendered = client.get(reverse("documents:receipt_file_rendered", args=[receipt.pk, row.pk]), **remote)
    assert rendered.status_code == 200 and "透かし" in rendered.content.decode()
    assert AuditEntry.objects.filter(action="documents.receipt.view", object_id=str(receipt.pk)).count() == 2


def test_answer_draft_links_the_receipt(client, city):
    receipt = register(city, title="道路占用の照会")
    client.force_login(city.drafter)
    form = client.get(reverse("documents:new") + f"?receipt={receipt.pk}").content.decode()
    assert "「道路占用の照会」について（回答）" in form and f'name="receipt" value="{receipt.pk}"' in form
    data = {
        "title": "「道路占用の照会」について（回答）",
        "matter_kind": city.kinds["general"].pk,
        "file_plan_class": city.plan.pk,
        "form_token": uuid.uuid4().hex,
        "receipt": receipt.pk,
    }
    response = client.post(reverse("documents:new"), data)
    doc = Document.objects.get()
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.answered_by == doc
    detail = client.get(reverse("documents:receipt", args=[receipt.pk])).content.decode()
    assert doc.number_label in detail and "回答を起案" not in detail


def test_answer_draft_with_bad_input_links_nothing(client, city):
    receipt = register(city)
    client.force_login(city.drafter)
    data = {"title": "", "matter_kind": city.kinds["general"].pk, "file_plan_class": city.plan.pk}
    response = client.post(reverse("documents:new"), {**data, "form_token": "t", "receipt": receipt.pk})
    assert response.status_code == 400 and "件名を入力してください" in response.content.decode()
    receipt.refresh_from_db()
    assert receipt.answered_by is None and Document.objects.count() == 0


# --- saved routes --------------------------------------------------------------


def test_create_list_and_delete_a_saved_route(client, city):
    client.force_login(city.drafter)
    assert client.get(reverse("documents:saved_routes")).status_code == 200
    data = {"name": "財政と人事に合議", "consult_units": [city.units.zaisei.pk, city.units.jinji.pk]}
    data["reviewers"] = [city.shunin.pk]
    response = client.post(reverse("documents:saved_routes"), data)
    assert response.status_code == 302
    route = SavedRoute.objects.get()
    assert set(route.consult_units.all()) == {city.units.zaisei, city.units.jinji}
    assert list(route.reviewers.all()) == [city.shunin]
    page = client.get(reverse("documents:saved_routes")).content.decode()
    assert "財政と人事に合議" in page and "人事課" in page
    assert client.post(reverse("documents:saved_route_delete", args=[route.pk])).status_code == 302
    assert SavedRoute.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "consult_units": ["ZAISEI"]}, "名称：名称を入力してください。"),
        ({"name": "空"}, "追加の回議者か合議先の課を1つ以上選んでください。"),
        ({"name": "既存", "consult_units": ["ZAISEI"]}, "同じ名称のマイルートが既にあります。"),
    ],
)
def test_bad_saved_route_saves_nothing(client, city, data, message):
    services.saved_route_create(actor=city.drafter, name="既存", consult_units=[city.units.jinji])
    client.force_login(city.drafter)
    data = {k: [city.units.zaisei.pk] if v == ["ZAISEI"] else v for k, v in data.items()}
    response = client.post(reverse("documents:saved_routes"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SavedRoute.objects.count() == 1


def test_someone_elses_saved_route_is_404(client, city):
    route = services.saved_route_create(actor=city.drafter2, name="私の", consult_units=[city.units.zaisei])
    client.force_login(city.drafter)
    assert client.post(reverse("documents:saved_route_delete", args=[route.pk])).status_code == 404
    assert "私の" not in client.get(reverse("documents:saved_routes")).content.decode()
    assert SavedRoute.objects.count() == 1


def test_submit_with_a_saved_route_adds_its_consultees(client, city, draft):
    doc = draft()
    route = services.saved_route_create(actor=city.drafter, name="財政合議", consult_units=[city.units.zaisei])
    other = services.saved_route_create(actor=city.drafter2, name="他人の", consult_units=[city.units.jinji])
    client.force_login(city.drafter)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "財政合議" in page and "他人の" not in page
    url = reverse("documents:submit", args=[doc.pk])
    refused = client.post(url, {"expected_version": doc.version, "saved_route": other.pk})
    assert refused.status_code == 400 and "マイルートが見つかりません" in refused.content.decode()
    assert RouteStep.objects.filter(document=doc).count() == 0
    assert client.post(url, {"expected_version": doc.version, "saved_route": route.pk}).status_code == 302
    consulted = RouteStep.objects.filter(document=doc, kind="consult").values_list("unit", flat=True)
    assert list(consulted) == [city.units.zaisei.pk]
