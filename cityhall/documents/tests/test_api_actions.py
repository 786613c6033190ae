"""Route actions through the API: success, 404 for what one may not see, validation and stale versions."""

from __future__ import annotations

import pytest

from cityhall.documents.models import Document, DocumentComment, DocumentStatus, PostReview, StepState
from cityhall.testing.city import absent
from cityhall.testing.web import documents_api


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _state(doc: Document) -> tuple[str, int]:
    doc.refresh_from_db()
    return doc.status, doc.version


# One row per document action: the path, who may act, how to prepare the document and a valid body.
def _prepare(city, submitted, draft, name):
    if name in ("submit", "withdraw"):
        return draft(), city.drafter
    if name == "resubmit":
        doc = submitted()
        doc = _ok(city.kakaricho, doc, "send-back", comment="金額を確認してください")
        return doc, city.drafter
    if name in ("agree", "object"):
        doc = _ok(city.kakaricho, submitted(consult_units=[city.units.zaisei]), "approve")
        return doc, city.zaisei_kacho
    if name in ("pull-back", "skip-absent"):
        if name == "skip-absent":
            absent(city.kakaricho)
        return submitted(), city.drafter
    return submitted(), city.kakaricho


def _ok(user, doc, action, **extra):
    response = documents_api(user, "post", f"/{doc.pk}/{action}", {"expected_version": doc.version, **extra})
    assert response.status_code == 200, response.json()
    return Document.objects.get(pk=doc.pk)


ACTIONS = {
    # action: (extra body, expected status after, expected step state of the actor's step or None)
    "submit": ({}, DocumentStatus.CIRCULATING),
    "resubmit": ({}, DocumentStatus.CIRCULATING),
    "approve": ({"comment": "確認しました"}, DocumentStatus.CIRCULATING),
    "agree": ({}, DocumentStatus.CIRCULATING),
    "object": ({"comment": "定員に影響します"}, DocumentStatus.CIRCULATING),
    "send-back": ({"comment": "金額を確認してください"}, DocumentStatus.SENT_BACK),
    "reject": ({"comment": "目的が不明です"}, DocumentStatus.REJECTED),
    "pull-back": ({}, DocumentStatus.DRAFT),
    "withdraw": ({"reason": "不要になりました"}, DocumentStatus.WITHDRAWN),
    "skip-absent": ({}, DocumentStatus.CIRCULATING),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_succeeds_for_the_right_person(city, submitted, draft, action):
    doc, who = _prepare(city, submitted, draft, action)
    extra, status = ACTIONS[action]
    seen = doc.version
    response = documents_api(who, "post", f"/{doc.pk}/{action}", {"expected_version": seen, **extra})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["version"]) == (status, seen + 1)
    assert _state(doc) == (status, seen + 1)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_on_another_sections_confidential_document_is_404(city, draft, action):
    secret = draft(by=city.outsider, title="職員の懲戒処分について", is_confidential=True)
    extra, _ = ACTIONS[action]
    seen = secret.version
    response = documents_api(city.kakaricho, "post", f"/{secret.pk}/{action}", {"expected_version": seen, **extra})
    assert response.status_code == 404
    assert response.json()["detail"] == "文書が見つからないか、操作する権限がありません。"
    assert _state(secret) == (DocumentStatus.DRAFT, seen)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_on_a_stale_version_is_409_and_changes_nothing(city, submitted, draft, action):
    doc, who = _prepare(city, submitted, draft, action)
    before = _state(doc)
    extra, _ = ACTIONS[action]
    response = documents_api(who, "post", f"/{doc.pk}/{action}", {"expected_version": doc.version - 1, **extra})
    assert response.status_code == 409, response.json()
    assert "変更されています" in response.json()["detail"]
    assert _state(doc) == before


@pytest.mark.parametrize(
    ("action", "body", "field", "words"),
    [
        ("object", {"comment": " "}, "comment", "異議の理由"),
        ("send-back", {}, "comment", "理由を入力"),
        ("reject", {"comment": ""}, "comment", "理由を入力"),
        ("approve", {"expected_version": None}, "expected_version", "入力内容に誤り"),
        ("agree", {"expected_version": "二"}, "expected_version", "入力内容に誤り"),
        ("pull-back", {"expected_version": None}, "expected_version", "入力内容に誤り"),
        ("withdraw", {"expected_version": None}, "expected_version", "入力内容に誤り"),
        ("skip-absent", {}, None, "後閲に回せる回議者はいません"),
        ("submit", {"extra_reviewer_ids": [999999]}, "extra_reviewer_ids", "職員が見つかりません"),
        ("resubmit", {"consult_unit_ids": [999999]}, "consult_unit_ids", "組織が見つかりません"),
    ],
)
def test_action_validation_failure_names_the_field_and_saves_nothing(
    city, submitted, draft, action, body, field, words
):
    if action == "skip-absent":
        doc, who = submitted(), city.drafter  # nobody is absent
    else:
        doc, who = _prepare(city, submitted, draft, action)
    before = _state(doc)
    steps = list(doc.steps.values_list("pk", "state"))
    response = documents_api(who, "post", f"/{doc.pk}/{action}", {"expected_version": doc.version, **body})
    assert response.status_code in (400, 422), response.json()
    assert response.json()["field"] == field
    assert words in response.json()["detail"]
    assert _state(doc) == before
    assert list(doc.steps.values_list("pk", "state")) == steps


