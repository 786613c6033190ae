"""書庫 and 借覧 through the API: storerooms, boxes, a paper record's box, loans and returns.

Reads through ``selectors_storage`` (the 文書主管 sees all; others their section's boxes and the loans of
their section's records or lent to them), writes through ``services.storage``; a box, loan or record
the caller may not see answers 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ValidationFailed
from cityhall.core.http import BodyId, FiscalYear, Id, Page, PageSize, Version
from cityhall.documents import services
from cityhall.documents.api import _common as c
from cityhall.documents.models import RecordLoan, StorageBox, StoredRecord, Storeroom
from cityhall.documents.selectors_storage import (
    LoanState,
    box_for,
    boxes_for,
    loan_for,
    loans_for,
    record_loans,
    storerooms,
)

router = Router(tags=["書庫・借覧"])


class StoreroomIn(Schema):
    """A storeroom to register (書庫)."""

    name: str
    place: str = ""


class StoreroomOut(Schema):
    id: int
    name: str
    place: str


class StorageBoxIn(Schema):
    """A box of one section's paper records (文書保存箱)."""

    storeroom_id: BodyId
    section_id: BodyId
    label: str = Field(description="箱番号（書庫の中で重複不可）")
    shelf: str = ""
    fiscal_year: FiscalYear | None = None
    note: str = ""


class StorageBoxOut(Schema):
    id: int
    storeroom_id: int
    storeroom: str
    section_id: int
    section: str
    label: str
    shelf: str
    fiscal_year: int | None
    note: str
    place: str

    @staticmethod
    def resolve_storeroom(obj: StorageBox) -> str:
        return obj.storeroom.name

    @staticmethod
    def resolve_section(obj: StorageBox) -> str:
        return obj.section.name

    @staticmethod
    def resolve_place(obj: StorageBox) -> str:
        return obj.place_text


class StorageBoxPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[StorageBoxOut]


class StoreIn(Schema):
    """The box of the record's section to put the paper record in (書庫への収納)."""

    box_id: BodyId
    expected_version: Version


class StoredRecordOut(Schema):
    document_id: int
    box: StorageBoxOut
    placed_at: dt.datetime
    location: str

    @staticmethod
    def resolve_location(obj: StoredRecord) -> str:
        return obj.document.location


class LoanIn(Schema):
    """A loan of a paper record (借覧の貸出)."""

    borrower_id: BodyId
    purpose: str
    due_on: dt.date
    lent_on: dt.date | None = Field(None, description="省略すると今日")


class ReturnIn(Schema):
    returned_on: dt.date | None = Field(None, description="省略すると今日")


class LoanOut(Schema):
    """One loan (借覧): the record, borrower, dates and whether it is overdue."""

    id: int
    document_id: int
    number_label: str
    title: str
    borrower_id: int
    borrower: str
    borrower_section: str
    purpose: str
    lent_on: dt.date
    due_on: dt.date
    returned_on: dt.date | None
    overdue: bool

    @staticmethod
    def resolve_number_label(obj: RecordLoan) -> str:
        return obj.document.number_label

    @staticmethod
    def resolve_title(obj: RecordLoan) -> str:
        return obj.document.title

    @staticmethod
    def resolve_borrower(obj: RecordLoan) -> str:
        return obj.borrower.full_name

    @staticmethod
    def resolve_borrower_section(obj: RecordLoan) -> str:
        return obj.borrower_section.name

    @staticmethod
    def resolve_overdue(obj: RecordLoan) -> bool:
        return obj.is_open and obj.due_on < timezone.localdate()


class LoanPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[LoanOut]


class LoanQuery(Schema):
    state: LoanState = Field(LoanState.OPEN, description="open（貸出中）, overdue（返却期限切れ）, returned（返却済）")
    page: Page = 1
    page_size: PageSize = 20


class PageQuery(Schema):
    page: Page = 1
    page_size: PageSize = 20


@router.get("/storerooms", response={200: list[StoreroomOut], **c.ERRORS}, summary="書庫の一覧")
def storeroom_list(request: HttpRequest) -> QuerySet[Storeroom]:
    """Every storeroom (書庫) of the city."""
    return storerooms()


