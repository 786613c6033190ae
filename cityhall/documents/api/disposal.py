"""Disposal/transfer lists (廃棄・移管リスト): list, create, generate, choose 廃棄/移管, submit, the package.

The same services and selectors as the screens (``services.disposal``, ``selectors_disposal``): a
section's staff create their own section's list, the 文書主管 generates lists for the whole city or
one section; the drafter or the 文書主管 chooses 廃棄 or 移管 (歴史公文書) per record while the list
is a draft; the drafter starts its route; the 文書主管 downloads the transfer package from the office.
A list the caller may not see answers 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.http import ApiError, BodyId, Id, Page, PageSize, Version, paged
from cityhall.documents.api import _common as c
from cityhall.documents.models import DisposalList, DisposalListItem
from cityhall.documents.rules import section_of
from cityhall.documents.selectors_disposal import disposal_list_for, disposal_lists_for, list_items
from cityhall.documents.services import disposal as services
from cityhall.org.models import OrgUnit

router = Router(tags=["廃棄・移管"])
PATH = "/disposal-lists"


class DisposalListOut(Schema):
    """A disposal/transfer list (廃棄・移管リスト): its document, whose records, and what it did."""

    id: int = Field(description="リストの文書のID（文書APIの document_id と同じ）")
    number_label: str
    title: str
    status: str
    version: int
    section_id: int
    section: str
    due_by: dt.date
    generated: bool = Field(description="文書主管が作成したリスト")
    decision_label: str
    carried_out_at: dt.datetime | None
    package_sha256: str
    package_size: int | None

    @staticmethod
    def resolve_id(obj: DisposalList) -> int:
        return obj.document_id

    @staticmethod
    def resolve_number_label(obj: DisposalList) -> str:
        return obj.document.number_label

    @staticmethod
    def resolve_title(obj: DisposalList) -> str:
        return obj.document.title

    @staticmethod
    def resolve_status(obj: DisposalList) -> str:
        return obj.document.status

    @staticmethod
    def resolve_version(obj: DisposalList) -> int:
        return obj.document.version

    @staticmethod
    def resolve_section(obj: DisposalList) -> str:
        return obj.section.name

    @staticmethod
    def resolve_decision_label(obj: DisposalList) -> str:
        return obj.document.decision_label


class DisposalItemOut(Schema):
    """One record (or receipt closed on its own) on a list (明細): the action chosen (dispose 廃棄 / transfer
    移管) and what became of it."""

    id: int
    record_id: int | None = Field(description="文書のID（収受文書の明細では null）")
    receipt_id: int | None = Field(description="単独で完結した収受文書のID（文書の明細では null）")
    number_label: str = Field(description="文書番号、または収受番号")
    title: str = Field(description="件名（秘の文書は「（秘）」）")
    expires_on: dt.date
    action: str
    outcome: str
    done_on: dt.date | None
    note: str

    @staticmethod
    def resolve_number_label(obj: DisposalListItem) -> str:
        return obj.number_label

    @staticmethod
    def resolve_title(obj: DisposalListItem) -> str:
        return obj.title_shown("（秘）")


class DisposalListDetail(Schema):
    """A list with one page of its records."""

    disposal_list: DisposalListOut
    count: int
    page: int
    page_size: int
    items: list[DisposalItemOut]


class DisposalListPage(Schema):
    """One page of lists and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[DisposalListOut]


class PageQuery(Schema):
    page: Page = 1
    page_size: PageSize = 50


class DisposalListIn(Schema):
    """A new list: records whose retention ended by ``due_by``; ``section_id`` for the 文書主管 (else the caller's)."""

    due_by: dt.date = Field(description="この日までに保存期間が満了した文書（今年度末まで）")
    section_id: BodyId | None = Field(None, description="対象の課（文書主管のみ。省略時は自分の課）")


class GenerateIn(Schema):
    """Generate lists (文書主管): one per section with records past retention by ``due_by``; all sections if no id."""

    due_by: dt.date
    section_id: BodyId | None = Field(None, description="対象の課（省略時は全庁）")


class ChoiceIn(Schema):
    """廃棄 (``dispose``) or 移管 (``transfer``: 歴史公文書) for one record of a draft list."""

    action: str = Field(description="dispose（廃棄）または transfer（移管）")
    expected_version: Version


class VersionIn(Schema):
    expected_version: Version


def _unit(pk: int | None) -> OrgUnit | None:
    return c.units([pk], "section_id")[0] if pk is not None else None


