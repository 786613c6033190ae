"""The batch travels the approval engine: its route sees the document and what it decides, never a person;
search never finds person data, and finds the batch only for those who may see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.documents.indexing import document_text, index_document
from cityhall.documents.models import DocumentStatus
from cityhall.testing.engine import pending_step, submit
from cityhall.testing.web import client_for, documents_api

pytestmark = pytest.mark.django_db


def _found(user, word: str, document_id: int) -> bool:
    response = documents_api(user, "get", "/", {"q": word})
    assert response.status_code == 200
    return document_id in [item["id"] for item in response.json()["items"]]


def test_the_route_sees_the_batch_document_and_its_counts_but_no_person(city, inquiry_city):
    w = inquiry_city
    doc = submit(w.batch)
    assert doc.status == DocumentStatus.CIRCULATING and pending_step(doc).assignee == w.kakaricho
    index_document(doc.pk)
    secrets = [w.yamada.name, w.yamada.kana, w.yamada.resident_number, w.suzuki.name, w.yamada.address]
    assert not any(secret in " ".join(document_text(doc)) for secret in secrets)

    approver = client_for(w.kakaricho)  # on the route, no 徴税 role
    page = approver.get(reverse("documents:detail", args=[doc.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "照会対象者" in html and "2名" in html and w.insurer.name in html
    assert not any(secret in html for secret in secrets)
    assert reverse("inquiries:batch", args=[w.batch.pk]) not in html  # the record link is for collectors
    content = documents_api(w.kakaricho, "get", f"/{doc.pk}/content").json()
    assert not any(secret in str(content) for secret in secrets)
    assert approver.get(reverse("inquiries:batch", args=[w.batch.pk])).status_code == 404
    assert approver.get(reverse("inquiries:person", args=[w.yamada.pk])).status_code == 404
    assert _found(w.kakaricho, "預貯金", doc.pk)

    collector = client_for(w.nozei_kacho)  # the decider, a collector of the section: the link is there
    assert (
        reverse("inquiries:batch", args=[w.batch.pk])
        in collector.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    )
    for outsider in (city.drafter, city.docmgr, w.zeimu_collector):  # 文書主管 and another section's collector too
        assert client_for(outsider).get(reverse("documents:detail", args=[doc.pk])).status_code == 404
        assert documents_api(outsider, "get", f"/{doc.pk}").status_code == 404
        assert not _found(outsider, "預貯金", doc.pk)
    assert not _found(w.collector, w.yamada.kana, doc.pk)  # persons are never indexed
