"""Disposal lists (廃棄・移管リスト): drafted or generated, routed with 文書主管課 合議, carried out for good.

On decision a record marked 廃棄 loses its body, attachments, signed PDF and search entry (files deleted
from storage after the commit) and keeps its register row; a record selected as 歴史公文書 goes into the
transfer package and is 移管済; what changed since the list was drafted is skipped with the reason.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cityhall.core.audit import verify_chain
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import fiscal_year, fiscal_year_end
from cityhall.documents import services
from cityhall.documents.models import (
    Attachment,
    DisposalList,
    DisposalListItem,
    DisposalOutcome,
    Disposition,
    Document,
    FileOrigin,
    PendingFileDeletion,
    ReceiptFile,
    RouteStep,
    StepKind,
)
from cityhall.documents.selectors import inbox, search_documents, visible_documents
from cityhall.documents.services.disposal import (
    DISPOSAL_LIST_TYPE,
    disposal_candidates,
    disposal_items_choose,
    disposal_list_create,
    disposal_list_submit,
    disposal_lists_generate,
)
from cityhall.documents.services.disposal_carry_out import (
    SKIP_EXTENDED,
    SKIP_NOT_ENDED,
    delete_pending_files,
    disposal_list_carry_out,
)
from cityhall.documents.services.receipts import NewFile
from cityhall.search.models import SearchEntry
from cityhall.testing.disposal import ENDED, expired_record, today
from cityhall.testing.documents import pdf_bytes
from cityhall.testing.engine import approve_to_decision
from cityhall.testing.web import client_for


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Stored files in a folder of this test (to see them go)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _items(listing: Document) -> dict[int, DisposalListItem]:
    return {i.record_id: i for i in DisposalListItem.objects.filter(disposal_list=listing) if i.record_id is not None}


def _decide(listing: Document) -> Document:
    listing = disposal_list_submit(actor=listing.drafter, document=listing, expected_version=listing.version)
    return approve_to_decision(listing)


def test_a_section_drafts_its_list_and_the_documents_section_is_consulted(city):
    clerk = city.outsider  # 人事課
    record = expired_record(city, by=clerk, title="人事異動の内示について", attachment=None)
    listing = disposal_list_create(actor=clerk, section=city.units.jinji, due_by=ENDED)
    assert listing.doc_type == DISPOSAL_LIST_TYPE and listing.matter_kind.code == "disposal"
    assert "人事異動の内示" not in listing.body and "1件" in listing.body  # counts only: the title is not indexed
    assert list(_items(listing)) == [record.pk]
    listing = disposal_list_submit(actor=clerk, document=listing, expected_version=listing.version)
    steps = {(s.kind, s.assignee_id) for s in RouteStep.objects.filter(document=listing)}
    assert steps == {(StepKind.CONSULT, city.kacho.pk), (StepKind.DECIDE, city.jinji_kacho.pk)}  # 総務課長 合議
    assert listing.decision_label == "課長専決"


def test_the_document_manager_generates_a_list_per_section_with_the_records_section_consulted(city):
    jinji = expired_record(city, by=city.outsider, title="職員研修の照会", attachment=None)
    soumu = expired_record(city, title="庁舎清掃の照会", attachment=None)
    expired_record(city, title="まだ満了しない照会", attachment=None, ended=today().replace(year=today().year + 1))
    with pytest.raises(PermissionDenied):
        disposal_lists_generate(actor=city.drafter, due_by=ENDED)
    lists = disposal_lists_generate(actor=city.docmgr, due_by=ENDED)
    assert [list(_items(d)) for d in lists] == [[soumu.pk], [jinji.pk]]  # 総務課, 人事課 by the org's order
    rows = DisposalList.objects.filter(document__in=lists).order_by("pk")
    assert [(r.section, r.generated) for r in rows] == [(city.units.soumu, False), (city.units.jinji, True)]
    # The 人事課 list goes to 人事課 for 合議 (原課): the 文書主管課 drafts it, its 課長 decides.
    listing = disposal_list_submit(actor=city.docmgr, document=lists[1], expected_version=lists[1].version)
    consults = RouteStep.objects.filter(document=listing, kind=StepKind.CONSULT).values_list("assignee", flat=True)
    assert list(consults) == [city.jinji_kacho.pk]
    # Listed records are not listed again until their list is withdrawn or rejected.
    with pytest.raises(ValidationFailed, match="保存期間が満了した文書"):
        disposal_lists_generate(actor=city.docmgr, due_by=ENDED)


def test_who_may_create_and_what_is_refused_saves_nothing(city):
    expired_record(city, attachment=None)
    with pytest.raises(PermissionDenied):
        disposal_list_create(actor=city.outsider, section=city.units.soumu, due_by=ENDED)
    with pytest.raises(ValidationFailed) as beyond:
        disposal_list_create(
            actor=city.drafter, section=city.units.soumu, due_by=today().replace(year=today().year + 2)
        )
    assert beyond.value.field == "due_by"
    with pytest.raises(ValidationFailed, match="人事課には"):
        disposal_list_create(actor=city.outsider, section=city.units.jinji, due_by=ENDED)
    assert not Document.objects.filter(doc_type=DISPOSAL_LIST_TYPE).exists()
    assert not DisposalList.objects.exists()


def test_historical_records_are_chosen_on_the_draft_only_by_its_drafter_or_the_document_manager(city):
    record = expired_record(city, attachment=None)
    listing = disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED)
    item = _items(listing)[record.pk]
    with pytest.raises(PermissionDenied):
        disposal_items_choose(actor=city.drafter2, document=listing, choices={item.pk: "transfer"}, expected_version=1)
    with pytest.raises(ValidationFailed):
        disposal_items_choose(actor=city.drafter, document=listing, choices={item.pk: "burn"}, expected_version=1)
    listing = disposal_items_choose(
        actor=city.docmgr, document=listing, choices={item.pk: "transfer"}, expected_version=listing.version
    )
    assert _items(listing)[record.pk].action == "transfer" and "移管（歴史公文書）1件" in listing.body
    assert AuditEntry.objects.filter(action="documents.disposal_list.choose", object_id=str(listing.pk)).exists()
    listing = disposal_list_submit(actor=city.drafter, document=listing, expected_version=listing.version)
    with pytest.raises(Conflict):
        disposal_items_choose(
            actor=city.drafter, document=listing, choices={item.pk: "dispose"}, expected_version=listing.version
        )


def test_a_decided_list_disposes_transfers_and_skips(city, city_signing, media, django_capture_on_commit_callbacks):
    gone = expired_record(city, title="廃棄する照会の回答", sign=True)
    kept = expired_record(city, title="市制記念誌の編さん", transfer=True, sign=True)
    extended = expired_record(city, title="訴訟に備える照会", attachment=None)
    listing = disposal_list_create(actor=city.docmgr, section=city.units.soumu, due_by=ENDED)
    files = [media / a.file.name for a in Attachment.objects.filter(document=gone)] + [media / gone.signed_pdf.name]
    assert all(f.exists() for f in files) and search_documents(city.drafter, "廃棄する照会").exists()
    extended = Document.objects.get(pk=extended.pk)
    services.retention_extend(
        actor=city.docmgr, document=extended, expected_version=extended.version, new_years=30, reason="訴訟のため"
    )
    listing = _decide(listing)
    with django_capture_on_commit_callbacks(execute=True):
        result = disposal_list_carry_out(listing.pk)
    assert (result.disposed, result.transferred, result.skipped) == ([gone.pk], [kept.pk], {extended.pk: SKIP_EXTENDED})

    gone.refresh_from_db()
    day = timezone.localtime(listing.decided_at).date() if listing.decided_at else None
    assert (gone.disposition, gone.disposed_on, gone.body, gone.signed_pdf.name) == (Disposition.DISPOSED, day, "", "")
    assert gone.title == "廃棄する照会の回答" and gone.signed_pdf_sha256  # the register row remains
    assert not Attachment.objects.filter(document=gone).exists() and not any(f.exists() for f in files)
    assert not SearchEntry.objects.filter(kind="document", key=gone.pk).exists()
    assert not search_documents(city.docmgr, "廃棄する照会").exists()
    assert gone not in visible_documents(city.docmgr) and not PendingFileDeletion.objects.exists()
    entry = AuditEntry.objects.get(action="documents.document.dispose", object_id=str(gone.pk))
    assert json.loads(entry.after)["disposal_list_number"] == listing.number_label
    assert verify_chain().ok

    kept.refresh_from_db()
    assert kept.disposition == Disposition.TRANSFERRED and kept.body and kept in visible_documents(city.drafter)
    row = DisposalList.objects.get(document=listing)
    assert row.carried_out_at is not None and row.package_size
    with row.package.open("rb") as stored, zipfile.ZipFile(io.BytesIO(stored.read())) as package:
        names = set(package.namelist())
        manifest = json.loads(package.read("manifest.json"))
        register = list(csv.reader(io.StringIO(package.read("register.csv").decode("utf-8-sig"))))
    folder = manifest["records"][0]["folder"]
    assert {f"records/{folder}/signed.pdf", f"records/{folder}/metadata.json", "files.csv", "README.txt"} <= names
    assert any(n.startswith(f"records/{folder}/attachments/01_") for n in names)
    assert manifest["disposal_list"]["number"] == listing.number_label and len(manifest["records"]) == 1
    assert register[1][1] == kept.number_label and register[1][23].startswith("移管済")

    outcomes = {pk: (i.outcome, i.note) for pk, i in _items(listing).items()}
    assert outcomes[extended.pk] == (DisposalOutcome.SKIPPED, SKIP_EXTENDED)
    assert disposal_list_carry_out(listing.pk).done == []  # carried out once
    assert list(disposal_candidates(city.units.soumu, ENDED)) == []  # done and skipped ones are not listed again


def test_a_record_whose_retention_had_not_ended_on_the_decision_day_is_kept(city):
    year_end = fiscal_year_end(fiscal_year(today()))  # a list drafted ahead of the year's end (年度末の準備)
    later = expired_record(city, attachment=None, ended=year_end)
    listing = _decide(disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=year_end))
    assert disposal_list_carry_out(listing.pk).skipped == {later.pk: SKIP_NOT_ENDED}
    assert Document.objects.get(pk=later.pk).disposition == Disposition.NONE


def test_carrying_out_is_all_or_nothing_in_the_database(city, media):
    record = expired_record(city)
    listing = _decide(disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED))
    files = [media / a.file.name for a in Attachment.objects.filter(document=record)]
    DisposalList.objects.filter(document=listing).delete()  # the list's row is read last: the run fails there
    with pytest.raises(DisposalList.DoesNotExist):
        disposal_list_carry_out(listing.pk)
    record.refresh_from_db()
    assert record.disposition == Disposition.NONE and record.body and all(f.exists() for f in files)
    assert SearchEntry.objects.filter(kind="document", key=record.pk).exists()
    assert not PendingFileDeletion.objects.exists()
    assert _items(listing)[record.pk].outcome == DisposalOutcome.PENDING


def test_files_left_by_an_interrupted_run_are_found_and_deleted(city, media, capsys):
    record = expired_record(city)
    files = [media / a.file.name for a in Attachment.objects.filter(document=record)]
    listing = _decide(disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED))
    disposal_list_carry_out(listing.pk)  # committed; the on-commit deletion never ran (a crash)
    assert all(f.exists() for f in files) and PendingFileDeletion.objects.count() == len(files)
    stray = media / "documents" / "attachments" / "stray.pdf"
    stray.write_bytes(b"%PDF-1.4 left by a failed upload")
    call_command("disposal_files", scan=True)
    out = capsys.readouterr().out
    assert f"{len(files)} 件削除" in out and "documents/attachments/stray.pdf" in out
    assert not any(f.exists() for f in files) and not PendingFileDeletion.objects.exists()
    assert delete_pending_files().deleted == 0


def test_a_disposed_record_leaves_the_inbox(city, django_capture_on_commit_callbacks):
    record = expired_record(city, attachment=None)
    assert record in inbox(city.kacho, "done")
    listing = _decide(disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED))
    with django_capture_on_commit_callbacks(execute=True):
        disposal_list_carry_out(listing.pk)
    assert record not in inbox(city.kacho, "done")


def test_the_disposed_state_needs_a_closed_record_in_the_database(city):
    from django.db import IntegrityError

    record = expired_record(city, attachment=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=record.pk).update(disposition=Disposition.DISPOSED, status="decided")


def test_the_audit_trail_keeps_that_a_disposed_record_existed_but_shows_its_body_nowhere(city, admin_user):
    record = expired_record(city, attachment=None, body="滞納者A氏の預金照会への回答（個人情報）")
    kept = expired_record(
        city, attachment=None, body="まだ保存期間内の記録の本文", ended=ENDED.replace(year=ENDED.year + 10)
    )
    body = record.body
    listing = _decide(disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED))
    disposal_list_carry_out(listing.pk)
    created = AuditEntry.objects.get(
        object_type="documents.document", object_id=str(record.pk), action="documents.document.create"
    )
    assert body in created.after  # the stored entry is never changed: the chain still verifies
    assert verify_chain().ok
    admin = client_for(admin_user)
    page = admin.get(f"/admin/core/auditentry/{created.pk}/change/").content.decode()
    assert body not in page and "（廃棄により消去）" in page and record.title in page
    other = AuditEntry.objects.get(
        object_type="documents.document", object_id=str(kept.pk), action="documents.document.create"
    )
    assert kept.body in admin.get(f"/admin/core/auditentry/{other.pk}/change/").content.decode()


def _answered_receipt(city, text: str):
    """A received letter with a scanned file, registered today by the drafter's section."""
    scan = NewFile(name="照会文書.pdf", stream=io.BytesIO(pdf_bytes(text)), origin=FileOrigin.SCAN)
    return services.receipt_register(
        actor=city.drafter,
        received_on=today(),
        sender="山田 太郎",
        sender_address="みどり野市中央1-2-3",
        title=text,
        has_personal_info=True,
        files=[scan],
    )


