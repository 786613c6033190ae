"""Issue, close, inbox, post-reviews and receipts through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.documents import services
from cityhall.documents.models import Document, DocumentStatus, PostReview, Receipt
from cityhall.testing.city import absent
from cityhall.testing.web import documents_api


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def decided(city, submitted):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    return services.approve(actor=city.kacho, document=doc, expected_version=doc.version)


def _row(doc: Document) -> tuple[str, int, dt.date | None, dt.date | None]:
    doc.refresh_from_db()
    return doc.status, doc.version, doc.issued_on, doc.closed_on


def test_issue_and_close(city, decided):
    today = timezone.localdate()
    body = documents_api(city.drafter, "post", f"/{decided.pk}/issue", {"expected_version": decided.version}).json()
    assert (body["status"], body["issued_on"]) == (DocumentStatus.DECIDED, today.isoformat())
    body = documents_api(city.drafter, "post", f"/{decided.pk}/close", {"expected_version": body["version"]}).json()
    assert (body["status"], body["closed_on"]) == (DocumentStatus.CLOSED, today.isoformat())
    assert body["expires_on"] is not None


@pytest.mark.parametrize(("action", "field"), [("issue", "issued_on"), ("close", "closed_on")])
def test_issue_and_close_refusals(city, decided, draft, action, field):
    seen = decided.version
    before = _row(decided)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    invalid = documents_api(
        city.drafter, "post", f"/{decided.pk}/{action}", {"expected_version": seen, field: yesterday}
    )
    assert (invalid.status_code, invalid.json()["field"]) == (400, field)
    assert "決裁日以降" in invalid.json()["detail"]
    stale = documents_api(city.drafter, "post", f"/{decided.pk}/{action}", {"expected_version": seen - 1})
    assert stale.status_code == 409
    assert (
        documents_api(city.outsider, "post", f"/{decided.pk}/{action}", {"expected_version": seen}).status_code == 404
    )
    secret = draft(by=city.outsider, is_confidential=True)
    assert documents_api(city.drafter, "post", f"/{secret.pk}/{action}", {"expected_version": 1}).status_code == 404
    assert _row(decided) == before


def test_inbox_buckets_and_counts(city, submitted, draft):
    waiting = submitted()
    mine = draft()
    counts = documents_api(city.kakaricho, "get", "/inbox/counts").json()
    assert (counts["pending"], counts["waiting"]) == (1, 1)
    pending = documents_api(city.kakaricho, "get", "/inbox/pending").json()
    assert (pending["count"], [d["id"] for d in pending["items"]]) == (1, [waiting.pk])
    in_progress = documents_api(city.drafter, "get", "/inbox/in_progress").json()
    assert {d["id"] for d in in_progress["items"]} == {waiting.pk, mine.pk}
    assert documents_api(city.outsider, "get", "/inbox/pending").json()["count"] == 0
    wrong = documents_api(city.kakaricho, "get", "/inbox/everything")
    assert (wrong.status_code, wrong.json()["field"]) == (422, "bucket")


def test_post_review_list_and_complete(city, submitted):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    absent(city.kacho, proxy=city.hosa)
    services.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    review = PostReview.objects.get()
    listed = documents_api(city.kacho, "get", "/post-reviews").json()
    assert [(r["id"], r["document_id"], r["acted_by"]) for r in listed] == [(review.pk, doc.pk, "補佐木 太郎")]
    assert documents_api(city.kacho, "get", "/inbox/counts").json()["post_review"] == 1
    assert documents_api(city.hosa, "post", f"/post-reviews/{review.pk}/complete", {}).status_code == 404
    assert documents_api(city.kacho, "post", "/post-reviews/999999/complete", {}).status_code == 404
    done = documents_api(city.kacho, "post", f"/post-reviews/{review.pk}/complete", {"comment": "確認しました"})
    assert done.status_code == 200
    assert done.json()["comment"] == "確認しました"
    again = documents_api(city.kacho, "post", f"/post-reviews/{review.pk}/complete", {})
    assert again.status_code == 409
    assert "既に済んでいます" in again.json()["detail"]
    assert documents_api(city.kacho, "get", "/post-reviews").json() == []
    assert documents_api(city.drafter, "get", f"/{doc.pk}").json()["steps"][-1]["post_review_done"] is True


def test_receipt_register_and_circulate(city):
    today = timezone.localdate().isoformat()
    payload = {"received_on": today, "sender": "みどり県総務部", "title": "調査の依頼について", "reply_needed": True}
    invalid = documents_api(city.drafter, "post", "/receipts", payload)
    assert (invalid.status_code, invalid.json()["field"]) == (400, "reply_deadline")
    blank = documents_api(city.drafter, "post", "/receipts", {**payload, "sender": " ", "reply_needed": False})
    assert (blank.status_code, blank.json()["field"]) == (400, "sender")
    assert Receipt.objects.count() == 0
    created = documents_api(city.drafter, "post", "/receipts", {**payload, "reply_deadline": today})
    assert created.status_code == 201, created.json()
    receipt_id = created.json()["id"]
    assert Receipt.objects.get(pk=receipt_id).section == city.units.soumu
    to_kacho = {"reader_ids": [city.kacho.pk]}
    assert documents_api(city.outsider, "post", f"/receipts/{receipt_id}/circulate", to_kacho).status_code == 404
    assert documents_api(city.drafter, "post", "/receipts/999999/circulate", to_kacho).status_code == 404
    circulated = documents_api(city.kakaricho, "post", f"/receipts/{receipt_id}/circulate", to_kacho)
    assert circulated.status_code == 200
    assert circulated.json()["circulated_at"] is not None
    assert circulated.json()["number_label"] == "緑総収第1号"
    assert documents_api(city.drafter, "post", f"/receipts/{receipt_id}/circulate", to_kacho).status_code == 400


def test_retention_extension_by_the_document_manager(city, decided, draft):
    seen = decided.version
    path = f"/{decided.pk}/retention-extension"
    assert (
        documents_api(
            city.drafter, "post", path, {"expected_version": seen, "new_years": 10, "reason": "訴訟"}
        ).status_code
        == 404
    )
    invalid = documents_api(city.docmgr, "post", path, {"expected_version": seen, "new_years": 10, "reason": " "})
    assert (invalid.status_code, invalid.json()["field"]) == (400, "reason")
    stale = documents_api(city.docmgr, "post", path, {"expected_version": seen - 1, "new_years": 10, "reason": "訴訟"})
    assert stale.status_code == 409
    decided.refresh_from_db()
    assert (decided.retention_years, decided.version) == (5, seen)
    done = documents_api(city.docmgr, "post", path, {"expected_version": seen, "new_years": 10, "reason": "訴訟のため"})
    assert done.status_code == 200, done.json()
    assert done.json()["retention_years"] == 10
    secret = draft(by=city.outsider, is_confidential=True)
    body = {"expected_version": 1, "new_years": 10, "reason": "x"}
    assert documents_api(city.drafter, "post", f"/{secret.pk}/retention-extension", body).status_code == 404


def test_formal_addition_by_the_document_manager(city, decided):
    seen = decided.version
    path = f"/{decided.pk}/formal-additions"
    body = {"expected_version": seen, "field": "title", "value": "公用車（2号車）の修繕について", "reason": "誤記"}
    assert documents_api(city.drafter, "post", path, body).status_code == 404
    invalid = documents_api(city.docmgr, "post", path, {**body, "field": "amount"})
    assert (invalid.status_code, invalid.json()["field"]) == (400, "field")
    assert documents_api(city.docmgr, "post", path, {**body, "expected_version": seen - 1}).status_code == 409
    assert Document.objects.get(pk=decided.pk).title == "公用車の修繕について"
    done = documents_api(city.docmgr, "post", path, body)
    assert done.status_code == 200, done.json()
    assert done.json()["title"] == "公用車（2号車）の修繕について"


def test_paper_decision_register(city):
    from cityhall.accounts.models import User

    payload = {
        "title": "旧庁舎の解体について",
        "matter_kind_id": city.kinds["general"].pk,
        "paper_reason": "システム導入前の決裁",
        "decided_on": "2024-06-03",
        "decided_by_id": city.kacho.pk,
        "file_plan_class_id": city.plan.pk,
        "location": "総務課書庫 棚3",
    }
    invalid = documents_api(city.kacho, "post", "/paper-decisions", {**payload, "paper_reason": ""})
    assert (invalid.status_code, invalid.json()["field"]) == (400, "paper_reason")
    unknown = documents_api(city.kacho, "post", "/paper-decisions", {**payload, "decided_by_id": 999999})
    assert (unknown.status_code, unknown.json()["field"]) == (400, "decided_by_id")
    nobody = User.objects.create_user(username="nobody", last_name="無所属")
    assert documents_api(nobody, "post", "/paper-decisions", payload).status_code == 404
    assert documents_api(city.drafter, "post", "/paper-decisions", payload).status_code == 404  # a clerk
    mayor = {**payload, "decided_by_id": city.shicho.pk, "decided_on": "2099-06-03", "amount": 10**12}
    assert documents_api(city.kacho, "post", "/paper-decisions", mayor).status_code in (400, 422)
    assert Document.objects.count() == 0
    created = documents_api(city.kacho, "post", "/paper-decisions", payload)
    assert created.status_code == 201, created.json()
    assert (created.json()["medium"], created.json()["status"]) == ("paper", DocumentStatus.DECIDED)
