"""Documents API: search, detail, drafting, reference lists, errors, CSRF and the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from cityhall.core.audit.models import AuditEntry
from cityhall.documents.models import Document, DocumentStatus
from cityhall.testing.web import DOCUMENTS_API, client_for, documents_api


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def secret(city, draft):
    """A confidential draft of another section (人事課) that 総務課 staff may not see."""
    return draft(by=city.outsider, title="職員の懲戒処分について", is_confidential=True)


def test_search_lists_visible_documents_with_count_and_pages(city, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft(by=city.outsider, title="職員の懲戒処分について", is_confidential=True)
        first = draft(title="道路補修の契約について")
        second = draft(title="公用車の修繕について")
    body = documents_api(city.drafter, "get", "/", {"page_size": 1}).json()
    assert body["count"] == 2
    assert [d["id"] for d in body["items"]] == [second.pk]
    assert documents_api(city.drafter, "get", "/", {"page_size": 1, "page": 2}).json()["items"][0]["id"] == first.pk
    found = documents_api(
        city.drafter, "get", "/", {"q": "道路", "status": "draft", "fiscal_year": first.fiscal_year}
    ).json()
    assert [d["id"] for d in found["items"]] == [first.pk]
    assert found["items"][0]["status_label"] == "起案中"
    assert documents_api(city.drafter, "get", "/", {"q": "懲戒"}).json()["count"] == 0
    assert documents_api(city.outsider, "get", "/", {"q": "懲戒"}).json()["count"] == 1
    assert documents_api(city.drafter, "get", "/", {"section_id": city.units.jinji.pk}).json()["count"] == 0


def test_search_rejects_a_malformed_filter_in_japanese(city):
    response = documents_api(city.drafter, "get", "/", {"drafted_from": "昨日"})
    assert response.status_code == 422
    assert response.json()["field"] == "drafted_from"
    assert "入力内容に誤りがあります" in response.json()["detail"]


def test_detail_has_register_route_and_actions(city, submitted):
    doc = submitted()
    body = documents_api(city.kakaricho, "get", f"/{doc.pk}").json()
    assert body["number_label"] == doc.number_label
    assert body["matter_kind"]["code"] == "general"
    assert body["file_plan_class"]["code"] == "01-01-02"
    assert [(s["assignee"], s["state"]) for s in body["steps"]] == [("係川 太郎", "pending"), ("課山 太郎", "waiting")]
    assert {"approve", "send_back", "reject"} <= set(body["actions"])
    assert "approve" not in documents_api(city.drafter, "get", f"/{doc.pk}").json()["actions"]


def test_detail_of_a_forbidden_document_looks_missing(city, secret):
    forbidden = documents_api(city.drafter, "get", f"/{secret.pk}")
    missing = documents_api(city.drafter, "get", "/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == {"detail": missing.json()["detail"], "field": None}
    assert documents_api(city.outsider, "get", f"/{secret.pk}").status_code == 200


def test_create_draft(city):
    payload = {"title": "備品の購入について", "matter_kind_id": city.kinds["general"].pk, "body": "購入する。"}
    payload["file_plan_class_id"] = city.plan.pk
    response = documents_api(city.drafter, "post", "/", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    doc = Document.objects.get(pk=body["id"])
    assert (doc.title, doc.drafter, doc.status, body["version"]) == ("備品の購入について", city.drafter, "draft", 1)
    assert body["number_label"].startswith("緑総第")
    assert AuditEntry.objects.filter(action="documents.document.create").exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": "  "}, "title", "件名"),
        ({"matter_kind_id": None}, "matter_kind_id", "事案の種類"),
        ({"matter_kind_id": 999999}, "matter_kind_id", "事案の種類"),
        ({"file_plan_class_id": 999999}, "file_plan_class_id", "文書分類"),
    ],
)
def test_create_draft_validation_saves_nothing(city, change, field, words):
    payload = {"title": "備品の購入について", "matter_kind_id": city.kinds["general"].pk, **change}
    response = documents_api(city.drafter, "post", "/", payload)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert words in response.json()["detail"]
    assert Document.objects.count() == 0


def test_create_sub_numbered_draft_needs_a_visible_parent(city, draft, secret):
    kind = city.kinds["general"].pk
    response = documents_api(
        city.drafter, "post", "/", {"title": "枝番", "matter_kind_id": kind, "sub_of_id": secret.pk}
    )
    assert response.status_code == 404
    assert Document.objects.count() == 1


def test_update_draft(city, draft):
    doc = draft()
    response = documents_api(
        city.drafter, "patch", f"/{doc.pk}", {"expected_version": doc.version, "title": "新しい件名"}
    )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["version"]) == ("新しい件名", doc.version + 1)
    doc.refresh_from_db()
    assert doc.title == "新しい件名"
    assert doc.body == "公用車の修繕を次のとおり行う。"  # fields not sent are kept


def test_update_draft_refusals(city, draft, secret):
    doc = draft()
    v = doc.version
    assert (
        documents_api(city.drafter, "patch", f"/{secret.pk}", {"expected_version": secret.version}).status_code == 404
    )
    assert documents_api(city.drafter2, "patch", f"/{doc.pk}", {"expected_version": v, "title": "x"}).status_code == 404
    invalid = documents_api(city.drafter, "patch", f"/{doc.pk}", {"expected_version": v, "title": ""})
    assert (invalid.status_code, invalid.json()["field"]) == (400, "title")
    stale = documents_api(city.drafter, "patch", f"/{doc.pk}", {"expected_version": v - 1 + 5, "title": "古い"})
    assert stale.status_code == 409
    assert "変更されています" in stale.json()["detail"]
    assert stale.json()["version"] == v
    doc.refresh_from_db()
    assert (doc.title, doc.version) == ("公用車の修繕について", v)


def test_reference_lists(city):
    plans = documents_api(city.drafter, "get", "/file-plan-classes").json()
    assert "01-01-02" in {p["code"] for p in plans}
    kinds = documents_api(city.drafter, "get", "/matter-kinds").json()
    assert {"general", "spending"} <= {k["code"] for k in kinds}


def test_anonymous_callers_get_401(city, draft):
    doc = draft()
    client = Client()
    assert client.get(f"{DOCUMENTS_API}/").status_code == 401
    assert client.get(f"{DOCUMENTS_API}/{doc.pk}").status_code == 401
    assert (
        client.post(f"{DOCUMENTS_API}/{doc.pk}/withdraw", {"expected_version": 1}, "application/json").status_code
        == 401
    )


def test_session_writes_need_the_csrf_token(city, draft):
    doc = draft()
    client = client_for(city.drafter, csrf=True)
    path = f"{DOCUMENTS_API}/{doc.pk}/withdraw"
    refused = client.post(path, {"expected_version": doc.version}, content_type="application/json")
    assert refused.status_code == 403
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DRAFT
    assert client.get(f"{DOCUMENTS_API}/{doc.pk}").status_code == 200  # reads need no token
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else _token(client)
    accepted = client.post(
        path, {"expected_version": doc.version}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == DocumentStatus.WITHDRAWN


def _token(client: Client) -> str:
    client.get("/accounts/login/")
    return client.cookies["csrftoken"].value


EVERY_OPERATION = {
    ("get", "/api/documents/"),
    ("post", "/api/documents/"),
    ("get", "/api/documents/{document_id}"),
    ("get", "/api/documents/{document_id}/history"),
    ("get", "/api/documents/{document_id}/records-log"),
    ("get", "/api/documents/{document_id}/content"),
    ("patch", "/api/documents/{document_id}"),
    ("post", "/api/documents/{document_id}/attachments"),
    ("get", "/api/documents/{document_id}/attachments/{attachment_id}"),
    ("delete", "/api/documents/{document_id}/attachments/{attachment_id}"),
    ("post", "/api/documents/{document_id}/retention-extension"),
    ("post", "/api/documents/{document_id}/formal-additions"),
    ("post", "/api/documents/paper-decisions"),
    ("post", "/api/documents/saved-routes"),
    ("delete", "/api/documents/saved-routes/{route_id}"),
    ("get", "/api/documents/{document_id}/signed-pdf"),
    ("post", "/api/documents/{document_id}/submit"),
    ("post", "/api/documents/{document_id}/resubmit"),
    ("post", "/api/documents/{document_id}/approve"),
    ("post", "/api/documents/{document_id}/agree"),
    ("post", "/api/documents/{document_id}/object"),
    ("post", "/api/documents/{document_id}/send-back"),
    ("post", "/api/documents/{document_id}/reject"),
    ("post", "/api/documents/{document_id}/pull-back"),
    ("post", "/api/documents/{document_id}/withdraw"),
    ("post", "/api/documents/{document_id}/skip-absent"),
    ("post", "/api/documents/{document_id}/comments"),
    ("post", "/api/documents/{document_id}/issue"),
    ("post", "/api/documents/{document_id}/close"),
    ("post", "/api/documents/bulk-approve"),
    ("get", "/api/documents/inbox/counts"),
    ("get", "/api/documents/inbox/{bucket}"),
    ("get", "/api/documents/post-reviews"),
    ("post", "/api/documents/post-reviews/{review_id}/complete"),
    ("post", "/api/documents/receipts"),
    ("get", "/api/documents/receipts"),
    ("get", "/api/documents/saved-routes"),
    ("post", "/api/documents/receipts/{receipt_id}/circulate"),
    ("get", "/api/documents/receipts/{receipt_id}"),
    ("post", "/api/documents/receipts/{receipt_id}/seen"),
    ("post", "/api/documents/receipts/{receipt_id}/close"),
    ("post", "/api/documents/receipts/{receipt_id}/cancel"),
    ("post", "/api/documents/receipts/{receipt_id}/files"),
    ("get", "/api/documents/receipts/{receipt_id}/files/{file_id}"),
    ("delete", "/api/documents/receipts/{receipt_id}/files/{file_id}"),
    ("get", "/api/documents/receipts/{receipt_id}/sheet"),
    ("get", "/api/documents/receipts/circulation-candidates"),
    ("post", "/api/documents/receipts/imports"),
    ("get", "/api/documents/file-plan-classes"),
    ("get", "/api/documents/matter-kinds"),
    ("get", "/api/documents/delegation-rules"),
    ("post", "/api/documents/delegation-rules"),
    ("post", "/api/documents/delegation-rules/{rule_id}/change"),
    ("post", "/api/documents/delegation-rules/{rule_id}/end"),
    ("delete", "/api/documents/delegation-rules/{rule_id}"),
    ("post", "/api/documents/delegation-rules/preview"),
    # disposal and transfer lists (廃棄・移管リスト)
    ("get", "/api/documents/disposal-lists"),
    ("post", "/api/documents/disposal-lists"),
    ("post", "/api/documents/disposal-lists/generate"),
    ("get", "/api/documents/disposal-lists/{list_id}"),
    ("put", "/api/documents/disposal-lists/{list_id}/items/{item_id}"),
    ("post", "/api/documents/disposal-lists/{list_id}/submit"),
    ("get", "/api/documents/disposal-lists/{list_id}/package"),
    # records management (文書の保存): the file plan's edits, extensions and additions listed, 書庫・借覧
    ("post", "/api/documents/file-plan-classes"),
    ("put", "/api/documents/file-plan-classes/{plan_id}"),
    ("post", "/api/documents/file-plan-classes/{plan_id}/end"),
    ("get", "/api/documents/{document_id}/retention-extensions"),
    ("get", "/api/documents/{document_id}/formal-additions"),
    ("get", "/api/documents/storerooms"),
    ("post", "/api/documents/storerooms"),
    ("get", "/api/documents/storage-boxes"),
    ("post", "/api/documents/storage-boxes"),
    ("get", "/api/documents/storage-boxes/{box_id}"),
    ("put", "/api/documents/{document_id}/storage"),
    ("get", "/api/documents/{document_id}/loans"),
    ("post", "/api/documents/{document_id}/loans"),
    ("get", "/api/documents/loans"),
    ("post", "/api/documents/loans/{loan_id}/return"),
}


def test_openapi_schema_lists_every_operation_with_a_japanese_summary(client, make_user):
    client.force_login(make_user("schema-reader"))  # the schema is for signed-in users only
    schema = client.get("/api/openapi.json").json()
    listed = {(m, p) for p, ops in schema["paths"].items() if p.startswith("/api/documents") for m in ops}
    assert listed == EVERY_OPERATION
    for path, ops in schema["paths"].items():
        for op in ops.values():
            if path.startswith("/api/documents"):
                assert any(ord(ch) > 0x3000 for ch in op["summary"]), op["summary"]
                assert op["security"], path


def test_every_kind_of_write_needs_the_csrf_token(city, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = draft()
    client = client_for(city.drafter, csrf=True)
    v = doc.version
    kind = city.kinds["general"].pk
    assert (
        client.post(f"{DOCUMENTS_API}/", {"title": "x", "matter_kind_id": kind}, "application/json").status_code == 403
    )
    assert (
        client.patch(f"{DOCUMENTS_API}/{doc.pk}", {"expected_version": v, "title": "y"}, "application/json").status_code
        == 403
    )
    upload = {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"), "expected_version": v}
    assert client.post(f"{DOCUMENTS_API}/{doc.pk}/attachments", upload).status_code == 403
    assert client.delete(f"{DOCUMENTS_API}/{doc.pk}/attachments/1?expected_version={v}").status_code == 403
    assert client.post(f"{DOCUMENTS_API}/bulk-approve", {"items": []}, "application/json").status_code == 403
    doc.refresh_from_db()
    assert (doc.title, doc.version, Document.objects.count()) == ("公用車の修繕について", v, 1)


def test_detail_queries_do_not_grow_with_the_route(city, submitted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short = submitted()
    long = submitted(extra_reviewers=[city.shunin], consult_units=[city.units.zaisei, city.units.jinji])
    client = client_for(city.drafter)
    counts = []
    for doc in (short, long):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{DOCUMENTS_API}/{doc.pk}").status_code == 200
        counts.append(len(queries))
    assert len(long.steps.all()) > len(short.steps.all())
    assert counts[0] == counts[1]
