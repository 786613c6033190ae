"""The storerooms, boxes and loans of paper records (書庫・文書保存箱・借覧).

Who does what: the document manager (文書主管) registers storerooms and boxes; the 文書主管 or a
member of the record's own section (課) puts a paper record in one of its section's boxes, lends
it and takes it back (``may_keep``). A paper record (紙の原議) is a decided or closed document of
medium 紙 not disposed of or transferred; electronic records are read on screen, never lent.

Putting a record in a box writes the register's 保管場所 from the box (``StorageBox.place_text``)
under the document's lock and version, as any change of the register. A loan names a borrower who
may read the record: a 秘 record goes only to its section's staff, its drafter or the 文書主管 (the
documents rule for plain documents, which every paper record is). Each write is audited in its
transaction (``documents.document.store``, ``documents.loan.lend|return``,
``documents.storeroom.create``, ``documents.storage_box.create``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, check_line, clean
from cityhall.core.japanese import format_date
from cityhall.core.numbers import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from cityhall.documents.models import (
    Document,
    Medium,
    RecordLoan,
    StorageBox,
    StoredRecord,
    Storeroom,
)
from cityhall.documents.rules import section_of
from cityhall.documents.services._common import (
    NOT_FOUND_MESSAGE,
    audit,
    bump,
    check_version,
    is_document_manager,
    lock_document,
    require_user,
    today,
)
from cityhall.documents.services.file_plan import require_manager
from cityhall.org.models import OrgUnit, UnitKind

LOAN_MAX_DAYS = 365
"""The longest loan (貸出日から返却期限まで): a due date further away is a typing error."""
PURPOSE_MAX_LENGTH = 200
NOT_PAPER = "電子の文書は貸出・書庫の対象ではありません。画面で閲覧してください。"


def may_keep(user: User, section_id: int, *, on: dt.date | None = None) -> bool:
    """Whether the user keeps the section's paper records (保管の担当): the 文書主管, or staff of that 課."""
    day = today(on)
    if is_document_manager(user, on=day):
        return True
    own = section_of(user, on=day)
    return own is not None and own.pk == section_id


def _keeper(actor: User, document: Document, day: dt.date) -> None:
    if not may_keep(actor, document.section_id, on=day):
        raise PermissionDenied(NOT_FOUND_MESSAGE)


def _paper_record(document: Document) -> None:
    """Refuse what is not a paper original kept today (紙の原議で、廃棄・移管されていないもの)."""
    if document.medium != Medium.PAPER:
        raise Conflict(NOT_PAPER)
    if not document.is_decided:
        raise Conflict("決裁前の文書は書庫に収納・貸出できません。")
    if document.disposition:
        raise Conflict(f"{document.get_disposition_display()}の文書は書庫に収納・貸出できません。")


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    text = unicodedata.normalize("NFKC", value or "").strip() if field in ("label", "shelf") else (value or "").strip()
    if required and not text:
        raise ValidationFailed(f"{label}を入力してください。", field=field)
    return check_line(text, field=field, label=label, max_length=max_length)


def storeroom_create(*, actor: User, name: str, place: str = "") -> Storeroom:
    """Register a storeroom (書庫の登録); document manager only."""
    actor = require_manager(actor)
    room = Storeroom(
        name=_text(name, field="name", label="書庫名", max_length=100, required=True),
        place=_text(place, field="place", label="所在", max_length=200),
    )
    with transaction.atomic(durable=True):
        if Storeroom.objects.filter(name=room.name).exists():
            raise ValidationFailed(f"書庫「{room.name}」は既に登録されています。", field="name")
        clean(room)
        room.save()
        record(actor=actor, action="documents.storeroom.create", obj=room, after=snapshot(room))
    return room


def storage_box_create(
    *,
    actor: User,
    storeroom: Storeroom,
    section: OrgUnit,
    label: str,
    shelf: str = "",
    fiscal_year: int | None = None,
    note: str = "",
) -> StorageBox:
    """Register a box of one section's paper records in a storeroom (文書保存箱の登録); document manager only."""
    actor = require_manager(actor)
    if section.kind == UnitKind.SUBSECTION:
        raise ValidationFailed("箱の課には課を選んでください（係は選べません）。", field="section")
    if fiscal_year is not None and not FISCAL_YEAR_MIN <= fiscal_year <= FISCAL_YEAR_MAX:
        raise ValidationFailed(
            f"年度は{FISCAL_YEAR_MIN}から{FISCAL_YEAR_MAX}までの西暦で入力してください。", field="fiscal_year"
        )
    box = StorageBox(
        storeroom=storeroom,
        section=section,
        label=_text(label, field="label", label="箱番号", max_length=40, required=True),
        shelf=_text(shelf, field="shelf", label="棚", max_length=40),
        fiscal_year=fiscal_year,
        note=_text(note, field="note", label="備考", max_length=200),
        created_by=actor,
    )
    with transaction.atomic(durable=True):
        if StorageBox.objects.filter(storeroom=storeroom, label=box.label).exists():
            raise ValidationFailed(f"{storeroom.name}には箱番号「{box.label}」の箱が既にあります。", field="label")
        clean(box)
        box.save()
        record(actor=actor, action="documents.storage_box.create", obj=box, after=snapshot(box))
    return box


