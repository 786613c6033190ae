"""Inquiry batches (預貯金等照会): list, draft (persons by filters or ids, institutions), one batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cityhall.core.http import BodyId, Id, Page, PageSize, paged
from cityhall.inquiries.api._common import ERRORS, scope
from cityhall.inquiries.models import InquiryBatch, LetterStatus
from cityhall.inquiries.models.batches import LEGAL_BASIS
from cityhall.inquiries.selectors.batches import batch_detail, batch_list, batch_persons, counts_of, letters_of
from cityhall.inquiries.selectors.persons import PersonFilters
from cityhall.inquiries.services.batches import BatchTerms, InstitutionChoice, batch_draft
from cityhall.inquiries.services.persons import persons_viewed

router = Router(tags=["預貯金等照会"])


class BatchOut(Schema):
    id: int
    document_id: int
    number_label: str
    title: str
    status: str
    legal_basis: str
    purpose: str
    base_date: dt.date
    period_from: dt.date | None
    period_to: dt.date | None
    reply_days: int
    persons: int
    letters: int


class BatchPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[BatchOut]


class LetterOut(Schema):
    id: int
    institution_id: int
    institution: str
    number: int | None
    status: LetterStatus
    sent_on: dt.date | None
    reply_deadline: dt.date | None
    answered_on: dt.date | None
    persons: int
    overdue: bool


class BatchPersonOut(Schema):
    person_id: int
    resident_number: str
    name: str
    kana: str
    birth_date: dt.date
    institutions: list[int]


class BatchDetailOut(BatchOut):
    letters_detail: list[LetterOut]
    items: int
    persons_page: list[BatchPersonOut]


class BatchDetailQuery(Schema):
    page: Page = 1
    page_size: PageSize = 50


class PersonFilterIn(Schema):
    min_amount: int | None = Field(None, ge=0, le=999_999_999_999, description="滞納額（以上）")
    max_amount: int | None = Field(None, ge=0, le=999_999_999_999, description="滞納額（以下）")
    min_age_months: int | None = Field(None, ge=0, le=1200, description="滞納期間（か月以上）")
    area: str = Field("", max_length=50)
    inquired: str = Field("", pattern="^(|yes|no)$", description="yes: 照会済のみ、no: 未照会のみ")


class PerPersonIn(Schema):
    person_id: BodyId
    institution_ids: list[BodyId] = Field(..., max_length=300)


class BatchIn(Schema):
    """A batch to draft: who (filters, optionally ids), of whom (institutions), and the terms."""

    filters: PersonFilterIn | None = Field(None, description="対象者の条件（省略時は全員）")
    person_ids: list[BodyId] | None = Field(None, max_length=10_000, description="省略時は条件に合う全員")
    institution_ids: list[BodyId] = Field(default_factory=list, max_length=300, description="全員に照会する照会先")
    region: str = Field("", max_length=40, description="この地域の銀行等・ゆうちょを全員に照会")
    per_person: list[PerPersonIn] = Field(default_factory=list, max_length=10_000, description="滞納者ごとの照会先")
    where_seen: bool = Field(
        False, description="滞納者ごとに、納付・口座振替の金融機関と以前の回答で財産が判明した照会先も照会"
    )
    title: str = Field("", max_length=200)
    purpose: str = Field(..., max_length=1000)
    legal_basis: str = Field(LEGAL_BASIS, max_length=200)
    base_date: dt.date
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    reply_days: int = Field(14, ge=1, le=120)


def _out(batch: InquiryBatch, counts: dict[str, int] | None = None) -> dict[str, Any]:
    document = batch.document
    fields = ("legal_basis", "purpose", "base_date", "period_from", "period_to", "reply_days")
    out: dict[str, Any] = {f: getattr(batch, f) for f in fields}
    out |= {"id": batch.pk, "document_id": document.pk, "number_label": document.number_label}
    out |= {"title": document.title, "status": document.status}
    if counts is None:
        out |= {"persons": batch.person_count, "letters": batch.letter_count}  # type: ignore[attr-defined]
    else:
        out |= {"persons": counts["persons"], "letters": counts["letters"]}
    return out


@router.get("/batches", response={200: BatchPageOut, **ERRORS}, summary="預貯金等照会の一覧")
def batch_list_api(request: HttpRequest, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    """The caller's section's batches, newest first."""
    result = paged(batch_list(scope(request).user), page, page_size)
    result["items"] = [_out(b) for b in result["items"]]
    return result


@router.post("/batches", response={201: BatchOut, **ERRORS}, summary="預貯金等照会の作成（起案）")
def batch_create_api(request: HttpRequest, body: BatchIn) -> Status[dict[str, Any]]:
    """Draft a batch; submit it through ``/api/documents/{document_id}/submit``."""
    user = scope(request).user
    batch = batch_draft(
        actor=user,
        filters=PersonFilters(**body.filters.dict()) if body.filters is not None else None,
        person_ids=body.person_ids,
        institutions=InstitutionChoice(
            institution_ids=body.institution_ids,
            region=body.region,
            per_person={row.person_id: row.institution_ids for row in body.per_person},
            where_seen=body.where_seen,
        ),
        terms=BatchTerms(
            purpose=body.purpose,
            base_date=body.base_date,
            period_from=body.period_from,
            period_to=body.period_to,
            reply_days=body.reply_days,
            legal_basis=body.legal_basis,
            title=body.title,
        ),
    )
    return Status(201, _out(batch_detail(user, batch.pk), counts_of(batch)))


@router.get("/batches/{batch_id}", response={200: BatchDetailOut, **ERRORS}, summary="預貯金等照会の詳細")
def batch_detail_api(request: HttpRequest, batch_id: Id, query: Query[BatchDetailQuery]) -> dict[str, Any]:
    """A batch with each institution's letter and a page of its persons (recorded as views)."""
    user = scope(request).user
    batch = batch_detail(user, batch_id)
    counts = counts_of(batch)
    start = (query.page - 1) * query.page_size
    rows = list(batch_persons(batch)[start : start + query.page_size])
    persons_viewed(actor=user, persons=[row.person for row in rows], where="api_batch")
    letters = [
        {
            "id": letter.pk,
            "institution_id": letter.institution_id,
            "institution": letter.institution.name,
            "number": letter.number,
            "status": letter.status,
            "sent_on": letter.sent_on,
            "reply_deadline": letter.reply_deadline,
            "answered_on": letter.answered_on,
            "persons": letter.person_count,  # type: ignore[attr-defined]
            "overdue": letter.is_overdue,  # type: ignore[attr-defined]
        }
        for letter in letters_of(batch)
    ]
    persons = [
        {
            "person_id": row.person_id,
            "resident_number": row.person.resident_number,
            "name": row.name,
            "kana": row.kana,
            "birth_date": row.birth_date,
            "institutions": [item.letter.institution_id for item in row.asked],  # type: ignore[attr-defined]
        }
        for row in rows
    ]
    return _out(batch, counts) | {"letters_detail": letters, "items": counts["items"], "persons_page": persons}
