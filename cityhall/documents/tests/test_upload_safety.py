"""Uploads under attack (添付ファイルの安全): permission before content, active PDFs, archive bombs, polyglots.

Every file here is real bytes made in the test: PDFs by fpdf2 and pyHanko's writer, archives by
``zipfile``, GIF/PNG by hand after their specifications.
"""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.documents import services
from cityhall.documents.models import Attachment
from cityhall.testing.documents import (
    docx_bytes,
    inflating_docx,
    pdf_bytes,
    pdf_with_catalog,
    upload,
    zip_bytes,
)
from cityhall.testing.web import DOCUMENTS_API, client_for

# A 1×1 GIF (GIF89a: header, screen, colour table, image, trailer).
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _gif_with_comment(comment: bytes) -> bytes:
    """The GIF above with a comment extension (0x21 0xFE) holding ``comment`` before the image."""
    return GIF[:19] + b"\x21\xfe" + bytes([len(comment)]) + comment + b"\x00" + GIF[19:]


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _add(city, doc, name, data):
    return services.attachment_add(actor=city.drafter, document=doc, expected_version=doc.version, **upload(name, data))


# --- permission before content -------------------------------------------------------------


def test_permission_is_checked_before_the_file_is_read(city, draft):
    doc = draft()
    stream = io.BytesIO(b"%PDF-1.7\n not a real pdf")
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=city.kakaricho, document=doc, expected_version=1, name="a.pdf", stream=stream)
    assert stream.tell() == 0, "the file was read before the permission check"


def test_api_upload_by_a_reader_is_refused_as_forbidden_not_as_a_bad_file(city, draft):
    doc = draft()
    response = client_for(city.kakaricho).post(
        f"{DOCUMENTS_API}/{doc.pk}/attachments",
        {"file": SimpleUploadedFile("壊れ.pdf", b"%PDF-1.7\n garbage"), "expected_version": doc.version},
    )
    assert response.status_code in (403, 404), response.content
    assert "壊れ" not in response.content.decode()


def test_page_upload_by_a_reader_is_refused_before_the_file_is_checked(client, city, draft):
    doc = draft()
    client.force_login(city.kakaricho)
    bad = SimpleUploadedFile("壊れ.pdf", b"%PDF-1.7\n garbage", content_type="application/pdf")
    response = client.post(reverse("documents:attachment_add", args=[doc.pk]), {"file": bad, "expected_version": 1})
    assert response.status_code in (403, 404)
    assert "壊れている" not in response.content.decode()
    assert Attachment.objects.count() == 0


# --- active content in PDFs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        ({"/OpenAction": {"/S": "/JavaScript", "/JS": "app.alert(1)"}}, "JavaScript"),
        ({"/Names": {"/JavaScript": {"/Names": ["a", {"/S": "/JavaScript", "/JS": "app.alert(2)"}]}}}, "JavaScript"),
        ({"/AA": {"/WC": {"/S": "/JavaScript", "/JS": "app.alert(3)"}}}, "自動で実行"),
        ({"/OpenAction": {"/S": "/Launch", "/F": "cmd.exe"}}, "外部のプログラム"),
        ({"/Names": {"/EmbeddedFiles": {"/Names": ["x.exe", {"/Type": "/Filespec", "/F": "x.exe"}]}}}, "埋め込み"),
    ],
    ids=["open-action-js", "names-js", "additional-action", "launch", "embedded-file"],
)
def test_pdfs_with_active_content_are_refused(city, draft, entries, words):
    doc = draft()
    with pytest.raises(ValidationFailed, match=words) as caught:
        _add(city, doc, "危険.pdf", pdf_with_catalog(entries))
    assert caught.value.field == "file" and "危険.pdf" in caught.value.message
    assert Attachment.objects.count() == 0


def test_a_plain_pdf_with_a_view_open_action_is_accepted(city, draft):
    # fpdf2 writes /OpenAction as a destination (which page to show): not an action, so accepted.
    doc = draft()
    attachment = _add(city, doc, "普通.pdf", pdf_with_catalog({"/PageMode": "/UseNone"}, text="道路補修"))
    assert "道路補修" in attachment.extracted_text


# --- archives -------------------------------------------------------------------------------


