"""差戻し先の選択: an approver sends the draft back to an earlier approver, and the route resumes from them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.documents import services
from cityhall.documents.models import Document, DocumentEvent, DocumentStatus, EventKind, StepState
from cityhall.documents.selectors import available_actions
from cityhall.testing.city import absent
from cityhall.testing.web import documents_api

pytestmark = pytest.mark.django_db


def _states(doc: Document) -> list[tuple[str, str]]:
    return list(doc.steps.filter(round=doc.current_round).order_by("order").values_list("assignee__username", "state"))


def _to_the_bucho(city, submitted) -> Document:
    """A ¥2,000,000 spending (部長専決) approved by the 係長 and the 課長: pending with the 部長."""
    doc = submitted(kind="spending", amount=2_000_000)
    for who in (city.kakaricho, city.kacho):
        doc = services.approve(actor=who, document=doc, expected_version=doc.version)
    return doc


def test_the_route_resumes_from_the_chosen_approver_and_the_history_names_them(city, submitted):
    doc = _to_the_bucho(city, submitted)
    assert "send_back_to" in available_actions(city.bucho, doc)
    target = doc.steps.get(assignee=city.kakaricho)
    doc = services.send_back(
        actor=city.bucho, document=doc, expected_version=doc.version, comment="積算根拠を係で確認のこと", to=target
    )
    doc.refresh_from_db()
    assert (doc.status, doc.current_round) == (DocumentStatus.CIRCULATING, 1)
    assert _states(doc) == [("kakaricho", "pending"), ("kacho", "waiting"), ("bucho", "waiting")]
    event = DocumentEvent.objects.get(document=doc, kind=EventKind.SEND_BACK)
    assert (event.actor, event.target_step) == (city.bucho, target)
    entry = AuditEntry.objects.filter(action="documents.document.send_back").latest("seq")
    assert json.loads(entry.after)["target_step"] == target.pk
    for who in (city.kakaricho, city.kacho, city.bucho):
        doc = services.approve(actor=who, document=doc, expected_version=doc.version)
    assert (doc.status, doc.decided_by) == (DocumentStatus.DECIDED, city.bucho)


def test_only_the_holder_sends_back_and_only_to_an_earlier_approver(city, submitted):
    doc = _to_the_bucho(city, submitted)
    steps = {s.assignee.username: s for s in doc.steps.all()}
    before = (_states(doc), doc.version)
    with pytest.raises(ValidationFailed) as caught:  # the actor's own step is no earlier approver
        services.send_back(actor=city.bucho, document=doc, expected_version=doc.version, comment="x", to=steps["bucho"])
    assert caught.value.field == "target_step"
    with pytest.raises(ValidationFailed, match="理由"):
        services.send_back(actor=city.bucho, document=doc, expected_version=doc.version, comment=" ", to=steps["kacho"])
    with pytest.raises(PermissionDenied):  # someone not on the route
        services.send_back(
            actor=city.outsider, document=doc, expected_version=doc.version, comment="x", to=steps["kacho"]
        )
    absent(city.bucho, proxy=city.fukushicho)
    with pytest.raises(PermissionDenied, match="本人だけ"):  # a 代決者 decides or sends back to the drafter only
        services.send_back(
            actor=city.fukushicho, document=doc, expected_version=doc.version, comment="x", to=steps["kacho"]
        )
    doc.refresh_from_db()
    assert (_states(doc), doc.version) == before


def test_screen_and_api_send_back_to_a_chosen_approver(client, city, submitted, settings):
    settings.CITYHALL_MFA_REQUIRED = "never"
    doc = _to_the_bucho(city, submitted)
    kacho_step = doc.steps.get(assignee=city.kacho)
    client.force_login(city.bucho)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "差戻し先" in page and f'value="{kacho_step.pk}"' in page
    url = reverse("documents:act", args=[doc.pk, "send_back"])
    response = client.post(
        url, {"expected_version": doc.version, "comment": "課長に再確認を", "target_step": kacho_step.pk}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert _states(doc)[1:] == [("kacho", "pending"), ("bucho", "waiting")]
    client.force_login(city.drafter)
    history = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "差戻し先: 総務課 課長 課山" in history
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    first = doc.steps.get(assignee=city.kakaricho)
    body = {"expected_version": doc.version, "comment": "係で確認を", "target_step_id": first.pk}
    response = documents_api(city.bucho, "post", f"/{doc.pk}/send-back", body)
    assert response.status_code == 200, response.json()
    assert [s["state"] for s in response.json()["steps"]] == [StepState.PENDING, "waiting", "waiting"]
    assert doc.delegation_rule is not None and response.json()["delegation_rule_id"] == doc.delegation_rule.pk
