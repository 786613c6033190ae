"""Online applications taken in as receipts: CSV in UTF-8/BOM/Shift_JIS, a safe ZIP, all or nothing, no duplicates."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cityhall.core.errors import ValidationFailed
from cityhall.documents.models import Receipt, ReceiptFile
from cityhall.documents.services.receipt_imports import ImportRejected, receipt_import
from cityhall.testing.city import last_entry
from cityhall.testing.documents import pdf_bytes
from cityhall.testing.tables import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["申請番号", "手続名", "申請日時", "申請者氏名", "申請者住所", "件名", "添付ファイル名"]
APPLIED = "2025-05-01 10:05"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def row(number="A-0001", files="A-0001/申請書.pdf", applied=APPLIED, name="緑野 花子", **kw) -> list[str]:
    values = {"procedure": "犬の登録申請", "address": "みどり野市中央1-1", "title": ""} | kw
    return [number, values["procedure"], applied, name, values["address"], values["title"], files]


class _Cp932Info(zipfile.ZipInfo):
    """An entry named as Windows' Japanese archivers name it: cp932 bytes and no UTF-8 flag."""

    def _encodeFilenameFlags(self):  # zipfile's own hook
        return self.filename.encode("cp932"), self.flag_bits & ~0x800


def zipped(entries: dict[str, bytes], *, cp932: bool = False) -> io.BytesIO:
    """A ZIP as a Windows archiver writes it (names in cp932, no UTF-8 flag) or as zipfile does (UTF-8)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = (_Cp932Info if cp932 else zipfile.ZipInfo)(name, (2025, 5, 1, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    out.seek(0)
    return out


def run(city, rows, archive=None, *, encoding="utf-8", dry_run=False, by=None):
    data = csv_bytes([HEADER, *rows], encoding)
    return receipt_import(actor=by or city.drafter, csv_data=data, archive=archive, dry_run=dry_run)


def test_applications_become_numbered_personal_receipts_with_their_files(city):
    archive = zipped({"A-0001/申請書.pdf": pdf_bytes("申請書"), "A-0002/ソース写真.pdf": pdf_bytes("写真")}, cp932=True)
    rows = [row("A-0002", "A-0002/ソース写真.pdf", "2025-05-02 09:00", "森川 一郎"), row()]
    report = run(city, rows, archive, encoding="utf-8-sig")
    assert [r.receipt_number for r in report.rows] == ["緑総収第2号", "緑総収第1号"]  # numbered in the order applied
    first = Receipt.objects.get(application_number="A-0001")
    assert (first.channel, first.has_personal_info, first.sender, first.sender_address) == (
        "online",
        True,
        "緑野 花子",
        "みどり野市中央1-1",
    )
    assert (first.title, first.procedure, first.received_on) == (
        "犬の登録申請（申請番号 A-0001）",
        "犬の登録申請",
        dt.date(2025, 5, 1),
    )
    assert timezone.localtime(first.applied_at).strftime("%Y-%m-%d %H:%M") == APPLIED
    (file,) = first.files.all()
    assert (file.name, file.origin) == ("申請書.pdf", "original") and "申請書" in file.extracted_text
    assert json.loads(last_entry().after)["created"] == {"A-0001": "緑総収第1号", "A-0002": "緑総収第2号"}


def test_importing_the_same_export_again_creates_no_duplicate(city):
    run(city, [row(files="")])
    again = run(city, [row(files=""), row("A-0003", files="")])
    assert [r.skipped for r in again.rows] == ["取込済み: 緑総収第1号", ""]
    assert Receipt.objects.count() == 2
    elsewhere = run(city, [row(files="")], by=city.jinji_kacho)
    assert elsewhere.rows[0].skipped == "取込済み（他の課で収受）" and Receipt.objects.count() == 2


def test_a_shift_jis_export_with_a_time_zone_and_no_files_is_read(city):
    report = run(city, [row(files="", applied="2025/05/01 01:05:00Z", name="髙橋 﨑子")], encoding="cp932")
    receipt = Receipt.objects.get(pk=report.rows[0].receipt_id)
    assert receipt.sender == "髙橋 﨑子"
    assert timezone.localtime(receipt.applied_at).strftime("%Y-%m-%d %H:%M") == "2025-05-01 10:05"


def test_bad_rows_are_reported_with_row_column_and_reason_and_nothing_is_taken(city, media):
    archive = zipped({"A-0001/申請書.pdf": pdf_bytes(), "A-0004/申請書.pdf": b"not a pdf"})
    rows = [
        row(),
        row("A-0002", files="", applied="2025-02-30 10:00"),
        row("A 0003", files="", name=""),
        row("A-0004", files="A-0004/申請書.pdf"),
        row("A-0005", files="ない.pdf"),
        row("A-0001", files=""),
        row("A-0006", files="", applied="2099-01-01 00:00"),
    ]
    with pytest.raises(ImportRejected) as refused:
        run(city, rows, archive)
    reasons = refused.value.extra["rows"]
    assert isinstance(reasons, list)
    assert "3行目: 「申請日時」: 存在しない日時です（'2025-02-30 10:00'）。" in reasons
    assert any(r.startswith("4行目: 「申請番号」: 申請番号は英数字") for r in reasons)
    assert "4行目: 「申請者氏名」: 空欄です。申請者氏名が必要です。" in reasons
    assert (
        "5行目: 添付ファイル「A-0004/申請書.pdf」: 「申請書.pdf」は拡張子が .pdf ですが、中身がPDFではありません。"
        in reasons
    )
    assert "6行目: 「添付ファイル名」: 「ない.pdf」がZIPの中にありません。" in reasons
    assert "7行目: 申請番号「A-0001」が2行目と重複しています。" in reasons
    assert "8行目: 「申請日時」: 未来の日時です。" in reasons
    assert refused.value.message == f"{len(reasons)}件の誤りがあるため、取り込みませんでした。"
    assert (Receipt.objects.count(), ReceiptFile.objects.count()) == (0, 0)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_dry_run_previews_and_saves_nothing_but_its_audit_entry(city):
    report = run(city, [row(files=""), row("bad!", files="")], dry_run=True)
    assert [bool(r.reasons) for r in report.rows] == [False, True] and len(report.created) == 1
    assert Receipt.objects.count() == 0
    entry = last_entry()
    assert entry.action == "documents.receipt.import_preview" and json.loads(entry.after)["problems"] == 1


def test_a_file_named_but_no_zip_given_is_a_row_problem(city):
    report = run(city, [row()], dry_run=True)
    assert report.reasons == ["2行目: 「添付ファイル名」: 添付ファイルのZIPが指定されていません。"]


def test_an_unreadable_csv_is_refused_as_a_whole(city):
    with pytest.raises(ValidationFailed, match="申請番号"):
        receipt_import(actor=city.drafter, csv_data="氏名,住所\r\n花子,市\r\n".encode(), dry_run=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/passwd.pdf", "ZIPの外を指す名前"),
        ("/abs/申請書.pdf", "ZIPの外を指す名前"),
        ("C:/windows/a.pdf", "ZIPの外を指す名前"),
        ("a\\..\\..\\b.pdf", "ZIPの外を指す名前"),
    ],
)
def test_a_zip_with_a_name_leaving_its_folder_is_refused(city, name, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        run(city, [row(files="")], zipped({name: pdf_bytes()}), dry_run=True)
    assert refused.value.field == "archive"


def test_a_zip_bomb_is_refused_by_its_ratio_while_inflating(city):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("A-0001/申請書.pdf", b"%PDF-1.4\n" + bytes(8 * 1024 * 1024))
    bomb.seek(0)
    report = run(city, [row()], bomb, dry_run=True)
    (reason,) = report.reasons
    assert reason.startswith("2行目: 添付ファイル「A-0001/申請書.pdf」: ")
    assert reason.endswith("は圧縮率が異常に高いため取り込めません（圧縮後の100倍を超えます）。")


def test_a_zip_with_two_files_of_one_name_or_not_a_zip_is_refused(city):
    twice = zipped({"a.pdf": pdf_bytes(), "./a.pdf": pdf_bytes()})
    with pytest.raises(ValidationFailed, match="二つあります"):
        run(city, [row(files="")], twice, dry_run=True)
    with pytest.raises(ValidationFailed, match="ZIPファイルとして読めません"):
        run(city, [row(files="")], io.BytesIO(b"PK\x03\x04 not really"), dry_run=True)


def test_manage_py_import_receipts(city, tmp_path):
    csv_path, zip_path = tmp_path / "applications.csv", tmp_path / "files.zip"
    csv_path.write_bytes(csv_bytes([HEADER, row()], "cp932"))
    zip_path.write_bytes(zipped({"A-0001/申請書.pdf": pdf_bytes()}).getvalue())
    out = io.StringIO()
    call_command("import_receipts", str(csv_path), "--zip", str(zip_path), "--user", "drafter", stdout=out)
    assert "2行目 A-0001: 緑総収第1号 犬の登録申請（申請番号 A-0001）" in out.getvalue()
    assert "1 件の申請を収受しました。取込済みで飛ばした申請 0 件。" in out.getvalue()
    call_command("import_receipts", str(csv_path), "--zip", str(zip_path), "--user", "drafter", stdout=out)
    assert Receipt.objects.count() == 1 and "取込済み: 緑総収第1号" in out.getvalue()
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("import_receipts", str(csv_path), "--user", "nobody")


def test_a_zip_with_too_many_entries_or_an_encrypted_one_is_refused(city):
    crowded = io.BytesIO()
    with zipfile.ZipFile(crowded, "w") as archive:
        for i in range(5_001):
            archive.writestr(f"f{i}.txt", b"")
    crowded.seek(0)
    with pytest.raises(ValidationFailed, match="多すぎます"):
        run(city, [row(files="")], crowded, dry_run=True)
    data = bytearray(zipped({"A-0001/申請書.pdf": pdf_bytes()}).getvalue())
    for header, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the encrypted bit, as an archiver sets it
        data[data.index(header) + offset] |= 0x1
    with pytest.raises(ValidationFailed, match="暗号化"):
        run(city, [row()], io.BytesIO(bytes(data)), dry_run=True)