@router.post("/storerooms", response={201: StoreroomOut, **c.ERRORS}, summary="書庫の登録")
def storeroom_create(request: HttpRequest, payload: StoreroomIn) -> Status[Storeroom]:
    """Register a storeroom (文書主管 only)."""
    return Status(201, services.storeroom_create(actor=user_of(request), name=payload.name, place=payload.place))


@router.get("/storage-boxes", response={200: StorageBoxPage, **c.ERRORS}, summary="文書保存箱の一覧")
def storage_box_list(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    """The boxes the caller sees: all for the 文書主管, else their section's."""
    return c.paged(boxes_for(user_of(request)), filters.page, filters.page_size)


@router.post("/storage-boxes", response={201: StorageBoxOut, **c.ERRORS}, summary="文書保存箱の登録")
def storage_box_create(request: HttpRequest, payload: StorageBoxIn) -> Status[StorageBox]:
    """Register a box of a section's paper records in a storeroom (文書主管 only)."""
    room = Storeroom.objects.filter(pk=payload.storeroom_id).first()
    if room is None:
        raise ValidationFailed("書庫が見つかりません。", field="storeroom_id")
    box = services.storage_box_create(
        actor=user_of(request),
        storeroom=room,
        section=c.units([payload.section_id], "section_id")[0],
        label=payload.label,
        shelf=payload.shelf,
        fiscal_year=payload.fiscal_year,
        note=payload.note,
    )
    return Status(201, box)


@router.get("/storage-boxes/{int:box_id}", response={200: StorageBoxOut, **c.ERRORS}, summary="文書保存箱")
def storage_box_detail(request: HttpRequest, box_id: Id) -> StorageBox:
    """One box the caller sees."""
    return box_for(user_of(request), box_id)


@router.put("/{int:document_id}/storage", response={200: StoredRecordOut, **c.ERRORS}, summary="書庫への収納")
def record_store(request: HttpRequest, document_id: Id, payload: StoreIn) -> StoredRecord:
    """Put a paper record in a box of its section; the register's 保管場所 becomes the box's place."""
    user = user_of(request)
    document = c.visible(request, document_id)
    box = StorageBox.objects.filter(pk=payload.box_id).first()
    if box is None:
        raise ValidationFailed("箱が見つかりません。", field="box_id")
    return services.record_store(actor=user, document=document, box=box, expected_version=payload.expected_version)


@router.get("/{int:document_id}/loans", response={200: list[LoanOut], **c.ERRORS}, summary="文書の借覧の記録")
def record_loan_list(request: HttpRequest, document_id: Id) -> QuerySet[RecordLoan]:
    """The loans of a record the caller sees, newest first."""
    return record_loans(c.visible(request, document_id)).select_related("document")


@router.post("/{int:document_id}/loans", response={201: LoanOut, **c.ERRORS}, summary="借覧の貸出")
def record_lend(request: HttpRequest, document_id: Id, payload: LoanIn) -> Status[RecordLoan]:
    """Lend a paper record to a borrower who may read it (its keepers: the 文書主管 or its section)."""
    document = c.visible(request, document_id)
    loan = services.record_lend(
        actor=user_of(request),
        document=document,
        borrower=c.users([payload.borrower_id], "borrower_id")[0],
        purpose=payload.purpose,
        due_on=payload.due_on,
        lent_on=payload.lent_on,
    )
    return Status(201, loan)


@router.get("/loans", response={200: LoanPage, **c.ERRORS}, summary="借覧の一覧")
def loan_list(request: HttpRequest, filters: Query[LoanQuery]) -> dict[str, Any]:
    """Loans the caller sees: 貸出中 (due first), 返却期限切れ (the overdue list), or 返却済."""
    return c.paged(loans_for(user_of(request), filters.state), filters.page, filters.page_size)


@router.post("/loans/{int:loan_id}/return", response={200: LoanOut, **c.ERRORS}, summary="借覧の返却")
def loan_return(request: HttpRequest, loan_id: Id, payload: ReturnIn) -> RecordLoan:
    """Record the return of a lent paper record (today unless ``returned_on`` is given)."""
    user = user_of(request)
    services.loan_return(actor=user, loan=loan_for(user, loan_id), returned_on=payload.returned_on)
    return loan_for(user, loan_id)