def test_a_docx_that_inflates_to_200_mb_is_refused_by_default(city, draft, settings):
    assert settings.CITYHALL_MAX_ARCHIVE_BYTES == 100 * 1024 * 1024
    doc = draft()
    bomb = inflating_docx(200 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationFailed, match="展開後の大きさ") as caught:
        _add(city, doc, "爆弾.docx", bomb)
    assert "100MB" in caught.value.message
    assert Attachment.objects.count() == 0


def test_the_archive_limit_is_a_setting(city, draft, settings):
    settings.CITYHALL_MAX_ARCHIVE_BYTES = 1024 * 1024
    doc = draft()
    with pytest.raises(ValidationFailed, match="展開後の大きさ"):
        _add(city, doc, "大.docx", inflating_docx(2 * 1024 * 1024))
    _add(city, doc, "小.docx", inflating_docx(512 * 1024))
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    "inner",
    [zip_bytes({"a.txt": b"a"}), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), b"\x1f\x8b\x08\x00" + bytes(16)],
    ids=["zip", "ole", "gzip"],
)
def test_archives_inside_archives_are_refused(city, draft, inner):
    doc = draft()
    with pytest.raises(ValidationFailed, match="中に別の圧縮ファイル"):
        _add(city, doc, "入れ子.docx", docx_bytes({"word/embeddings/inner.bin": inner}))
    assert Attachment.objects.count() == 0


def test_the_office_type_comes_from_the_content(city, draft):
    doc = draft()
    sheet = zip_bytes({"xl/workbook.xml": b"<workbook/>"}, first={"[Content_Types].xml": b"<Types/>"})
    with pytest.raises(ValidationFailed, match="中身がExcel"):
        _add(city, doc, "表.docx", sheet)
    attachment = _add(city, doc, "表.xlsx", sheet)
    assert attachment.content_type.endswith("spreadsheetml.sheet")


# --- files of two types (polyglots) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("画像.gif", _gif_with_comment(b"<html><script>alert(document.cookie)</script></html>")),
        ("画像.gif", GIF + b"<!doctype html><body onload=alert(1)>"),
        ("資料.pdf", pdf_bytes() + zip_bytes({"evil.html": b"<script>alert(1)</script>"})),
        ("写真.png", _png() + zip_bytes({"a.class": b"\xca\xfe\xba\xbe"})),
        ("資料.pdf", b"<html><script>alert(1)</script></html>\n" + pdf_bytes()),
    ],
    ids=["gif-html-comment", "gif-html-trailer", "pdf-zip", "png-zip", "html-pdf"],
)
def test_a_file_of_two_types_is_refused(city, draft, name, data):
    doc = draft()
    with pytest.raises(ValidationFailed, match=r"二つの種類|中身が") as caught:
        _add(city, doc, name, data)
    assert caught.value.field == "file"
    assert Attachment.objects.count() == 0


def test_plain_images_are_still_accepted(city, draft):
    doc = draft()
    _add(city, doc, "画像.gif", GIF)
    doc.refresh_from_db()
    _add(city, doc, "写真.png", _png())
    assert Attachment.objects.count() == 2


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_damaged_files_are_refused_with_a_message_never_a_crash(kind):
    from cityhall.documents.files import check_upload

    original = docx_bytes({"word/media/a.txt": b"x" * 5000}) if kind == "docx" else pdf_bytes()
    rnd = random.Random(kind)
    for _ in range(60):
        damaged = bytearray(original)
        for _ in range(rnd.randint(1, 6)):
            damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
        data = bytes(damaged[: rnd.randrange(8, len(damaged))] if rnd.random() < 0.3 else damaged)
        try:
            check_upload(f"damaged.{kind}", io.BytesIO(data))
        except ValidationFailed as refused:
            assert refused.field == "file"


def test_opendocument_files_are_accepted_by_their_mimetype(city, draft):
    doc = draft()
    mimetype = {"mimetype": b"application/vnd.oasis.opendocument.text"}
    odt = zip_bytes({"content.xml": b"<office:document-content/>"}, first=mimetype)
    assert _add(city, doc, "資料.odt", odt).content_type == "application/vnd.oasis.opendocument.text"
