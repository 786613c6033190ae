"""Answers (回答): answer files, answer rows, decisions, paper replies, 差押予定一覧, answer-file columns.

Each operation asks for the caller's scope first (404 for anyone without the 徴税 role, 403 from
outside the office), reads through the same selectors and writes through the same services as
the screens; every look at answers or persons is recorded as the screens record it. A refused
answer file answers 400 with ``rows``: each bad row, field and reason in Japanese.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from cityhall.core.errors import ValidationFailed
from cityhall.core.http import Id, Page, PageSize, paged
from cityhall.inquiries.api._common import ERRORS, scope
from cityhall.inquiries.models import AccountType, Answer, AnswerResult, AssetKind, MatchStatus
from cityhall.inquiries.seizure_excel import XLSX, seizure_workbook
from cityhall.inquiries.selectors.answers import SeizurePerson, answer_for, batch_answers, letter_for, seizure_list
from cityhall.inquiries.selectors.batches import batch_detail
from cityhall.inquiries.selectors.institutions import institution_for
from cityhall.inquiries.services import answers as services
from cityhall.inquiries.services._answer_rows import FIELDS
from cityhall.inquiries.services.persons import persons_viewed

router = Router(tags=["回答・差押予定一覧"])
BINARY = {
    "responses": {
        200: {"description": "Excel ファイル", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}
    }
}


class AssetOut(Schema):
    kind: AssetKind
    branch_name: str
    branch_code: str
    account_type: str
    account_number: str
    balance: int | None
    last_transaction_on: dt.date | None
    policy_number: str
    surrender_value: int | None


class AnswerOut(Schema):
    id: int
    letter_id: int
    institution: str
    answer_file_id: int | None
    row_number: int | None
    name: str
    kana: str
    birth_date: dt.date | None
    address: str
    result: AnswerResult
    match_status: MatchStatus
    resident_number: str | None = Field(None, description="照合した対象者の宛名番号（未確定・対象外は null）")
    received_on: dt.date
    assets: list[AssetOut]


class AnswerPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[AnswerOut]


class AnswerQuery(Schema):
    status: str = Field(
        "", pattern="^(|open|matched|unmatched|ambiguous|decided|not_ours)$", description="open: 未確定"
    )
    page: Page = 1
    page_size: PageSize = 50


class AnswerImportOut(Schema):
    answer_file_id: int
    letter_id: int
    name: str
    sha256: str
    rows: int
    matched: int
    unmatched: int
    ambiguous: int


class DecisionIn(Schema):
    """Whose the row is: a person of the letter by 宛名番号, or not ours (対象外)."""

    resident_number: str = Field("", max_length=20)
    not_ours: bool = False


class AssetIn(Schema):
    branch_name: str = Field("", max_length=100)
    branch_code: str = Field("", max_length=10)
    account_type: AccountType | None = None
    account_number: str = Field("", max_length=20)
    balance: int | None = Field(None, ge=0, le=999_999_999_999)
    last_transaction_on: dt.date | None = None
    policy_number: str = Field("", max_length=30)
    surrender_value: int | None = Field(None, ge=0, le=999_999_999_999)
    note: str = Field("", max_length=300)


class ManualAnswerIn(Schema):
    """A paper reply about one person (回答書の入力)."""

    resident_number: str = Field(..., max_length=20)
    result: AnswerResult
    received_on: dt.date | None = None
    assets: list[AssetIn] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=1000)


class SeizureAssetOut(Schema):
    institution: str
    kind: str
    branch_name: str
    branch_code: str
    account_type: str
    number: str
    balance: int
    last_transaction_on: dt.date | None


class SeizurePersonOut(Schema):
    person_id: int
    resident_number: str
    name: str
    kana: str
    birth_date: dt.date
    amount_owed: int
    total: int
    assets: list[SeizureAssetOut]


class SeizureListOut(Schema):
    batch_id: int
    found: list[SeizurePersonOut]
    nothing: list[SeizurePersonOut] = Field(..., description="どの照会先にも財産がなかった対象者")
    waiting: int = Field(..., description="回答のそろっていない対象者の数")


class LayoutIn(Schema):
    """Where each field is in the institution's answer files: 項目名 → 見出しの文字 or 「#3」."""

    columns: dict[str, str] = Field(default_factory=dict)
    header_row: int = Field(1, ge=0, le=1000)
    sheet: str | None = Field(None, max_length=31)


