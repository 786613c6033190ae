"""Views of encumbrances marked 個人情報あり are audited (個人情報の閲覧記録), on screen and through the API."""

from __future__ import annotations

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.documents.models import Document
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db

VIEW = "documents.document.view"


def _views(document_id: int) -> int:
    return AuditEntry.objects.filter(action=VIEW, object_id=str(document_id)).count()


def test_the_encumbrance_page_and_api_record_views_of_personal_information(city, budget, encumber):
    plain = encumber(amount=100_000, title="文具の購入")
    marked = encumber(amount=200_000, title="相談者への謝礼")
    Document.objects.filter(pk=marked.document_id).update(has_personal_info=True)
    client = client_for(city.kacho)
    assert client.get(f"/finance/encumbrances/{marked.pk}/").status_code == 200
    assert _views(marked.document_id) == 1
    assert client.get(f"/api/finance/encumbrances/{marked.pk}").status_code == 200
    assert _views(marked.document_id) == 2
    entry = AuditEntry.objects.filter(action=VIEW, object_id=str(marked.document_id)).latest("pk")
    assert entry.actor_id == city.kacho.pk
    # Documents without personal information and lists are not recorded.
    assert client.get(f"/finance/encumbrances/{plain.pk}/").status_code == 200
    assert client.get(f"/api/finance/encumbrances/{plain.pk}").status_code == 200
    assert client.get("/finance/encumbrances/").status_code == 200
    assert _views(plain.document_id) == 0 and _views(marked.document_id) == 2
    # Nobody who may not see it leaves a record, nor sees it.
    assert client_for(city.outsider).get(f"/api/finance/encumbrances/{marked.pk}").status_code == 404
    assert _views(marked.document_id) == 2
