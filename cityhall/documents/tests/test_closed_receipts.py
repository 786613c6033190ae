"""Receipts that need no answer (収受文書の完結): closed under a file-plan class, listed and ended as records are.

A receipt answered by a record ends with it (test_disposal); one that is only circulated (供覧) is
closed on its own once every superior has marked it seen, takes the class's retention, appears on
its section's disposal list when that ends, and is disposed of (files gone, address blanked, 収受簿
row kept) or transferred as a record of its own in the package.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from cityhall.core.audit import verify_chain
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied
from cityhall.core.japanese import fiscal_year
from cityhall.documents import services
from cityhall.documents.models import (
    DisposalList,
    DisposalListItem,
    DisposalOutcome,
    Disposition,
    FilePlanClass,
    Receipt,
    ReceiptFile,
    ReceiptReader,
)
from cityhall.documents.selectors_home import disposal_due, replies_due
from cityhall.documents.selectors_receipts import receipts_for, to_read_count
from cityhall.documents.services.disposal import (
    disposal_candidates,
    disposal_list_create,
    disposal_list_submit,
    receipt_candidates,
)
from cityhall.documents.services.disposal_carry_out import SKIP_ANSWERED, disposal_list_carry_out
from cityhall.testing.disposal import ENDED, expired_receipt, expired_record, today
from cityhall.testing.documents import pdf_bytes, submitted_document, upload
from cityhall.testing.engine import approve_to_decision
from cityhall.testing.web import client_for


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _plan(code: str = "01-02-01") -> FilePlanClass:
    return FilePlanClass.objects.get(code=code)


def _circulated(city) -> Receipt:
    receipt = services.receipt_register(actor=city.drafter, received_on=today(), sender="県", title="通知")
    services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho, city.kacho])
    return receipt


def _decided_list(city):
    listing = disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED)
    listing = disposal_list_submit(actor=city.drafter, document=listing, expected_version=listing.version)
    return approve_to_decision(listing)


def test_a_receipt_is_closed_by_its_section_once_every_superior_has_seen_it(city):
    receipt = _circulated(city)
    with pytest.raises(Conflict, match="供覧が終わっていません"):
        services.receipt_close(actor=city.drafter, receipt=receipt, file_plan_class=_plan())
    services.receipt_mark_seen(actor=city.kakaricho, receipt=receipt)
    services.receipt_mark_seen(actor=city.kacho, receipt=receipt)
    with pytest.raises(PermissionDenied):
        services.receipt_close(actor=city.outsider, receipt=receipt, file_plan_class=_plan())
    closed = services.receipt_close(actor=city.drafter2, receipt=receipt, file_plan_class=_plan())
    years = _plan().retention_years
    assert closed.closed_on == today()
    assert closed.expires_on == dt.date(fiscal_year(today()) + 1 + years, 3, 31)
    assert closed.expiry_action == _plan().expiry_action
    with pytest.raises(Conflict, match="既に完結"):
        services.receipt_close(actor=city.drafter, receipt=receipt, file_plan_class=_plan())
    entry = AuditEntry.objects.filter(action="documents.receipt.close", object_id=str(receipt.pk)).get()
    assert json.loads(entry.after)["file_plan_class_id"] == _plan().pk and verify_chain().ok


def test_an_answered_receipt_is_kept_with_its_answer_and_an_ended_class_is_refused(city):
    receipt = services.receipt_register(actor=city.drafter, received_on=today(), sender="県", title="照会")
    submitted_document(city, receipt=receipt)
    with pytest.raises(Conflict, match="回答文書とともに保存"):
        services.receipt_close(actor=city.drafter, receipt=receipt, file_plan_class=_plan())
    other = services.receipt_register(actor=city.drafter, received_on=today(), sender="県", title="通知")
    ended = _plan()
    FilePlanClass.objects.filter(pk=ended.pk).update(valid_to=today() - dt.timedelta(days=1))
    ended.refresh_from_db()
    with pytest.raises(Exception, match="廃止されています"):
        services.receipt_close(actor=city.drafter, receipt=other, file_plan_class=ended)
    assert Receipt.objects.get(pk=other.pk).closed_on is None


def test_a_closed_receipt_past_retention_is_listed_and_disposed_of(city, media, django_capture_on_commit_callbacks):
    receipt = expired_receipt(city, title="県税の納期についての通知")
    record = expired_record(city, attachment=None)
    stored = [media / f.file.name for f in ReceiptFile.objects.filter(receipt=receipt)]
    assert stored and all(f.exists() for f in stored)
    assert list(receipt_candidates(city.units.soumu, ENDED)) == [receipt]
    listing = _decided_list(city)
    assert {(i.record_id, i.receipt_id) for i in DisposalListItem.objects.filter(disposal_list=listing)} == {
        (record.pk, None),
        (None, receipt.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        result = disposal_list_carry_out(listing.pk)
    assert (result.disposed, result.receipts_disposed, result.files) == ([record.pk], [receipt.pk], len(stored))
    receipt.refresh_from_db()
    assert (receipt.disposition, receipt.sender_address, receipt.title) == (
        Disposition.DISPOSED,
        "",
        "県税の納期についての通知",
    )
    assert not ReceiptFile.objects.filter(receipt=receipt).exists() and not any(f.exists() for f in stored)
    assert list(receipt_candidates(city.units.soumu, ENDED)) == []
    page = client_for(city.drafter).get(f"/documents/receipts/{receipt.pk}/").content.decode()
    assert "保存期間が満了し" in page and "廃棄しました" in page and "完結する" not in page
    listed = client_for(city.drafter).get(f"/documents/disposal/{listing.pk}/").content.decode()
    assert f'data-testid="receipt-{receipt.pk}"' in listed and receipt.number_label in listed
    assert verify_chain().ok


def test_a_receipt_on_a_pending_list_hides_no_record_from_the_next_list_or_the_home_page(city):
    # The pending items' record column is empty for a receipt: a NOT IN over it would hide every record.
    receipt = expired_receipt(city)
    disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED)
    record = expired_record(city, attachment=None)
    assert list(disposal_candidates(city.units.soumu, ENDED)) == [record]
    assert list(receipt_candidates(city.units.soumu, ENDED)) == []
    assert [(d.section, d.count) for d in disposal_due(city.docmgr)] == [(city.units.soumu.name, 1)]
    assert DisposalListItem.objects.filter(receipt=receipt, outcome=DisposalOutcome.PENDING).exists()  # still listed


def test_a_closed_receipt_answered_after_it_was_listed_is_skipped(city):
    receipt = expired_receipt(city)
    listing = _decided_list(city)
    submitted_document(city, receipt=receipt)  # a reply after all: it now goes with its answer
    result = disposal_list_carry_out(listing.pk)
    assert result.receipts_skipped == {receipt.pk: SKIP_ANSWERED}
    item = DisposalListItem.objects.get(disposal_list=listing, receipt=receipt)
    assert (item.outcome, Receipt.objects.get(pk=receipt.pk).disposition) == (DisposalOutcome.SKIPPED, "")


def test_a_closed_receipt_selected_for_transfer_is_a_record_of_its_own_in_the_package(city, media):
    receipt = expired_receipt(city, title="市制施行記念式典の祝辞", transfer=True)
    listing = _decided_list(city)
    assert disposal_list_carry_out(listing.pk).receipts_transferred == [receipt.pk]
    receipt.refresh_from_db()
    assert receipt.disposition == Disposition.TRANSFERRED and ReceiptFile.objects.filter(receipt=receipt).exists()
    with DisposalList.objects.get(document=listing).package.open("rb") as stored:
        package = zipfile.ZipFile(io.BytesIO(stored.read()))
    folder = f"{receipt.fiscal_year}-{receipt.section.code}-R{receipt.number:05d}"
    assert f"records/{folder}/receipts/01_通知.pdf" in package.namelist()
    metadata = json.loads(package.read(f"records/{folder}/metadata.json"))
    assert (metadata["kind"], metadata["number"], metadata["title"]) == ("receipt", receipt.number_label, receipt.title)
    assert metadata["file_plan_class"]["code"] == "01-02-01" and metadata["readers"][0]["seen_on"]
    manifest = json.loads(package.read("manifest.json"))
    assert [r["kind"] for r in manifest["records"] if r["folder"] == folder] == ["receipt"]
    files_csv = package.read("files.csv").decode("utf-8-sig")
    assert f"{folder},receipts/01_通知.pdf" in files_csv


def test_the_receipt_page_closes_it_and_refuses_a_missing_choice_with_a_message(city):
    receipt = services.receipt_register(actor=city.drafter, received_on=today(), sender="県", title="通知")
    client = client_for(city.drafter)
    page = client.get(f"/documents/receipts/{receipt.pk}/").content.decode()
    assert 'data-testid="close-form"' in page and "未完結" in page
    refused = client.post(f"/documents/receipts/{receipt.pk}/close/", {"file_plan_class": ""})
    assert refused.status_code == 400 and "文書分類を選んでください。" in refused.content.decode()
    wrong = client.post(f"/documents/receipts/{receipt.pk}/close/", {"file_plan_class": "99999999"})
    assert wrong.status_code == 400
    done = client.post(f"/documents/receipts/{receipt.pk}/close/", {"file_plan_class": _plan().pk}, follow=True)
    text = done.content.decode()
    assert "完結しました" in text and "保存期間満了日" in text and 'data-testid="close-form"' not in text
    assert "ファイルを追加する" not in text and "供覧する" not in text and "完結した収受文書のファイルは" in text
    with pytest.raises(Conflict, match="完結した収受文書のファイル"):
        services.receipt_file_add(actor=city.drafter, receipt=receipt, **upload("後から.pdf", pdf_bytes()))
    with pytest.raises(Conflict, match="完結した収受文書は供覧できません"):
        services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho])
    assert client_for(city.outsider).post(f"/documents/receipts/{receipt.pk}/close/", {}).status_code == 404


def test_the_api_closes_a_receipt_and_names_the_field_of_a_wrong_class(city):
    receipt = services.receipt_register(actor=city.drafter, received_on=today(), sender="県", title="通知")
    client = client_for(city.drafter)
    url = f"/api/documents/receipts/{receipt.pk}/close"
    wrong = client.post(url, {"file_plan_class_id": 99999999}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["field"] == "file_plan_class_id"
    done = client.post(url, {"file_plan_class_id": _plan().pk}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert (done.json()["closed_on"], done.json()["file_plan_class_id"]) == (today().isoformat(), _plan().pk)
    again = client.post(url, {"file_plan_class_id": _plan().pk}, content_type="application/json")
    assert again.status_code == 409


def test_a_reply_withdrawn_or_rejected_gives_the_receipt_back_to_be_answered_or_closed(city):
    withdrawn = services.receipt_register(actor=city.drafter, received_on=today(), sender="県", title="照会")
    draft = submitted_document(city, receipt=withdrawn)
    services.withdraw(actor=city.drafter, document=draft, expected_version=draft.version, reason="電話で回答した")
    assert Receipt.objects.get(pk=withdrawn.pk).answered_by_id is None
    closed = services.receipt_close(actor=city.drafter, receipt=withdrawn, file_plan_class=_plan())
    assert closed.closed_on == today()

    rejected = services.receipt_register(actor=city.drafter, received_on=today(), sender="県", title="要望")
    draft = submitted_document(city, receipt=rejected)
    services.reject(actor=city.kakaricho, document=draft, expected_version=draft.version, comment="回答不要")
    assert Receipt.objects.get(pk=rejected.pk).answered_by_id is None
    assert submitted_document(city, receipt=rejected).pk == Receipt.objects.get(pk=rejected.pk).answered_by_id
    released = AuditEntry.objects.filter(action="documents.receipt.answer_release").count()
    assert released == 2 and verify_chain().ok


def test_a_receipt_closed_without_a_reply_leaves_the_replies_due_and_keeps_the_retention_it_was_closed_with(city):
    receipt = services.receipt_register(
        actor=city.drafter, received_on=today(), sender="県", title="照会", reply_needed=True, reply_deadline=today()
    )
    assert list(replies_due(city.drafter)) == [receipt]
    closed = services.receipt_close(actor=city.drafter, receipt=receipt, file_plan_class=_plan())
    assert list(replies_due(city.drafter)) == []
    FilePlanClass.objects.filter(pk=_plan().pk).update(retention_years=30)  # the class changed afterwards
    page = client_for(city.drafter).get(f"/documents/receipts/{receipt.pk}/").content.decode()
    assert f"保存期間 {closed.get_retention_years_display()}" in page and "保存期間 30年" not in page
    sheet = client_for(city.drafter).get(f"/documents/receipts/{receipt.pk}/sheet.pdf")
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"


def test_a_receipt_that_ended_before_its_reader_saw_it_no_longer_waits_for_them(city):
    receipt = expired_receipt(city)  # the 係長 saw it; circulate to the 課長 too, who never does
    Receipt.objects.filter(pk=receipt.pk).update(circulation_done_at=None)
    ReceiptReader.objects.create(
        receipt=receipt, reader=city.kacho, post_name="総務課 課長", position=2, requested_by=city.drafter
    )
    assert list(receipts_for(city.kacho, to_read=True)) == [receipt]
    Receipt.objects.filter(pk=receipt.pk).update(disposition=Disposition.DISPOSED, disposed_on=today())
    assert list(receipts_for(city.kacho, to_read=True)) == [] and to_read_count(city.kacho) == 0


def test_the_api_names_its_own_field_for_a_class_no_longer_in_force(city):
    receipt = services.receipt_register(actor=city.drafter, received_on=today(), sender="県", title="通知")
    FilePlanClass.objects.filter(pk=_plan().pk).update(valid_to=today() - dt.timedelta(days=1))
    answer = client_for(city.drafter).post(
        f"/api/documents/receipts/{receipt.pk}/close",
        {"file_plan_class_id": _plan().pk},
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["field"] == "file_plan_class_id"
