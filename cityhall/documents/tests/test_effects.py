"""Side effects after commit: notifications, typed-document hook, search index, signed approval sheet."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.test import override_settings
from django_tasks import default_task_backend
from freezegun import freeze_time

from cityhall.documents import registry, services
from cityhall.documents.indexing import SEARCH_KIND
from cityhall.documents.models import Document
from cityhall.documents.sheet import build_sheet, sign_decided_document
from cityhall.search.selectors import filter_by_search
from cityhall.signing.verify import verify_pdf
from cityhall.testing.city import absent
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.engine import approve_to_decision

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=IMMEDIATE)
def test_submit_e_mails_the_first_approver_through_the_task_after_commit(
    city, draft, mailoutbox, django_capture_on_commit_callbacks
):
    doc = draft()
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
        assert mailoutbox == []  # nothing before commit
    (mail,) = mailoutbox
    assert mail.to == ["kakaricho@example.jp"]
    assert mail.subject == f"[cityhall] 決裁の依頼: {doc.number_label} {doc.title}"
    assert mail.body == f"{doc.number_label}「{doc.title}」 — 決裁の依頼\n"


@override_settings(TASKS=DUMMY)
def test_the_e_mail_is_queued_with_user_ids_not_sent_by_the_request(
    city, draft, mailoutbox, django_capture_on_commit_callbacks
):
    doc = draft()
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert mailoutbox == []
    results = default_task_backend.results  # type: ignore[attr-defined]
    (queued,) = [r for r in results if r.task.module_path == "cityhall.notifications.tasks.email_users"]
    assert queued.args == []
    assert queued.kwargs["user_ids"] == [city.kakaricho.pk]
    assert queued.kwargs["subject"] == f"[cityhall] 決裁の依頼: {doc.number_label} {doc.title}"


def test_decision_runs_the_typed_hook_with_the_id(city, draft, django_capture_on_commit_callbacks):
    seen: list[int] = []
    registry.register_type("test.hooked", "テスト", on_decided=seen.append)
    try:
        doc = draft(doc_type="test.hooked")
        doc = services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
        doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
            assert seen == []  # nothing before commit
        assert seen == [doc.pk]
    finally:
        registry.unregister_type("test.hooked")


def test_attachment_text_is_found_by_search(city, draft, django_capture_on_commit_callbacks):
    doc = draft(title="会議の開催", body="本文")
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_add(
            actor=city.drafter,
            document=doc,
            expected_version=doc.version,
            **upload("資料.pdf", pdf_bytes("橋梁点検の結果")),
        )
    found = filter_by_search(Document.objects.all(), "橋梁", SEARCH_KIND)
    assert list(found) == [doc]
    assert list(filter_by_search(Document.objects.all(), "トンネル", SEARCH_KIND)) == []


def test_proxy_decision_gives_a_signed_sheet_with_dai_stamp(city, submitted, city_signing):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    absent(city.kacho, proxy=city.hosa)
    doc = services.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    sheet = build_sheet(Document.objects.get(pk=doc.pk))
    assert [(e.name, e.stamp.proxy if e.stamp else None) for e in sheet.route] == [
        ("係川 太郎", False),
        ("補佐木 太郎", True),
    ]
    assert sign_decided_document(doc.pk)
    assert not sign_decided_document(doc.pk)  # once only
    doc.refresh_from_db()
    data = Path(doc.signed_pdf.path).read_bytes()
    report = verify_pdf(data)
    assert report.signed and report.intact, report.message
    assert hashlib.sha256(data).hexdigest() == doc.signed_pdf_sha256


def test_a_signed_sheet_late_by_more_than_five_minutes_is_said_on_the_page(city, submitted, client):
    """The worker signs decided documents in the background; when it has stopped, the page says so."""
    doc = submitted()
    decided = approve_to_decision(doc)
    assert decided.is_decided and not decided.signed_pdf and decided.decided_at is not None
    client.force_login(city.drafter)
    url = f"/documents/{decided.pk}/"
    assert 'data-testid="signing-late"' not in client.get(url).content.decode()
    with freeze_time(decided.decided_at + dt.timedelta(minutes=5, seconds=1)):
        page = client.get(url).content.decode()
    assert 'data-testid="signing-late"' in page and "作成が遅れています" in page
