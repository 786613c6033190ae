"""Files through the API: attachment upload and download, the signed PDF of a decided document."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityhall.documents import services
from cityhall.documents.models import Attachment, Document
from cityhall.documents.sheet import sign_decided_document
from cityhall.signing.verify import verify_pdf
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.web import DOCUMENTS_API, client_for, documents_api


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _upload(user, doc, name, data, **form):
    client = client_for(user)
    return client.post(f"{DOCUMENTS_API}/{doc.pk}/attachments", {"file": SimpleUploadedFile(name, data), **form})


def test_upload_and_download_an_attachment(city, draft):
    doc = draft()
    data = pdf_bytes("見積書")
    response = _upload(city.drafter, doc, "見積書.pdf", data, expected_version=doc.version)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["size"], body["sha256"]) == ("見積書.pdf", len(data), hashlib.sha256(data).hexdigest())
    assert body["content_type"] == "application/pdf"
    listed = documents_api(city.drafter, "get", f"/{doc.pk}").json()["attachments"]
    assert [a["id"] for a in listed] == [body["id"]]
    download = client_for(city.kakaricho).get(f"{DOCUMENTS_API}/{doc.pk}/attachments/{body['id']}")
    assert download.status_code == 200
    assert download.getvalue() == data
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("空.pdf", b"", "空のファイル"),
        ("偽物.pdf", b"MZ\x90\x00 this is not a pdf at all", "偽物.pdf"),
    ],
)
def test_upload_refuses_bad_files_and_stores_nothing(city, draft, name, data, words):
    doc = draft()
    response = _upload(city.drafter, doc, name, data, expected_version=doc.version)
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert words in response.json()["detail"]
    assert Attachment.objects.count() == 0
    assert Document.objects.get(pk=doc.pk).version == doc.version


def test_upload_needs_the_version_and_refuses_a_stale_one(city, draft):
    doc = draft()
    missing = _upload(city.drafter, doc, "a.pdf", pdf_bytes())
    assert (missing.status_code, missing.json()["field"]) == (400, "expected_version")
    stale = _upload(city.drafter, doc, "a.pdf", pdf_bytes(), expected_version=doc.version - 1)
    assert stale.status_code == 409
    assert Attachment.objects.count() == 0


def test_upload_and_download_on_a_forbidden_document_is_404(city, draft):
    secret = draft(by=city.outsider, is_confidential=True)
    attachment = services.attachment_add(
        actor=city.outsider, document=secret, expected_version=secret.version, **upload("人事.pdf", pdf_bytes())
    )
    refused = _upload(city.drafter, secret, "x.pdf", pdf_bytes(), expected_version=secret.version + 1)
    assert refused.status_code == 404
    assert Attachment.objects.count() == 1
    assert client_for(city.drafter).get(f"{DOCUMENTS_API}/{secret.pk}/attachments/{attachment.pk}").status_code == 404
    own = draft()
    # an attachment id of another document through a visible one is also missing
    assert client_for(city.drafter).get(f"{DOCUMENTS_API}/{own.pk}/attachments/{attachment.pk}").status_code == 404
    assert client_for(city.outsider).get(f"{DOCUMENTS_API}/{secret.pk}/attachments/{attachment.pk}").status_code == 200


def test_signed_pdf_downloads_and_verifies(city, submitted, draft, city_signing):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    not_yet = client_for(city.drafter).get(f"{DOCUMENTS_API}/{doc.pk}/signed-pdf")
    assert not_yet.status_code == 404
    assert sign_decided_document(doc.pk)
    response = client_for(city.drafter).get(f"{DOCUMENTS_API}/{doc.pk}/signed-pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.getvalue()
    report = verify_pdf(data)
    assert report.signed and report.intact, report.message
    assert (
        hashlib.sha256(data).hexdigest() == documents_api(city.drafter, "get", f"/{doc.pk}").json()["signed_pdf_sha256"]
    )
    secret = draft(by=city.outsider, is_confidential=True)
    assert client_for(city.drafter).get(f"{DOCUMENTS_API}/{secret.pk}/signed-pdf").status_code == 404


def test_remove_an_attachment_from_a_draft(city, draft):
    doc = draft()
    attachment = services.attachment_add(
        actor=city.drafter, document=doc, expected_version=doc.version, **upload("見積書.pdf", pdf_bytes())
    )
    seen = Document.objects.get(pk=doc.pk).version
    path = f"{DOCUMENTS_API}/{doc.pk}/attachments/{attachment.pk}"
    assert client_for(city.drafter2).delete(f"{path}?expected_version={seen}").status_code == 404
    missing_version = client_for(city.drafter).delete(path)
    assert (missing_version.status_code, missing_version.json()["field"]) == (422, "expected_version")
    assert client_for(city.drafter).delete(f"{path}?expected_version={seen - 1}").status_code == 409
    assert Attachment.objects.count() == 1
    assert client_for(city.drafter).delete(f"{path}?expected_version={seen}").status_code == 204
    assert Attachment.objects.count() == 0
    secret = draft(by=city.outsider, is_confidential=True)
    assert (
        client_for(city.drafter).delete(f"{DOCUMENTS_API}/{secret.pk}/attachments/1?expected_version=1").status_code
        == 404
    )
