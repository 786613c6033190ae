"""Screens of documents and e-approval through the Django test client (real DB, real files)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.models import Attachment, Document, DocumentStatus
from cityhall.signing.verify import verify_pdf
from cityhall.testing.city import absent
from cityhall.testing.documents import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("city")]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def draft_post(city, **overrides):
    data = {
        "title": "公用車の修繕について",
        "body": "修繕する。",
        "matter_kind": city.kinds["spending"].pk,
        "amount": "800,000",
        "file_plan_class": city.plan.pk,
        "form_token": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def act(client, doc, action, comment="", version=None):
    url = reverse("documents:act", args=[doc.pk, action])
    return client.post(url, {"expected_version": doc.version if version is None else version, "comment": comment})


def test_pages_render_for_the_drafter(client, city, submitted):
    doc = submitted(amount=800_000, kind="spending")
    client.force_login(city.drafter)
    for url in [
        reverse("documents:inbox"),
        reverse("documents:inbox") + "?tab=in_progress&sort=-title",
        reverse("documents:new"),
        reverse("documents:detail", args=[doc.pk]),
        reverse("documents:search"),
        reverse("documents:search") + "?q=修繕",
        reverse("documents:register"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "課長専決" in client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    nav = client.get(reverse("documents:inbox")).content.decode()
    assert "文書管理簿" in nav and "起案" in nav


def test_route_preview_shows_the_delegation_label(client, city):
    client.force_login(city.drafter)
    url = reverse("documents:route_preview")
    small = client.get(url, {"matter_kind": city.kinds["spending"].pk, "amount": "800000"}).content.decode()
    big = client.get(url, {"matter_kind": city.kinds["spending"].pk, "amount": "3000000"}).content.decode()
    assert "課長専決" in small and "課山" in small
    assert "部長専決" in big and "部田" in big
    missing = client.get(url, {"matter_kind": city.kinds["spending"].pk}).content.decode()
    assert "金額を入力してください" in missing


def test_draft_with_attachment_and_double_submit_creates_one(client, city):
    client.force_login(city.drafter)
    data = draft_post(city)
    data["file"] = SimpleUploadedFile("資料.pdf", pdf_bytes("資料の本文"), content_type="application/pdf")
    response = client.post(reverse("documents:new"), data)
    doc = Document.objects.get()
    assert response.status_code == 302 and response.url == reverse("documents:detail", args=[doc.pk])
    assert doc.amount == 800_000 and doc.attachments.count() == 1
    again = draft_post(city, form_token=data["form_token"])
    response = client.post(reverse("documents:new"), again)
    assert response.status_code == 302 and response.url == reverse("documents:detail", args=[doc.pk])
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"amount": "800000.5"}, "金額（円）：金額は円単位の整数で入力してください（入力: 「800000.5」）"),
        ({"title": ""}, "件名：件名を入力してください"),
        ({"matter_kind": ""}, "事案の種類：事案の種類を選んでください"),
        ({"amount": ""}, "金額を入力してください"),
    ],
)
def test_bad_draft_input_names_the_field_and_saves_nothing(client, city, overrides, field_message):
    client.force_login(city.drafter)
    response = client.post(reverse("documents:new"), draft_post(city, **overrides))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.pdf", b"", "空のファイル"),
        ("偽物.pdf", b"this is not a pdf at all", "中身がPDFではありません"),
        ("大きい.pdf", b"%PDF-1.4\n" + b"0" * 2048, "大きすぎます"),
    ],
)
@override_settings(CITYHALL_MAX_UPLOAD_BYTES=1024)
def test_bad_attachment_on_new_draft_saves_nothing(client, city, name, data, message):
    client.force_login(city.drafter)
    post = draft_post(city)
    post["file"] = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = client.post(reverse("documents:new"), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Document.objects.count() == 0 and Attachment.objects.count() == 0


def test_attachment_add_htmx_and_stale_version(client, city, draft):
    doc = draft()
    client.force_login(city.drafter)
    url = reverse("documents:attachment_add", args=[doc.pk])
    upload = SimpleUploadedFile("a.pdf", pdf_bytes("別紙"), content_type="application/pdf")
    response = client.post(url, {"file": upload, "expected_version": doc.version}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "a.pdf" in response.content.decode()
    stale = SimpleUploadedFile("b.pdf", pdf_bytes("別紙"), content_type="application/pdf")
    response = client.post(url, {"file": stale, "expected_version": doc.version}, headers={"HX-Request": "true"})
    assert response.status_code == 409 and "変更されています" in response.content.decode()
    assert list(doc.attachments.values_list("name", flat=True)) == ["a.pdf"]


def test_submit_approve_decide_and_signed_pdf(client, city, draft, city_signing, django_capture_on_commit_callbacks):
    doc = draft(amount=800_000, kind="spending")
    client.force_login(city.drafter)
    response = client.post(reverse("documents:submit", args=[doc.pk]), {"expected_version": doc.version})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.CIRCULATING
    again = client.post(reverse("documents:submit", args=[doc.pk]), {"expected_version": doc.version - 1})
    assert again.status_code == 409 and "変更されています" in again.content.decode()
    client.force_login(city.kakaricho)
    assert act(client, doc, "approve").status_code == 302
    client.force_login(city.kacho)
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        doc.refresh_from_db()
        assert act(client, doc, "approve").status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DECIDED
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "<svg" in page and reverse("signing:verify") in page
    pdf = b"".join(client.get(reverse("documents:signed_pdf", args=[doc.pk])).streaming_content)
    assert verify_pdf(pdf).intact


def test_stale_action_shows_conflict_and_changes_nothing(client, city, submitted):
    doc = submitted(amount=800_000, kind="spending")
    client.force_login(city.kakaricho)
    response = act(client, doc, "approve", version=doc.version - 1)
    assert response.status_code == 409
    assert "この文書は開いた後に変更されています" in response.content.decode()
    doc.refresh_from_db()
    assert doc.steps.filter(acted_at__isnull=False).count() == 0


def test_send_back_requires_reason_then_resubmit(client, city, submitted):
    doc = submitted(amount=800_000, kind="spending")
    client.force_login(city.kakaricho)
    response = act(client, doc, "send_back", comment="")
    assert response.status_code == 400 and "理由を入力してください" in response.content.decode()
    assert act(client, doc, "send_back", comment="金額を確認してください").status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.SENT_BACK
    client.force_login(city.drafter)
    edit = reverse("documents:edit", args=[doc.pk])
    data = draft_post(city, amount="700000", expected_version=doc.version)
    assert client.post(edit, data).status_code == 302
    doc.refresh_from_db()
    assert doc.amount == 700_000
    assert client.post(reverse("documents:submit", args=[doc.pk]), {"expected_version": doc.version}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.CIRCULATING and doc.current_round == 2


def test_pull_back_before_and_after_the_next_approver(client, city, submitted):
    doc = submitted(amount=800_000, kind="spending")
    client.force_login(city.drafter)
    assert act(client, doc, "pull_back").status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DRAFT
    doc = submitted(amount=800_000, kind="spending", title="二件目")
    services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc.refresh_from_db()
    response = act(client, doc, "pull_back")
    assert response.status_code == 409 and "引き戻せません" in response.content.decode()


def test_proxy_decides_and_post_review(client, city, submitted):
    doc = submitted(amount=800_000, kind="spending")
    services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    absent(city.kacho, proxy=city.hosa)
    doc.refresh_from_db()
    client.force_login(city.hosa)
    assert "代決" in client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert act(client, doc, "decide_proxy").status_code == 302
    doc.refresh_from_db()
    assert doc.decided_by_proxy
    client.force_login(city.kacho)
    assert "後閲する" in client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert act(client, doc, "post_review").status_code == 302
    assert doc.post_reviews.get().done_at is not None


def test_bulk_approve_reports_each_item(client, city, submitted):
    one = submitted(amount=800_000, kind="spending", title="一件目")
    two = submitted(amount=800_000, kind="spending", title="二件目")
    client.force_login(city.kakaricho)
    items = [f"{one.pk}:{one.version}", f"{two.pk}:{two.version - 1}"]
    response = client.post(reverse("documents:bulk_approve"), {"items": items}, follow=True)
    page = response.content.decode()
    assert "成功 1 件、失敗 1 件" in page and "変更されています" in page


def test_confidential_document_is_404_for_outsiders(client, city, draft):
    doc = draft(is_confidential=True)
    client.force_login(city.outsider)
    assert client.get(reverse("documents:detail", args=[doc.pk])).status_code == 404
    assert act(client, doc, "approve").status_code == 404


def test_personal_info_view_is_audited(client, city, draft):
    doc = draft(has_personal_info=True)
    client.force_login(city.drafter)
    before = AuditEntry.objects.filter(action="documents.document.view").count()
    client.get(reverse("documents:detail", args=[doc.pk]))
    assert AuditEntry.objects.filter(action="documents.document.view").count() == before + 1


def test_search_finds_by_two_characters(client, city, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft(title="道路の補修について")
        draft(title="公用車の購入について")
    client.force_login(city.drafter)
    page = client.get(reverse("documents:search"), {"q": "補修"}).content.decode()
    assert "道路の補修について" in page and "公用車の購入" not in page