def test_approve_by_someone_not_on_the_step_is_404(city, submitted):
    doc = submitted()
    response = documents_api(city.drafter2, "post", f"/{doc.pk}/approve", {"expected_version": doc.version})
    assert response.status_code == 404
    assert doc.steps.filter(state=StepState.APPROVED).count() == 0


def test_proxy_decision_through_approve_then_post_review(city, submitted):
    doc = _ok(city.kakaricho, submitted(), "approve")
    absent(city.kacho, proxy=city.hosa)
    assert "decide_proxy" in documents_api(city.hosa, "get", f"/{doc.pk}").json()["actions"]
    body = documents_api(city.hosa, "post", f"/{doc.pk}/approve", {"expected_version": doc.version}).json()
    assert (body["status"], body["decided_by_proxy"]) == (DocumentStatus.DECIDED, True)
    assert body["steps"][-1]["by_proxy"] is True
    assert body["steps"][-1]["post_review_done"] is False
    assert PostReview.objects.get().reviewer == city.kacho


def test_submit_with_a_saved_route_of_someone_else_is_404(city, draft):
    from cityhall.documents import services

    route = services.saved_route_create(actor=city.drafter2, name="いつもの", reviewers=[city.shunin])
    doc = draft()
    response = documents_api(
        city.drafter, "post", f"/{doc.pk}/submit", {"expected_version": doc.version, "saved_route_id": route.pk}
    )
    assert response.status_code == 404
    assert _state(doc) == (DocumentStatus.DRAFT, 1)


def test_submit_with_an_extra_reviewer(city, draft):
    doc = draft()
    body = documents_api(
        city.drafter,
        "post",
        f"/{doc.pk}/submit",
        {"expected_version": doc.version, "extra_reviewer_ids": [city.shunin.pk]},
    ).json()
    assert "主野 太郎" in [s["assignee"] for s in body["steps"]]


def test_comment(city, submitted, draft):
    doc = submitted()
    response = documents_api(city.kacho, "post", f"/{doc.pk}/comments", {"body": "先に確認します"})
    assert response.status_code == 201
    assert response.json()["author"] == "課山 太郎"
    assert [c["body"] for c in documents_api(city.drafter, "get", f"/{doc.pk}").json()["comments"]] == [
        "先に確認します"
    ]
    invalid = documents_api(city.kacho, "post", f"/{doc.pk}/comments", {"body": "  "})
    assert (invalid.status_code, invalid.json()["field"]) == (400, "body")
    assert documents_api(city.outsider, "post", f"/{doc.pk}/comments", {"body": "部外者"}).status_code == 404
    secret = draft(by=city.outsider, is_confidential=True)
    assert documents_api(city.kacho, "post", f"/{secret.pk}/comments", {"body": "見えない"}).status_code == 404
    assert DocumentComment.objects.count() == 1


def test_bulk_approve_reports_each_item(city, submitted, draft):
    first, second, stale = submitted(), submitted(), submitted()
    secret = draft(by=city.outsider, is_confidential=True)
    items = [
        {"document_id": first.pk, "expected_version": first.version},
        {"document_id": second.pk, "expected_version": second.version},
        {"document_id": stale.pk, "expected_version": stale.version - 1},
        {"document_id": secret.pk, "expected_version": secret.version},
    ]
    response = documents_api(city.kakaricho, "post", "/bulk-approve", {"items": items, "comment": "一括"})
    assert response.status_code == 200
    results = response.json()
    assert [(r["document_id"], r["ok"]) for r in results] == [
        (first.pk, True),
        (second.pk, True),
        (stale.pk, False),
        (secret.pk, False),
    ]
    assert "変更されています" in results[2]["message"]
    assert _state(stale)[1] == items[2]["expected_version"] + 1
    assert _state(secret) == (DocumentStatus.DRAFT, items[3]["expected_version"])
    invalid = documents_api(city.kakaricho, "post", "/bulk-approve", {"items": [{"document_id": first.pk}]})
    assert (invalid.status_code, invalid.json()["field"]) == (422, "expected_version")


def test_saved_route_create_use_and_delete(city, draft):
    from cityhall.documents.models import SavedRoute

    payload = {"name": "財政課合議", "reviewer_ids": [city.shunin.pk], "consult_unit_ids": [city.units.zaisei.pk]}
    invalid = documents_api(city.drafter, "post", "/saved-routes", {**payload, "name": " "})
    assert (invalid.status_code, invalid.json()["field"]) == (400, "name")
    unknown = documents_api(city.drafter, "post", "/saved-routes", {**payload, "reviewer_ids": [999999]})
    assert (unknown.status_code, unknown.json()["field"]) == (400, "reviewer_ids")
    assert SavedRoute.objects.count() == 0
    created = documents_api(city.drafter, "post", "/saved-routes", payload)
    assert created.status_code == 201, created.json()
    route = created.json()
    assert (route["reviewer_ids"], route["consult_unit_ids"]) == ([city.shunin.pk], [city.units.zaisei.pk])
    doc = draft()
    sent = documents_api(
        city.drafter, "post", f"/{doc.pk}/submit", {"expected_version": doc.version, "saved_route_id": route["id"]}
    )
    assert {"主野 太郎", "財部 太郎"} <= {s["assignee"] for s in sent.json()["steps"]}
    assert documents_api(city.drafter2, "delete", f"/saved-routes/{route['id']}").status_code == 404
    assert documents_api(city.drafter, "delete", f"/saved-routes/{route['id']}").status_code == 204
    assert SavedRoute.objects.count() == 0