def test_a_receipt_filed_with_a_disposed_record_ends_with_it(city, media, django_capture_on_commit_callbacks):
    receipt = _answered_receipt(city, "預金の照会について")
    record = expired_record(city, attachment=None, receipt=receipt)
    stored = [media / f.file.name for f in ReceiptFile.objects.filter(receipt=receipt)]
    assert stored and all(f.exists() for f in stored)
    listing = _decide(disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED))
    with django_capture_on_commit_callbacks(execute=True):
        result = disposal_list_carry_out(listing.pk)
    assert result.disposed == [record.pk] and result.files == len(stored)

    receipt.refresh_from_db()
    assert (receipt.disposition, receipt.sender_address) == (Disposition.DISPOSED, "")
    assert (receipt.title, receipt.sender, receipt.number_label) == (
        "預金の照会について",
        "山田 太郎",
        receipt.number_label,
    )
    assert not ReceiptFile.objects.filter(receipt=receipt).exists() and not any(f.exists() for f in stored)
    entry = AuditEntry.objects.get(action="documents.receipt.dispose", object_id=str(receipt.pk))
    assert json.loads(entry.after)["record"] == record.pk and len(json.loads(entry.after)["files_sha256"]) == 1
    with pytest.raises(Conflict, match="廃棄・移管されました"):
        services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho])
    page = client_for(city.drafter).get(f"/documents/receipts/{receipt.pk}/").content.decode()
    assert "廃棄しました" in page and "ファイルは廃棄しました。" in page and "みどり野市中央" not in page
    assert "/files/" not in page and "ファイルを追加する" not in page
    assert verify_chain().ok


