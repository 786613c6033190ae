"""Receipts that replace paper: 収受番号 without gaps, files, 供覧 to named superiors and their 閲, who sees what."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import services
from cityhall.documents.models import Receipt, ReceiptFile, ReceiptNumberCounter, ReceiptReader
from cityhall.documents.selectors_home import replies_due
from cityhall.documents.selectors_receipts import circulation_candidates, receipt_for, receipts_for
from cityhall.documents.services.receipts import NewFile
from cityhall.testing.city import audit_actions, last_entry
from cityhall.testing.documents import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Files go to a fresh media directory, so a test can see what stayed in storage."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def register(city, by=None, files=(), **kw):
    values: dict[str, Any] = {
        "received_on": dt.date(2025, 5, 1),
        "sender": "みどり県総務部長",
        "title": "統計調査について",
    }
    values |= kw
    return services.receipt_register(actor=by or city.drafter, files=files, **values)


def stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- 収受番号 -----------------------------------------------------------------------------------


def test_numbers_run_per_section_and_fiscal_year_and_are_printed_with_the_section(city):
    first, second = register(city), register(city, by=city.drafter2)
    other = register(city, by=city.jinji_kacho)
    march, april = register(city, received_on=dt.date(2025, 3, 31)), register(city, received_on=dt.date(2025, 4, 1))
    assert (first.number_label, second.number_label, other.number_label) == (
        "緑総収第1号",
        "緑総収第2号",
        "緑人収第1号",
    )
    assert (march.fiscal_year, march.number) == (2024, 1)
    assert (april.fiscal_year, april.number) == (2025, 3)
    assert ReceiptNumberCounter.objects.get(section=city.units.soumu, fiscal_year=2025).last_number == 3


def test_a_refused_receipt_takes_no_number(city):
    register(city)
    with pytest.raises(ValidationFailed):
        register(city, files=[NewFile(**upload("virus.exe", b"MZ"))])
    with pytest.raises(ValidationFailed, match="今日以前"):
        register(city, received_on=timezone.localdate() + dt.timedelta(days=1))
    assert register(city).number == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_have_no_duplicate_and_no_gap(city):
    people = [city.drafter, city.drafter2, city.shunin, city.kakaricho, city.kacho, city.docmgr]
    barrier, errors = threading.Barrier(len(people)), []

    def run(user):
        try:
            barrier.wait()
            register(city, by=user, title=f"同時収受 {user.username}")
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Receipt.objects.filter(section=city.units.soumu).values_list("number", flat=True))
    assert numbers == list(range(1, len(people) + 1))


def test_receipts_registered_before_are_numbered_in_the_order_received(city):
    migration = __import__("cityhall.documents.migrations.0008_receipt_numbers_files_readers", fromlist=["x"])
    later, earlier = register(city, received_on=dt.date(2025, 6, 2)), register(city, received_on=dt.date(2025, 6, 1))
    Receipt.objects.update(number=F("number") + 100, number_label="")  # as if numbered by no one
    ReceiptNumberCounter.objects.all().delete()
    migration.number_existing(apps, None)
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert (earlier.number_label, later.number_label) == ("緑総収第1号", "緑総収第2号")
    assert register(city).number == 3


# --- files -------------------------------------------------------------------------------------


def test_a_scan_is_filed_with_the_receipt_checked_and_audited(city, media):
    receipt = register(city, files=[NewFile(**upload("scan.pdf", pdf_bytes("県からの通知")), origin="scan")])
    (row,) = receipt.files.all()
    assert (row.name, row.origin, row.content_type) == ("scan.pdf", "scan", "application/pdf")
    assert "県からの通知" in row.extracted_text and len(row.sha256) == 64
    assert Path(row.file.path).read_bytes()[:5] == b"%PDF-"
    assert audit_actions()[-2:] == ["documents.receipt.register", "documents.receipt.file_add"]


def test_a_bad_file_saves_neither_receipt_nor_file(city, media):
    good, bad = NewFile(**upload("a.pdf", pdf_bytes())), NewFile(**upload("b.pdf", b"not a pdf"))
    with pytest.raises(ValidationFailed, match=r"b\.pdf"):
        register(city, files=[good, bad])
    assert (Receipt.objects.count(), ReceiptFile.objects.count(), stored(media)) == (0, 0, [])


def test_files_are_added_and_removed_by_the_section_until_circulated(city, media, django_capture_on_commit_callbacks):
    receipt = register(city)
    with pytest.raises(PermissionDenied):
        services.receipt_file_add(actor=city.outsider, receipt=receipt, **upload("a.pdf", pdf_bytes()))
    row = services.receipt_file_add(
        actor=city.drafter2, receipt=receipt, origin="original", **upload("a.pdf", pdf_bytes())
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.receipt_file_remove(actor=city.drafter, file=row)
    assert (ReceiptFile.objects.count(), stored(media)) == (0, [])
    kept = services.receipt_file_add(actor=city.drafter, receipt=receipt, **upload("b.pdf", pdf_bytes()))
    services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho])
    with pytest.raises(Conflict, match="供覧を始めた"):
        services.receipt_file_add(actor=city.drafter, receipt=receipt, **upload("c.pdf", pdf_bytes()))
    with pytest.raises(Conflict):
        services.receipt_file_remove(actor=city.drafter, file=kept)
    assert list(receipt.files.values_list("name", flat=True)) == ["b.pdf"]


# --- 供覧 and 閲 ---------------------------------------------------------------------------------


def test_candidates_are_the_drafters_superiors(city):
    names = [a.user.username for a in circulation_candidates(city.drafter)]
    assert names[:3] == ["kakaricho", "hosa", "kacho"] and "bucho" in names
    assert "drafter2" not in names and "outsider" not in names


def test_circulate_to_named_superiors_who_each_mark_it_seen(city):
    receipt = register(city)
    rows = services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho, city.kacho])
    assert [(r.reader, r.post_name, r.seen_at) for r in rows] == [
        (city.kakaricho, "文書法制係 係長", None),
        (city.kacho, "総務課 課長", None),
    ]
    assert json.loads(last_entry().after)["readers"] == [city.kakaricho.pk, city.kacho.pk]
    receipt.refresh_from_db()
    assert receipt.circulated_at is not None and receipt.circulation_done_at is None
    assert list(receipts_for(city.kacho, to_read=True)) == [receipt]
    services.receipt_mark_seen(actor=city.kakaricho, receipt=receipt)
    with pytest.raises(Conflict, match="既に閲覧済み"):
        services.receipt_mark_seen(actor=city.kakaricho, receipt=receipt)
    with pytest.raises(PermissionDenied):
        services.receipt_mark_seen(actor=city.drafter2, receipt=receipt)
    receipt.refresh_from_db()
    assert receipt.circulation_done_at is None
    seen = services.receipt_mark_seen(actor=city.kacho, receipt=receipt)
    receipt.refresh_from_db()
    assert receipt.circulation_done_at == seen.seen_at
    assert list(receipts_for(city.kacho, to_read=True)) == []
    assert audit_actions()[-2:] == ["documents.receipt.seen", "documents.receipt.seen"]


@pytest.mark.parametrize(
    ("who", "message"),
    [("drafter2", "上司ではありません"), ("outsider", "上司ではありません"), ("drafter", "上司ではありません")],
)
def test_only_superiors_may_be_readers(city, who, message):
    receipt = register(city)
    with pytest.raises(ValidationFailed, match=message):
        services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho, getattr(city, who)])
    assert ReceiptReader.objects.count() == 0
    receipt.refresh_from_db()
    assert receipt.circulated_at is None


def test_circulation_is_the_sections_and_each_reader_is_asked_once(city):
    receipt = register(city)
    with pytest.raises(ValidationFailed, match="1人以上"):
        services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[])
    with pytest.raises(PermissionDenied):
        services.receipt_circulate(actor=city.jinji_kacho, receipt=receipt, readers=[city.bucho])
    services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho])
    with pytest.raises(ValidationFailed, match="既に供覧"):
        services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho])
    services.receipt_mark_seen(actor=city.kakaricho, receipt=receipt)
    services.receipt_circulate(actor=city.kakaricho, receipt=receipt, readers=[city.kacho])  # the 係長 adds the 課長
    receipt.refresh_from_db()
    assert receipt.circulation_done_at is None
    assert list(receipt.readers.values_list("position", flat=True)) == [1, 2]


def test_readers_are_told_in_the_app_after_commit(city, django_capture_on_commit_callbacks):
    from cityhall.notifications.models import Notification

    receipt = register(city)
    with django_capture_on_commit_callbacks(execute=True):
        services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kacho])
    note = Notification.objects.get(recipient=city.kacho)
    assert note.subject == "供覧: 緑総収第1号 統計調査について" and note.url == f"/documents/receipts/{receipt.pk}/"


# --- who sees a receipt ---------------------------------------------------------------------------


def test_the_section_its_readers_and_document_managers_see_a_receipt(city):
    receipt = register(city, reply_needed=True, reply_deadline=dt.date(2025, 6, 1))
    theirs = register(city, by=city.jinji_kacho)
    assert list(receipts_for(city.bucho)) == []  # the 部長 sits in the 部, not in the section
    services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.bucho])
    assert list(receipts_for(city.bucho)) == [receipt]
    assert (list(replies_due(city.bucho)), list(replies_due(city.kacho))) == ([], [receipt])  # the section answers
    assert receipt_for(city.bucho, receipt.pk) == receipt
    with pytest.raises(PermissionDenied):
        receipt_for(city.outsider, receipt.pk)
    assert set(receipts_for(city.docmgr)) == {receipt, theirs}
    row: Any = receipts_for(city.drafter).get()
    assert (row.readers_total, row.readers_seen) == (1, 0)


def test_views_of_a_receipt_with_personal_data_are_audited(city):
    plain, personal = register(city), register(city, has_personal_info=True, sender="緑野 花子")
    before = AuditEntry.objects.count()
    services.receipt_access_record(actor=city.kacho, receipt=plain, what="view")
    assert AuditEntry.objects.count() == before
    services.receipt_access_record(actor=city.kacho, receipt=personal, what="download")
    entry = last_entry()
    after = json.loads(entry.after)
    assert (entry.action, after["number"], after["classification"]) == (
        "documents.receipt.download",
        "緑総収第2号",
        ["個人情報"],
    )
