"""Receipts through the API: detail with files and 閲, files, candidates, circulate and seen, sheet, import."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.models import Receipt
from cityhall.testing.city import must
from cityhall.testing.documents import pdf_bytes
from cityhall.testing.tables import csv_bytes
from cityhall.testing.web import DOCUMENTS_API, client_for, documents_api

pytestmark = pytest.mark.django_db
HEADER = ["申請番号", "手続名", "申請日時", "申請者氏名", "申請者住所", "件名", "添付ファイル名"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _export(*numbers: str) -> tuple[SimpleUploadedFile, SimpleUploadedFile]:
    rows = [
        [n, "犬の登録申請", "2025-05-01 10:05", "緑野 花子", "みどり野市中央1-1", "", f"{n}/申請書.pdf"]
        for n in numbers
    ]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        for n in numbers:
            out.writestr(f"{n}/申請書.pdf", pdf_bytes(n))
    return (
        SimpleUploadedFile("applications.csv", csv_bytes([HEADER, *rows], "utf-8-sig"), content_type="text/csv"),
        SimpleUploadedFile("files.zip", archive.getvalue(), content_type="application/zip"),
    )


def test_import_preview_then_import_then_again(city):
    client = client_for(city.drafter)
    url = f"{DOCUMENTS_API}/receipts/imports"
    csv, archive = _export("A-1", "A-2")
    preview = client.post(url, {"csv": csv, "archive": archive, "dry_run": "true"})
    assert preview.status_code == 200, preview.json()
    assert (preview.json()["created"], preview.json()["dry_run"], Receipt.objects.count()) == (2, True, 0)
    csv, archive = _export("A-1", "A-2")
    made = client.post(url, {"csv": csv, "archive": archive})
    assert made.status_code == 201
    assert [r["receipt_number"] for r in made.json()["rows"]] == ["緑総収第1号", "緑総収第2号"]
    csv, archive = _export("A-1", "A-2")
    again = client.post(url, {"csv": csv, "archive": archive}).json()
    assert (again["created"], again["skipped"], Receipt.objects.count()) == (0, 2, 2)


def test_import_with_problems_answers_400_with_every_row_and_saves_nothing(city):
    client = client_for(city.drafter)
    csv = SimpleUploadedFile("a.csv", csv_bytes([HEADER, ["A-1", "手続", "昨日", "", "", "", ""]], "cp932"))
    refused = client.post(f"{DOCUMENTS_API}/receipts/imports", {"csv": csv})
    body = refused.json()
    assert refused.status_code == 400 and body["field"] == "csv"
    assert body["rows"] == [
        "2行目: 「申請日時」: 日時として読めません（'昨日'）。書き方: 2026-04-01 10:05 または 2026/04/01 10:05:30。",
        "2行目: 「申請者氏名」: 空欄です。申請者氏名が必要です。",
    ]
    assert Receipt.objects.count() == 0


def test_files_circulation_and_seen_through_the_api(city):
    receipt = services.receipt_register(
        actor=city.drafter, received_on=city_day(), sender="緑野 花子", title="相談", has_personal_info=True
    )
    client = client_for(city.drafter)
    base = f"{DOCUMENTS_API}/receipts/{receipt.pk}"
    scan = SimpleUploadedFile("scan.pdf", pdf_bytes("相談票"))
    added = client.post(f"{base}/files", {"file": scan, "origin": "scan"})
    assert added.status_code == 201 and added.json()["origin"] == "scan"
    download = client.get(f"{base}/files/{added.json()['id']}")
    assert download.status_code == 200 and download.getvalue()[:5] == b"%PDF-"
    candidates = documents_api(city.drafter, "get", "/receipts/circulation-candidates").json()
    assert [c["user_id"] for c in candidates][:3] == [city.kakaricho.pk, city.hosa.pk, city.kacho.pk]
    path = f"/receipts/{receipt.pk}/circulate"
    assert documents_api(city.drafter, "post", path, {"reader_ids": []}).status_code == 422
    body = documents_api(city.drafter, "post", path, {"reader_ids": [city.kacho.pk, city.kakaricho.pk]}).json()
    assert [r["reader_name"] for r in body["readers"]] == ["係川 太郎", "課山 太郎"]
    assert client.delete(f"{base}/files/{added.json()['id']}").status_code == 409  # circulated: kept
    assert documents_api(city.outsider, "post", f"/receipts/{receipt.pk}/seen").status_code == 404
    seen = documents_api(city.kacho, "post", f"/receipts/{receipt.pk}/seen").json()
    assert [r["seen_at"] is not None for r in seen["readers"]] == [False, True]
    waiting = documents_api(city.kakaricho, "get", "/receipts", {"to_read": True}).json()
    assert [r["id"] for r in waiting["items"]] == [receipt.pk]
    sheet = client.get(f"{base}/sheet")
    assert sheet.status_code == 200 and sheet.getvalue()[:5] == b"%PDF-"
    detail = documents_api(city.kacho, "get", f"/receipts/{receipt.pk}").json()
    assert detail["has_personal_info"] and detail["files"][0]["name"] == "scan.pdf"
    views = AuditEntry.objects.filter(object_id=str(receipt.pk), action__startswith="documents.receipt.")
    kinds = [e.action for e in views.order_by("seq")]
    assert kinds.count("documents.receipt.download") == 2 and kinds[-1] == "documents.receipt.view"
    assert json.loads(must(views.order_by("seq").last()).after)["classification"] == ["個人情報"]


def test_a_receipt_of_another_section_is_404(city):
    receipt = services.receipt_register(actor=city.jinji_kacho, received_on=city_day(), sender="県", title="照会")
    assert documents_api(city.drafter, "get", f"/receipts/{receipt.pk}").status_code == 404
    assert documents_api(city.drafter, "get", f"/receipts/{receipt.pk}/sheet").status_code == 404


def city_day():
    from django.utils import timezone

    return timezone.localdate()
