"""起案の修正 of a typed document (文書の型): the kind of matter and the amount stay as its own service set them.

They decide the route (専決区分): a 支出 of ¥2,000,000 switched to 一般 would be decided by
a 係長 instead of a 部長. The typed document's own service keeps them in step with its data.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ValidationFailed
from cityhall.documents import registry, services
from cityhall.documents.models import Document
from cityhall.testing.web import documents_api

pytestmark = pytest.mark.django_db
TYPE = "tests.typed_edit"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def typed(city):
    """A 支出 draft of ¥2,000,000 of a registered type (as finance drafts its documents)."""
    registry.register_type(TYPE, "試験用の文書")
    doc = services.draft_create(
        actor=city.drafter,
        title="備品の購入について",
        matter_kind=city.kinds["spending"],
        amount=2_000_000,
        file_plan_class=city.plan,
        doc_type=TYPE,
    )
    yield doc
    registry.unregister_type(TYPE)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"matter_kind": "general"}, "matter_kind"), ({"amount": 500_000}, "amount"), ({"amount": None}, "amount")],
)
def test_typed_document_refuses_kind_and_amount_changes(city, typed, change, field):
    if "matter_kind" in change:
        change = {"matter_kind": city.kinds[change["matter_kind"]]}
    with pytest.raises(ValidationFailed) as caught:
        services.draft_update(actor=city.drafter, document=typed, expected_version=typed.version, **change)
    assert caught.value.field == field
    assert "試験用の文書" in caught.value.message
    doc = Document.objects.get(pk=typed.pk)
    assert (doc.matter_kind_id, doc.amount, doc.version) == (city.kinds["spending"].pk, 2_000_000, 1)
    assert not AuditEntry.objects.filter(action="documents.document.update").exists()


def test_typed_document_takes_its_own_values_back_with_other_changes(city, typed):
    doc = services.draft_update(
        actor=city.drafter,
        document=typed,
        expected_version=typed.version,
        title="備品（机）の購入について",
        matter_kind=city.kinds["spending"],
        amount=2_000_000,
    )
    assert (doc.title, doc.amount, doc.version) == ("備品（机）の購入について", 2_000_000, 2)


def test_plain_document_still_changes_kind_and_amount(city, draft):
    doc = draft(kind="spending", amount=2_000_000)
    doc = services.draft_update(
        actor=city.drafter, document=doc, expected_version=doc.version, matter_kind=city.kinds["general"], amount=None
    )
    assert (doc.matter_kind_id, doc.amount) == (city.kinds["general"].pk, None)


def _edit_post(city, doc, **overrides):
    data = {
        "title": doc.title,
        "body": doc.body,
        "matter_kind": doc.matter_kind_id,
        "amount": str(doc.amount),
        "file_plan_class": city.plan.pk,
        "expected_version": doc.version,
        "form_token": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def test_edit_screen_refuses_the_amount_of_a_typed_document_and_saves_the_title(client, city, typed):
    client.force_login(city.drafter)
    url = reverse("documents:edit", args=[typed.pk])
    response = client.post(url, _edit_post(city, typed, amount="500000"))
    assert response.status_code == 400
    assert "起案の修正では変更できません" in response.content.decode()
    assert Document.objects.get(pk=typed.pk).amount == 2_000_000
    response = client.post(url, _edit_post(city, typed, title="備品（椅子）の購入について"))
    assert response.status_code == 302
    assert Document.objects.get(pk=typed.pk).title == "備品（椅子）の購入について"


def test_edit_screen_and_api_change_a_plain_document(client, city, draft):
    doc = draft(kind="spending", amount=800_000)
    client.force_login(city.drafter)
    response = client.post(reverse("documents:edit", args=[doc.pk]), _edit_post(city, doc, amount="900000"))
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.amount == 900_000
    response = documents_api(city.drafter, "patch", f"/{doc.pk}", {"expected_version": doc.version, "amount": 950_000})
    assert response.status_code == 200 and response.json()["amount"] == 950_000


def test_api_refuses_the_kind_of_a_typed_document(city, typed):
    payload = {"expected_version": typed.version, "matter_kind_id": city.kinds["general"].pk}
    response = documents_api(city.drafter, "patch", f"/{typed.pk}", payload)
    assert response.status_code in (400, 422)
    assert response.json()["field"] == "matter_kind_id"  # the payload's name for it
    assert Document.objects.get(pk=typed.pk).matter_kind_id == city.kinds["spending"].pk


NOTE = "金額と事案の種類は、支出負担行為・支出命令などの画面で変更します。"


def test_edit_page_of_a_type_without_a_screen_has_the_note_and_no_link(client, city, typed):
    client.force_login(city.drafter)
    page = client.get(reverse("documents:edit", args=[typed.pk])).content.decode()
    assert NOTE in page and 'data-testid="typed-screen"' not in page
    assert 'type="text" name="amount"' not in page


def test_edit_page_of_a_plain_document_keeps_kind_and_amount_editable(client, city, draft):
    doc = draft(kind="spending", amount=800_000)
    client.force_login(city.drafter)
    page = client.get(reverse("documents:edit", args=[doc.pk])).content.decode()
    assert NOTE not in page
    assert 'type="text" name="amount"' in page and '<select name="matter_kind"' in page
