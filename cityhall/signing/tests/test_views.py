import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cityhall.signing.sign import sign_pdf

pytestmark = pytest.mark.django_db
URL = reverse("signing:verify")


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user(username="kensho", last_name="検証", first_name="太郎")
    client.force_login(user)
    return client


def _upload(data: bytes, name: str = "decision.pdf") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="application/pdf")}


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_page_shows_the_form(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "署名付き PDF の検証" in body
    assert 'type="file"' in body and 'enctype="multipart/form-data"' in body


def test_signed_pdf_is_reported_intact(staff_client, city_signing, sheet_pdf):
    signed = sign_pdf(sheet_pdf, reason="決裁", location="みどり野市役所")
    response = staff_client.post(URL, _upload(signed))
    assert response.status_code == 200
    body = response.content.decode()
    assert "みどり野市長 が署名したもので、署名の後に改変されていません" in body
    assert "notice--success" in body


def test_tampered_pdf_is_reported(staff_client, city_signing, sheet_pdf):
    signed = bytearray(sign_pdf(sheet_pdf, reason="決裁", location="みどり野市役所"))
    signed[len(sheet_pdf) // 2] ^= 0x01
    response = staff_client.post(URL, _upload(bytes(signed)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "改変されているか、署名が壊れています" in body
    assert "notice--error" in body


def test_disguised_file_is_rejected_with_a_japanese_message(staff_client, city_signing):
    response = staff_client.post(URL, _upload(b"\x89PNG\r\n\x1a\n not a pdf", name="looks.pdf"))
    assert response.status_code == 400
    assert "このファイルは PDF ではありません" in response.content.decode()


def test_missing_file_is_rejected(staff_client):
    response = staff_client.post(URL, {})
    assert response.status_code == 400
    assert "検証する PDF ファイルを選んでください" in response.content.decode()


def test_oversized_file_is_rejected(staff_client, settings, sheet_pdf):
    settings.CITYHALL_MAX_UPLOAD_BYTES = 1000
    response = staff_client.post(URL, _upload(sheet_pdf))
    assert response.status_code == 400
    assert "ファイルが大きすぎます" in response.content.decode()


def test_csrf_is_enforced(city_signing, sheet_pdf):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create_user(username="csrf", last_name="検証", first_name="花子"))
    response = client.post(URL, _upload(sheet_pdf))
    assert response.status_code == 403
