"""The documents API audits views and downloads of documents marked 個人情報あり, as the pages do."""

from __future__ import annotations

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.sheet import sign_decided_document
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.web import DOCUMENTS_API, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _count(what: str, document_id: int) -> int:
    return AuditEntry.objects.filter(action=f"documents.document.{what}", object_id=str(document_id)).count()


def test_detail_and_attachment_download_are_recorded_for_personal_information(city, draft):
    marked = draft(has_personal_info=True, title="生活相談の記録について")
    plain = draft()
    files = {}
    for doc in (marked, plain):
        files[doc.pk] = services.attachment_add(
            actor=city.drafter, document=doc, expected_version=doc.version, **upload("記録.pdf", pdf_bytes())
        )
    reader = client_for(city.kakaricho)
    assert reader.get(f"{DOCUMENTS_API}/{marked.pk}").status_code == 200
    assert (_count("view", marked.pk), _count("download", marked.pk)) == (1, 0)
    assert reader.get(f"{DOCUMENTS_API}/{marked.pk}/attachments/{files[marked.pk].pk}").status_code == 200
    assert (_count("view", marked.pk), _count("download", marked.pk)) == (1, 1)
    entry = AuditEntry.objects.filter(action="documents.document.download", object_id=str(marked.pk)).get()
    assert entry.actor_id == city.kakaricho.pk
    # No record without personal information, nor for a missing attachment or the search list.
    assert reader.get(f"{DOCUMENTS_API}/{plain.pk}").status_code == 200
    assert reader.get(f"{DOCUMENTS_API}/{plain.pk}/attachments/{files[plain.pk].pk}").status_code == 200
    assert reader.get(f"{DOCUMENTS_API}/{marked.pk}/attachments/{files[plain.pk].pk}").status_code == 404
    assert reader.get(f"{DOCUMENTS_API}/").status_code == 200
    assert (_count("view", plain.pk), _count("download", plain.pk)) == (0, 0)
    assert (_count("view", marked.pk), _count("download", marked.pk)) == (1, 1)


def test_signed_pdf_download_is_recorded_for_personal_information(city, submitted, city_signing):
    doc = submitted(has_personal_info=True)
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    reader = client_for(city.drafter)
    assert reader.get(f"{DOCUMENTS_API}/{doc.pk}/signed-pdf").status_code == 404  # not signed yet: nothing downloaded
    assert _count("download", doc.pk) == 0
    assert sign_decided_document(doc.pk)
    assert reader.get(f"{DOCUMENTS_API}/{doc.pk}/signed-pdf").status_code == 200
    assert _count("download", doc.pk) == 1