def test_a_receipt_filed_with_a_transferred_record_travels_in_its_folder(city, city_signing, media):
    receipt = _answered_receipt(city, "市制記念式典への出席依頼")
    record = expired_record(city, attachment=None, receipt=receipt, transfer=True, sign=True)
    listing = _decide(disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED))
    assert disposal_list_carry_out(listing.pk).transferred == [record.pk]
    receipt.refresh_from_db()
    assert receipt.disposition == Disposition.TRANSFERRED and ReceiptFile.objects.filter(receipt=receipt).exists()
    with DisposalList.objects.get(document=listing).package.open("rb") as stored:
        package = zipfile.ZipFile(io.BytesIO(stored.read()))
    folder = json.loads(package.read("manifest.json"))["records"][0]["folder"]
    assert f"records/{folder}/receipts/01_照会文書.pdf" in package.namelist()
    metadata = json.loads(package.read(f"records/{folder}/metadata.json"))
    assert [r["number"] for r in metadata["receipts"]] == [receipt.number_label]
    assert any(f["kind"] == "receipt" and f["receipt"] == receipt.number_label for f in metadata["files"])


def test_a_receipt_file_changed_in_storage_refuses_the_package_and_nothing_is_transferred(city, city_signing, media):
    receipt = _answered_receipt(city, "公文書館への寄贈の申出")
    record = expired_record(city, attachment=None, receipt=receipt, transfer=True, sign=True)
    stored = media / ReceiptFile.objects.get(receipt=receipt).file.name
    stored.write_bytes(b"%PDF-1.4 replaced behind the system's back")
    listing = _decide(disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED))
    with pytest.raises(ValidationFailed, match=f"収受文書 {receipt.number_label} のファイル「照会文書.pdf」"):
        disposal_list_carry_out(listing.pk)
    record.refresh_from_db()
    receipt.refresh_from_db()
    assert (record.disposition, receipt.disposition) == (Disposition.NONE, Disposition.NONE)
    assert DisposalList.objects.get(document=listing).carried_out_at is None