class LayoutOut(LayoutIn):
    institution_id: int
    fields: dict[str, str] = Field(..., description="項目名と見出し（日本語）")


def _answer(answer: Answer) -> dict[str, Any]:
    item = answer.item
    return {
        "id": answer.pk,
        "letter_id": answer.letter_id,
        "institution": answer.letter.institution.name,
        "answer_file_id": answer.answer_file_id,
        "row_number": answer.row_number,
        "name": answer.name,
        "kana": answer.kana,
        "birth_date": answer.birth_date,
        "address": answer.address,
        "result": answer.result,
        "match_status": answer.match_status,
        "resident_number": item.batch_person.person.resident_number if item is not None else None,
        "received_on": answer.received_on,
        "assets": list(answer.assets.all()),
    }


@router.post(
    "/letters/{letter_id}/answer-files", response={201: AnswerImportOut, **ERRORS}, summary="回答ファイルの取込"
)
def answer_file_import_api(
    request: HttpRequest,
    letter_id: Id,
    file: File[UploadedFile | None] = None,
    received_on: Form[dt.date | None] = None,
) -> Status[dict[str, Any]]:
    """Import an answer file (CSV or Excel) for a sent letter; all rows or none, matched to the persons."""
    user = scope(request).user
    letter = letter_for(user, letter_id)
    if file is None:
        raise ValidationFailed("取り込むファイルを選んでください。", field="file")
    result = services.answer_file_import(
        actor=user, letter=letter, name=file.name or "", data=file.read(), received_on=received_on
    )
    imported = result.file
    return Status(
        201,
        {
            "answer_file_id": imported.pk, "letter_id": letter.pk, "name": imported.name, "sha256": imported.sha256,
            "rows": imported.rows, "matched": result.matched, "unmatched": result.unmatched,
            "ambiguous": result.ambiguous,
        },
    )  # fmt: skip


@router.get("/batches/{batch_id}/answers", response={200: AnswerPageOut, **ERRORS}, summary="回答の一覧")
def answer_list_api(request: HttpRequest, batch_id: Id, query: Query[AnswerQuery]) -> dict[str, Any]:
    """The batch's answer rows (by letter and row), optionally of one match status; recorded as views."""
    user = scope(request).user
    batch_detail(user, batch_id)
    rows = batch_answers(user, batch_id, status=query.status).order_by(
        "letter_id", "answer_file_id", "row_number", "pk"
    )
    result = paged(rows, query.page, query.page_size)
    services.answers_viewed(actor=user, answers=result["items"], where="api_answers")
    persons = [a.item.batch_person.person for a in result["items"] if a.item is not None]
    persons_viewed(actor=user, persons=list({p.pk: p for p in persons}.values()), where="api_answers")
    result["items"] = [_answer(a) for a in result["items"]]
    return result


@router.post("/answers/{answer_id}/decision", response={200: AnswerOut, **ERRORS}, summary="照合の確定")
def answer_decide_api(request: HttpRequest, answer_id: Id, body: DecisionIn) -> dict[str, Any]:
    """Decide whose an unmatched or ambiguous row is: a person of the letter (宛名番号) or not ours."""
    user = scope(request).user
    answer = answer_for(user, answer_id)
    services.answer_decide(actor=user, answer=answer, resident_number=body.resident_number, not_ours=body.not_ours)
    return _answer(answer_for(user, answer_id))