def _detail(row: DisposalList, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    """The list with one page of its records (``DisposalListDetail``)."""
    return {"disposal_list": row, **paged(list_items(row), page, page_size)}


@router.get(PATH, response={200: DisposalListPage, **c.ERRORS}, summary="廃棄・移管リストの一覧")
def disposal_list_index(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    """The lists the caller works with: every list for the 文書主管, else their section's and their own."""
    return paged(disposal_lists_for(user_of(request)), filters.page, filters.page_size)


@router.post(PATH, response={201: DisposalListDetail, **c.ERRORS}, summary="廃棄・移管リストの作成")
def disposal_list_create(request: HttpRequest, payload: DisposalListIn) -> Status[dict[str, Any]]:
    """Draft the list of one section's records past retention: the caller's section, or any for the 文書主管."""
    user = user_of(request)
    section = _unit(payload.section_id)
    if section is None:
        section = section_of(user, on=timezone.localdate())
        if section is None:
            raise PermissionDenied("所属が登録されていないため廃棄・移管リストを作成できません。")
    document = services.disposal_list_create(actor=user, section=section, due_by=payload.due_by)
    return Status(201, _detail(disposal_list_for(user, document.pk)))


@router.post(
    f"{PATH}/generate", response={201: list[DisposalListOut], **c.ERRORS}, summary="廃棄・移管リストの一括作成"
)
def disposal_lists_generate(request: HttpRequest, payload: GenerateIn) -> Status[list[DisposalList]]:
    """The 文書主管 generates a list for every section (or one) that has records past retention by ``due_by``."""
    user = user_of(request)
    made = services.disposal_lists_generate(actor=user, due_by=payload.due_by, section=_unit(payload.section_id))
    rows = DisposalList.objects.select_related("document", "section").filter(document__in=made).order_by("pk")
    return Status(201, list(rows))


@router.get(f"{PATH}/{{int:list_id}}", response={200: DisposalListDetail, **c.ERRORS}, summary="廃棄・移管リスト")
def disposal_list_detail(request: HttpRequest, list_id: Id, filters: Query[PageQuery]) -> dict[str, Any]:
    """One list with a page of its records (番号・件名・満了日・措置・結果)."""
    row = disposal_list_for(user_of(request), list_id)
    return _detail(row, filters.page, filters.page_size)


@router.put(
    f"{PATH}/{{int:list_id}}/items/{{int:item_id}}",
    response={200: DisposalItemOut, **c.ERRORS},
    summary="廃棄・移管の選択（歴史公文書の選別）",
)
def disposal_item_choose(request: HttpRequest, list_id: Id, item_id: Id, payload: ChoiceIn) -> DisposalListItem:
    """Choose 廃棄 or 移管 for one record while the list is a draft (its drafter or the 文書主管)."""
    user = user_of(request)
    row = disposal_list_for(user, list_id)
    services.disposal_items_choose(
        actor=user, document=row.document, choices={item_id: payload.action}, expected_version=payload.expected_version
    )
    return list_items(row).get(pk=item_id)


@router.post(
    f"{PATH}/{{int:list_id}}/submit", response={200: DisposalListOut, **c.ERRORS}, summary="廃棄・移管リストの回議"
)
def disposal_list_submit(request: HttpRequest, list_id: Id, payload: VersionIn) -> DisposalList:
    """Start the list's route (its drafter): the rules' decider, 文書主管課 合議, the records' section if need be."""
    user = user_of(request)
    row = disposal_list_for(user, list_id)
    services.disposal_list_submit(actor=user, document=row.document, expected_version=payload.expected_version)
    return disposal_list_for(user, list_id)


@router.get(
    f"{PATH}/{{int:list_id}}/package",
    response={**c.ERRORS, 403: ApiError},
    summary="移管パッケージ（ZIP）の取得",
    openapi_extra={
        "responses": {
            200: {
                "description": "移管パッケージ（ZIP。構成は docs/transfer-package.md）",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def disposal_list_package(request: HttpRequest, list_id: Id) -> FileResponse:
    """The transfer package of a carried-out list: the 文書主管, from the office; each download audited."""
    user = user_of(request)
    row = disposal_list_for(user, list_id)
    handle = services.package_open(actor=user, row=row)
    name = f"transfer-{row.document.fiscal_year}-{row.section.code}-{row.document.number:05d}.zip"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
