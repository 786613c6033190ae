"""Drafting and attachments (起案・添付): success, bad input leaves nothing behind, permission, stale version."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import services
from cityhall.documents.models import Attachment, Document
from cityhall.testing.documents import pdf_bytes, upload


def test_create_draft_records_register_fields_and_audit(city, draft):
    doc = draft(kind="spending", amount=120_000, is_confidential=True, has_personal_info=True)
    assert doc.status == "draft"
    assert doc.section == city.units.soumu
    assert (doc.retention_years, doc.expiry_action) == (city.plan.retention_years, city.plan.expiry_action)
    assert doc.version == 1
    entry = AuditEntry.objects.get(action="documents.document.create")
    assert entry.object_id == str(doc.pk)
    assert entry.actor_id == city.drafter.pk


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"title": ""}, "title"), ({"kind": "spending"}, "amount"), ({"amount": -1, "kind": "spending"}, "amount")],
)
def test_missing_or_bad_fields_name_the_field_and_save_nothing(city, draft, kwargs, field):
    with pytest.raises(ValidationFailed) as caught:
        draft(**kwargs)
    assert caught.value.field == field
    assert Document.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="documents.document").exists()


def test_missing_matter_kind(city):
    with pytest.raises(ValidationFailed) as caught:
        services.draft_create(actor=city.drafter, title="件名", matter_kind=None)
    assert caught.value.field == "matter_kind"


def test_staff_without_assignment_cannot_draft(city, django_user_model):
    stranger = django_user_model.objects.create_user(username="stranger")
    with pytest.raises(PermissionDenied):
        services.draft_create(actor=stranger, title="件名", matter_kind=city.kinds["general"])
    assert Document.objects.count() == 0


def test_update_checks_drafter_version_and_fields(city, draft):
    doc = draft()
    updated = services.draft_update(actor=city.drafter, document=doc, expected_version=1, title="新しい件名")
    assert (updated.title, updated.version) == ("新しい件名", 2)
    with pytest.raises(Conflict, match="開いた後に変更"):
        services.draft_update(actor=city.drafter, document=doc, expected_version=1, title="古い版から")
    with pytest.raises(PermissionDenied):
        services.draft_update(actor=city.drafter2, document=doc, expected_version=2, title="他人")
    with pytest.raises(ValidationFailed):
        services.draft_update(actor=city.drafter, document=doc, expected_version=2, number=99)
    doc.refresh_from_db()
    assert (doc.title, doc.version) == ("新しい件名", 2)
    assert AuditEntry.objects.filter(action="documents.document.update").count() == 1


def test_pdf_attachment_is_stored_hashed_and_its_text_extracted(city, draft):
    doc = draft()
    data = pdf_bytes("道路補修の見積書")
    attachment = services.attachment_add(
        actor=city.drafter, document=doc, expected_version=1, **upload("見積.pdf", data)
    )
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.size == len(data)
    assert attachment.content_type == "application/pdf"
    assert "道路補修" in attachment.extracted_text
    with default_storage.open(str(attachment.file.name)) as stored:
        assert stored.read() == data
    doc.refresh_from_db()
    assert doc.version == 2
    assert AuditEntry.objects.filter(action="documents.attachment.add").exists()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_office_and_image_files_are_accepted(city, draft):
    doc = draft()
    services.attachment_add(actor=city.drafter, document=doc, expected_version=1, **upload("資料.docx", _docx()))
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    services.attachment_add(actor=city.drafter, document=doc, expected_version=2, **upload("写真.png", png))
    assert Attachment.objects.filter(document=doc).count() == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.pdf", b"", "空のファイル"),
        ("偽物.pdf", b"MZ\x90\x00 this is an exe", "中身がPDFではありません"),
        ("壊れ.pdf", b"%PDF-1.7\n garbage without objects", "壊れている"),
        ("偽物.docx", b"PK\x03\x04 not really a zip", "壊れている"),
        ("画像.png", b"GIF89a....", "中身がPNG画像ではありません"),
        ("実行.exe", b"MZ\x90\x00", "添付できない種類"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_saved(city, draft, name, data, message):
    doc = draft()
    with pytest.raises(ValidationFailed, match=message) as caught:
        services.attachment_add(actor=city.drafter, document=doc, expected_version=1, **upload(name, data))
    assert caught.value.field == "file"
    assert Attachment.objects.count() == 0
    doc.refresh_from_db()
    assert doc.version == 1


def test_oversized_file_is_refused(city, draft, settings):
    settings.CITYHALL_MAX_UPLOAD_BYTES = 1000
    doc = draft()
    with pytest.raises(ValidationFailed, match="大きすぎます"):
        services.attachment_add(
            actor=city.drafter, document=doc, expected_version=1, **upload("大.pdf", b"%PDF-" + b"x" * 2000)
        )
    assert Attachment.objects.count() == 0


def test_attachment_permission_and_stale_version(city, draft):
    doc = draft()
    data = pdf_bytes()
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=city.outsider, document=doc, expected_version=1, **upload("a.pdf", data))
    with pytest.raises(Conflict):
        services.attachment_add(actor=city.drafter, document=doc, expected_version=7, **upload("a.pdf", data))
    assert Attachment.objects.count() == 0


def test_attachment_remove_only_while_editable(city, draft):
    doc = draft()
    attachment = services.attachment_add(
        actor=city.drafter, document=doc, expected_version=1, **upload("a.pdf", pdf_bytes())
    )
    services.attachment_remove(actor=city.drafter, attachment=attachment, expected_version=2)
    assert Attachment.objects.count() == 0


def test_saved_route_is_applied_on_submit(city, draft):
    route = services.saved_route_create(
        actor=city.drafter, name="財政合議", reviewers=[city.shunin], consult_units=[city.units.zaisei]
    )
    with pytest.raises(ValidationFailed):
        services.saved_route_create(actor=city.drafter, name="財政合議")
    doc = draft()
    doc = services.submit(actor=city.drafter, document=doc, expected_version=1, saved_route=route)
    assert [s.assignee.username for s in doc.steps.order_by("order")] == [
        "shunin",
        "kakaricho",
        "zaisei_kacho",
        "kacho",
    ]
    with pytest.raises(PermissionDenied):
        services.saved_route_delete(actor=city.drafter2, route=route)
    services.saved_route_delete(actor=city.drafter, route=route)