@router.post("/letters/{letter_id}/answers", response={201: AnswerOut, **ERRORS}, summary="回答書の入力")
def answer_enter_api(request: HttpRequest, letter_id: Id, body: ManualAnswerIn) -> Status[dict[str, Any]]:
    """Type in a paper reply about one person of a sent letter."""
    user = scope(request).user
    letter = letter_for(user, letter_id)
    assets = [services.AssetInput(**(a.dict() | {"account_type": a.account_type or ""})) for a in body.assets]
    data = services.ManualAnswer(
        resident_number=body.resident_number,
        result=body.result,
        received_on=body.received_on,
        assets=assets,
        note=body.note,
    )
    answer = services.answer_enter(actor=user, letter=letter, data=data)
    return Status(201, _answer(answer_for(user, answer.pk)))


def _person(entry: SeizurePerson) -> dict[str, Any]:
    return {
        "person_id": entry.person.pk,
        "resident_number": entry.person.resident_number,
        "name": entry.name,
        "kana": entry.kana,
        "birth_date": entry.birth_date,
        "amount_owed": entry.person.amount,
        "total": entry.total,
        "assets": [asset.__dict__ for asset in entry.assets],
    }


@router.get("/batches/{batch_id}/seizure-list", response={200: SeizureListOut, **ERRORS}, summary="差押予定一覧")
def seizure_list_api(request: HttpRequest, batch_id: Id) -> dict[str, Any]:
    """The batch's 差押予定一覧: persons by the assets found (largest first), and those with none anywhere."""
    user = scope(request).user
    batch = batch_detail(user, batch_id)
    listing = seizure_list(user, batch_id)
    services.seizure_viewed(actor=user, batch=batch, persons=listing.persons, where="api_seizure")
    return {
        "batch_id": batch.pk,
        "found": [_person(e) for e in listing.found],
        "nothing": [_person(e) for e in listing.nothing],
        "waiting": listing.waiting,
    }


@router.get(
    "/batches/{batch_id}/seizure-list.xlsx",
    response=ERRORS,
    summary="差押予定一覧（Excel）",
    openapi_extra=BINARY,
)
def seizure_xlsx_api(request: HttpRequest, batch_id: Id) -> HttpResponse:
    """The 差押予定一覧 as an Excel workbook (formula-safe); each download recorded."""
    user = scope(request).user
    batch = batch_detail(user, batch_id)
    listing = seizure_list(user, batch_id)
    services.seizure_viewed(actor=user, batch=batch, persons=listing.persons, where="api_seizure_xlsx", export=True)
    response = HttpResponse(seizure_workbook(listing), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="seizure-candidates-{batch.pk}.xlsx"'
    return response


def _layout(institution_id: int, request: HttpRequest) -> dict[str, Any]:
    institution = institution_for(scope(request).user, institution_id)
    layout = services.stored_layout(institution)
    fields = {f.name: f.label for f in FIELDS}
    return layout.to_dict() | {"institution_id": institution.pk, "fields": fields}


@router.get(
    "/institutions/{institution_id}/answer-layout",
    response={200: LayoutOut, **ERRORS},
    summary="回答ファイルの列の設定",
)
def answer_layout_api(request: HttpRequest, institution_id: Id) -> dict[str, Any]:
    """Where each field is in the institution's answer files (fields not named: their usual headers)."""
    return _layout(institution_id, request)


@router.put(
    "/institutions/{institution_id}/answer-layout",
    response={200: LayoutOut, **ERRORS},
    summary="回答ファイルの列の設定の変更",
)
def answer_layout_set_api(request: HttpRequest, institution_id: Id, body: LayoutIn) -> dict[str, Any]:
    """Keep the institution's answer-file columns, checked before they are stored."""
    user = scope(request).user
    institution = institution_for(user, institution_id)
    services.answer_layout_set(actor=user, institution=institution, layout=body.dict())
    return _layout(institution_id, request)
