"""Documents (文書): search the register, read one, create and edit drafts (起案)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.http import MAX_PAGE_SIZE, FiscalYear, Id, Page, PageSize
from cityhall.documents import services
from cityhall.documents.api import _common as c
from cityhall.documents.api.schemas import DocumentOut, DocumentSearchPage, DraftIn, DraftUpdateIn
from cityhall.documents.models import Document
from cityhall.documents.selectors import SearchFilters, search_page

router = Router(tags=["文書"])


class SearchQuery(Schema):
    """Search words and register filters (検索条件); empty means "any"."""

    q: str = Field("", description="件名・本文・添付ファイルの全文検索（1文字から）")
    section_id: Id | None = None
    file_plan_class_id: Id | None = None
    fiscal_year: FiscalYear | None = None
    status: str | None = None
    drafted_from: dt.date | None = None
    drafted_to: dt.date | None = None
    page: Page = 1
    page_size: PageSize = 20


@router.get("/", response={200: DocumentSearchPage, **c.ERRORS}, summary="文書の検索・一覧")
def document_search(request: HttpRequest, filters: Query[SearchQuery]) -> dict[str, Any]:
    """Documents the caller may see, found by full text and filtered, newest first, one page at a time.

    With ``q`` the count stops at 1,000 (``capped``) or at the time budget (``capped`` and ``many``:
    「多数」); a page past the last is the last page.
    """
    criteria = SearchFilters(
        section_id=filters.section_id,
        file_plan_class_id=filters.file_plan_class_id,
        fiscal_year=filters.fiscal_year,
        status=filters.status,
        drafted_from=filters.drafted_from,
        drafted_to=filters.drafted_to,
    )
    size = min(max(filters.page_size, 1), MAX_PAGE_SIZE)
    found = search_page(user_of(request), filters.q, criteria, page=filters.page, page_size=size)
    return {
        "count": found.count,
        "capped": found.capped,
        "many": found.many,
        "incomplete": found.incomplete,
        "page": found.number,
        "page_size": found.page_size,
        "items": found.items,
    }


@router.get("/{int:document_id}", response={200: DocumentOut, **c.ERRORS}, summary="文書の詳細")
def document_detail(request: HttpRequest, document_id: Id) -> Document:
    """One document with its route and stamps, attachments, comments and the caller's actions.

    A view of a document marked 個人情報あり is audited (個人情報の閲覧記録), as on the documents page.
    """
    document = c.visible(request, document_id)
    services.personal_info_access_record(actor=user_of(request), document=document, what="view")
    return document


@router.post("/", response={201: DocumentOut, **c.ERRORS}, summary="起案（下書きの作成）")
def draft_create(request: HttpRequest, payload: DraftIn) -> Status[Document]:
    """Create a draft numbered in the caller's section and fiscal year."""
    data = payload.dict(exclude={"matter_kind_id", "file_plan_class_id", "sub_of_id"})
    with c.payload_fields():
        document = services.draft_create(
            actor=user_of(request),
            matter_kind=c.matter_kind(payload.matter_kind_id),
            file_plan_class=c.file_plan_class(payload.file_plan_class_id),
            sub_of=c.visible(request, payload.sub_of_id) if payload.sub_of_id else None,
            **data,
        )
    return Status(201, document)


@router.patch("/{int:document_id}", response={200: DocumentOut, **c.ERRORS}, summary="起案の修正")
def draft_update(request: HttpRequest, document_id: Id, payload: DraftUpdateIn) -> Document:
    """Change the fields sent of a draft (起案中・差戻し) the caller drafted."""
    changes = payload.dict(exclude_unset=True, exclude={"expected_version"})
    if "matter_kind_id" in changes:
        changes["matter_kind"] = c.matter_kind(changes.pop("matter_kind_id"))
    if "file_plan_class_id" in changes:
        changes["file_plan_class"] = c.file_plan_class(changes.pop("file_plan_class_id"))
    document = c.visible(request, document_id)
    with c.payload_fields():
        return services.draft_update(
            actor=user_of(request), document=document, expected_version=payload.expected_version, **changes
        )
