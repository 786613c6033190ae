"""Attachments and signed PDFs open in the page (ブラウザで表示), and downloading stays as it was.

A PDF or an image is served ``inline`` for the page's viewer, framed only by our own pages
(``X-Frame-Options: SAMEORIGIN``, CSP ``frame-ancestors 'self'``), never sniffed as something
else (``nosniff``); any other type is never inline. The same visibility check and the same
personal-information record as a download.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.sheet import sign_decided_document
from cityhall.testing.documents import docx_bytes, pdf_bytes, upload
from cityhall.testing.engine import decide

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _no_second_factor(settings, tmp_path):
    settings.CITYHALL_MFA_REQUIRED = "never"
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _attach(city, doc, name, data):
    return services.attachment_add(actor=city.drafter, document=doc, expected_version=doc.version, **upload(name, data))


def _safe_inline(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert "no-store" in response["Cache-Control"]


def test_a_pdf_attachment_opens_inline_and_still_downloads(client, city, draft):
    doc = draft()
    attachment = _attach(city, doc, "見積書.pdf", pdf_bytes("見積"))
    client.force_login(city.drafter)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    view = reverse("documents:attachment_view", args=[doc.pk, attachment.pk])
    download = reverse("documents:attachment", args=[doc.pk, attachment.pk])
    assert view in page and download in page and "<iframe" in page
    response = client.get(view)
    _safe_inline(response, "application/pdf")
    assert "filename*=utf-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(download)["Content-Disposition"].startswith("attachment;")


def test_an_image_shows_as_a_thumbnail(client, city, draft):
    doc = draft()
    attachment = _attach(city, doc, "現場写真.png", PNG)
    client.force_login(city.drafter)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    view = reverse("documents:attachment_view", args=[doc.pk, attachment.pk])
    assert f'<img src="{view}"' in page and 'alt="現場写真.png"' in page
    _safe_inline(client.get(view), "image/png")


def test_other_types_are_never_inline(client, city, draft):
    doc = draft()
    attachment = _attach(city, doc, "仕様書.docx", docx_bytes())
    client.force_login(city.drafter)
    view = reverse("documents:attachment_view", args=[doc.pk, attachment.pk])
    assert view not in client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert client.get(view).status_code == 404
    download = client.get(reverse("documents:attachment", args=[doc.pk, attachment.pk]))
    assert download["Content-Disposition"].startswith("attachment;")


def test_inline_views_keep_visibility_and_record_personal_information(client, city, draft):
    doc = draft(is_confidential=True, has_personal_info=True)
    attachment = _attach(city, doc, "名簿.pdf", pdf_bytes("名簿"))
    view = reverse("documents:attachment_view", args=[doc.pk, attachment.pk])
    client.force_login(city.outsider)
    assert client.get(view).status_code == 404
    client.force_login(city.drafter)
    views = AuditEntry.objects.filter(action="documents.document.view", object_id=str(doc.pk))
    before = views.count()
    assert client.get(view).status_code == 200
    assert views.count() == before + 1


def test_the_signed_pdf_opens_inline_beside_its_download(client, city, draft, city_signing):
    doc = draft(amount=800_000, kind="spending")
    decide(doc)
    assert sign_decided_document(doc.pk)
    client.force_login(city.drafter)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    view = reverse("documents:signed_pdf_view", args=[doc.pk])
    assert view in page and reverse("documents:signed_pdf", args=[doc.pk]) in page
    response = client.get(view)
    _safe_inline(response, "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