def record_store(*, actor: User, document: Document, box: StorageBox, expected_version: int) -> StoredRecord:
    """Put a paper record in a box of its section (書庫への収納); the register's 保管場所 follows the box."""
    actor = require_user(actor)
    day = today()
    with transaction.atomic(durable=True):
        document = lock_document(document)
        _keeper(actor, document, day)
        check_version(document, expected_version)
        _paper_record(document)
        box = StorageBox.objects.select_related("storeroom", "section").get(pk=box.pk)
        if box.section_id != document.section_id:
            raise ValidationFailed(
                f"箱「{box.place_text}」は{box.section.name}の箱です。{document.section.name}の文書は入れられません。",
                field="box",
            )
        stored = StoredRecord.objects.select_for_update().filter(document=document).first()
        if stored is not None and stored.box_id == box.pk:
            raise ValidationFailed("この文書は既にこの箱に収納されています。", field="box")
        before = snapshot(document)
        if stored is None:
            stored = StoredRecord(document=document, box=box, placed_by=actor, placed_at=timezone.now())
            stored.save()
        else:
            stored.box, stored.placed_by, stored.placed_at = box, actor, timezone.now()
            stored.save(update_fields=["box", "placed_by", "placed_at"])
        document.location = box.place_text
        clean(document)
        bump(document, ["location"])
        audit(actor, "document.store", document, before, box=box.pk)
    return stored


def _borrower(borrower: User, document: Document, day: dt.date) -> OrgUnit:
    """The borrower's section today; a 秘 record goes only to its section, its drafter or the 文書主管."""
    if not isinstance(borrower, User) or not borrower.is_active:
        raise ValidationFailed("借受者が見つかりません。", field="borrower")
    section = section_of(borrower, on=day)
    if section is None:
        raise ValidationFailed(f"{borrower}さんは所属が登録されていないため貸し出せません。", field="borrower")
    if document.is_confidential and not (
        section.pk == document.section_id or borrower.pk == document.drafter_id or is_document_manager(borrower, on=day)
    ):
        raise ValidationFailed(
            f"秘の文書は{document.section.name}の職員か文書主管にだけ貸し出せます（{borrower}さんは{section.name}）。",
            field="borrower",
        )
    return section


def _loan_days(lent_on: object, due_on: object, day: dt.date) -> tuple[dt.date, dt.date]:
    for value, field, label in ((lent_on, "lent_on", "貸出日"), (due_on, "due_on", "返却期限")):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValidationFailed(f"{label}を入力してください。", field=field)
    assert isinstance(lent_on, dt.date) and isinstance(due_on, dt.date)
    if lent_on > day:
        raise ValidationFailed(f"貸出日（{format_date(lent_on)}）は今日以前の日付にしてください。", field="lent_on")
    if due_on < lent_on:
        raise ValidationFailed(
            f"返却期限（{format_date(due_on)}）は貸出日（{format_date(lent_on)}）以降の日付にしてください。",
            field="due_on",
        )
    if (due_on - lent_on).days > LOAN_MAX_DAYS:
        raise ValidationFailed(
            f"返却期限（{format_date(due_on)}）は貸出日から{LOAN_MAX_DAYS}日以内にしてください。", field="due_on"
        )
    return lent_on, due_on


def record_lend(
    *,
    actor: User,
    document: Document,
    borrower: User,
    due_on: dt.date,
    purpose: str,
    lent_on: dt.date | None = None,
) -> RecordLoan:
    """Lend a paper record (借覧の貸出) to a borrower who may read it, until ``due_on``; one loan at a time."""
    actor = require_user(actor)
    day = today()
    lent_on, due_on = _loan_days(day if lent_on is None else lent_on, due_on, day)
    purpose = _text(purpose, field="purpose", label="借覧の目的", max_length=PURPOSE_MAX_LENGTH, required=True)
    with transaction.atomic(durable=True):
        document = lock_document(document)
        _keeper(actor, document, day)
        _paper_record(document)
        section = _borrower(borrower, document, day)
        out = RecordLoan.objects.filter(document=document, returned_on__isnull=True).select_related("borrower").first()
        if out is not None:
            raise Conflict(
                f"この文書は{out.borrower}さんに貸出中です（返却期限 {format_date(out.due_on)}）。"
                "返却されてから貸し出してください。"
            )
        loan = RecordLoan(
            document=document,
            borrower=borrower,
            borrower_section=section,
            purpose=purpose,
            lent_on=lent_on,
            due_on=due_on,
            lent_by=actor,
        )
        clean(loan)
        loan.save()
        record(actor=actor, action="documents.loan.lend", obj=loan, after=snapshot(loan))
    return loan


def loan_return(*, actor: User, loan: RecordLoan, returned_on: dt.date | None = None) -> RecordLoan:
    """Take a lent paper record back (借覧の返却) on ``returned_on`` (today by default)."""
    actor = require_user(actor)
    day = today()
    returned_on = day if returned_on is None else returned_on
    if not isinstance(returned_on, dt.date) or isinstance(returned_on, dt.datetime):
        raise ValidationFailed("返却日を入力してください。", field="returned_on")
    with transaction.atomic(durable=True):
        loan = RecordLoan.objects.select_for_update().select_related("document").get(pk=loan.pk)
        _keeper(actor, loan.document, day)
        if loan.returned_on is not None:
            raise Conflict(f"この借覧は{format_date(loan.returned_on)}に返却済みです。")
        if not loan.lent_on <= returned_on <= day:
            raise ValidationFailed(
                f"返却日（{format_date(returned_on)}）は貸出日（{format_date(loan.lent_on)}）から今日までの日付にしてください。",
                field="returned_on",
            )
        before = snapshot(loan)
        loan.returned_on, loan.returned_to = returned_on, actor
        clean(loan)
        loan.save(update_fields=["returned_on", "returned_to"])
        record(actor=actor, action="documents.loan.return", obj=loan, before=before, after=snapshot(loan))
    return loan
