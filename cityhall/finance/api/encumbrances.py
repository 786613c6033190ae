"""Encumbrances (支出負担行為): list, detail with the available balance, draft, amend, cancel, 変更契約.

Submission and decision go through the documents API (``links`` in every answer):
the typed document's hooks check the budget there, as on the screens.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.http import FiscalYear, Id, Page, PageSize
from cityhall.documents.services import personal_info_access_record
from cityhall.finance import balance, services
from cityhall.finance.api import _common as c
from cityhall.finance.api.schemas.encumbrances import (
    AmendIn,
    CancelIn,
    ChangeIn,
    ChangeOut,
    EncumbranceDetailOut,
    EncumbranceIn,
    EncumbrancePage,
    EncumbranceUpdateIn,
)
from cityhall.finance.models import Encumbrance, EncumbranceChange
from cityhall.finance.selectors.changes import change_history, possible_split
from cityhall.finance.selectors.encumbrances import encumbrances_for

router = Router(tags=["支出負担行為"])
CONTRACT_FIELDS = ("negotiated_ground", "contract_kind", "unit_price", "contract_number", "contract_date")


class EncumbranceQuery(Schema):
    """Filters of the encumbrance list (年度・予算明細・状態); empty means "any"."""

    fiscal_year: FiscalYear | None = None
    line_id: Id | None = None
    status: str | None = None
    page: Page = 1
    page_size: PageSize = 20


def encumbrance_out(enc: Encumbrance) -> dict[str, Any]:
    """An encumbrance with its document's state and the links to drive its route."""
    doc = enc.document
    return {
        **{f: getattr(enc, f) for f in ("id", "document_id", "fiscal_year", "line_id", "section_id", "creditor_id")},
        **{f: getattr(enc, f) for f in ("amount", "original_amount", "contract_method", "deadline")},
        **{f: getattr(enc, f) for f in CONTRACT_FIELDS},
        "contract_method_label": enc.get_contract_method_display(),
        "cancelled_at": enc.cancelled_at,
        "cancel_reason": enc.cancel_reason,
        "number_label": doc.number_label,
        "title": doc.title,
        "status": doc.status,
        "status_label": doc.get_status_display(),
        "version": doc.version,
        "line": enc.line.label,
        "section": enc.section.name,
        "creditor": enc.creditor.name,
        "links": c.document_links(enc.document_id),
    }


def change_out(change: EncumbranceChange) -> dict[str, Any]:
    """A 変更契約 with its document's state and the links to drive its route."""
    doc = change.document
    return {
        **{f: getattr(change, f) for f in ("id", "document_id", "sequence", "previous_amount", "new_amount")},
        **{f: getattr(change, f) for f in ("difference", "new_deadline", "change_date", "reason")},
        "number_label": doc.number_label,
        "title": doc.title,
        "status": doc.status,
        "status_label": doc.get_status_display(),
        "version": doc.version,
        "applied": change.applied_at is not None,
        "links": c.document_links(change.document_id),
    }


def encumbrance_detail_out(enc: Encumbrance) -> dict[str, Any]:
    """An encumbrance with its allotment's available balance, what is ordered against it and its changes."""
    ordered = balance.ordered_against(enc)
    warning = possible_split(enc)
    return {
        "changes": [change_out(change) for change in change_history(enc)],
        "split_warning": warning.message if warning is not None else None,
        **encumbrance_out(enc),
        "allotment_amount": enc.allotment.amount,
        "available": balance.available_amount(enc.allotment),
        "ordered": ordered,
        "unordered": max(enc.amount - ordered, 0) if enc.cancelled_at is None else 0,
    }


@router.get("/encumbrances", response={200: EncumbrancePage, **c.ERRORS}, summary="支出負担行為の一覧")
def encumbrance_list(request: HttpRequest, filters: Query[EncumbranceQuery]) -> dict[str, Any]:
    """Encumbrances of the caller's section (all for the 会計 role), newest first."""
    rows = encumbrances_for(user_of(request)).order_by("-document__drafted_on", "-pk")
    if filters.fiscal_year is not None:
        rows = rows.filter(fiscal_year=filters.fiscal_year)
    if filters.line_id is not None:
        rows = rows.filter(line_id=filters.line_id)
    if filters.status:
        rows = rows.filter(document__status=filters.status)
    page = c.paged(rows, filters.page, filters.page_size)
    page["items"] = [encumbrance_out(enc) for enc in page["items"]]
    return page


@router.get(
    "/encumbrances/{int:encumbrance_id}", response={200: EncumbranceDetailOut, **c.ERRORS}, summary="支出負担行為の詳細"
)
def encumbrance_detail(request: HttpRequest, encumbrance_id: Id) -> dict[str, Any]:
    """One encumbrance with the available balance (執行可能額) of its allotment; views of 個人情報あり are audited."""
    encumbrance = c.visible_encumbrance(request, encumbrance_id)
    personal_info_access_record(actor=user_of(request), document=encumbrance.document, what="view")
    return encumbrance_detail_out(encumbrance)


@router.post("/encumbrances", response={201: EncumbranceDetailOut, **c.ERRORS}, summary="支出負担行為の起案")
def encumbrance_create(request: HttpRequest, payload: EncumbranceIn) -> Status[dict[str, Any]]:
    """Draft an encumbrance on a line allotted to the caller's section; over budget is refused with the figures."""
    enc = services.encumbrance_draft(
        actor=user_of(request),
        title=payload.title,
        line=c.line(payload.line_id),
        creditor=c.creditor(payload.creditor_id),
        amount=payload.amount,
        contract_method=payload.contract_method,
        negotiated_ground=payload.negotiated_ground,
        contract_kind=payload.contract_kind,
        unit_price=payload.unit_price,
        contract_number=payload.contract_number,
        contract_date=payload.contract_date,
        deadline=payload.deadline,
        body=payload.body,
    )
    return Status(201, encumbrance_detail_out(c.visible_encumbrance(request, enc.pk)))


@router.patch(
    "/encumbrances/{int:encumbrance_id}", response={200: EncumbranceDetailOut, **c.ERRORS}, summary="支出負担行為の修正"
)
def encumbrance_update(request: HttpRequest, encumbrance_id: Id, payload: EncumbranceUpdateIn) -> dict[str, Any]:
    """Change the fields sent of a draft (起案中・差戻し); a new amount meets the hard stop again."""
    changes = payload.dict(exclude_unset=True)
    if "creditor_id" in changes:
        changes["creditor"] = c.creditor(changes.pop("creditor_id"))
    enc = c.visible_encumbrance(request, encumbrance_id)
    services.encumbrance_update(actor=user_of(request), encumbrance=enc, **changes)
    return encumbrance_detail_out(c.visible_encumbrance(request, encumbrance_id))


@router.post(
    "/encumbrances/{int:encumbrance_id}/amend",
    response={200: EncumbranceDetailOut, **c.ERRORS},
    summary="支出負担行為の減額",
)
def encumbrance_amend(request: HttpRequest, encumbrance_id: Id, payload: AmendIn) -> dict[str, Any]:
    """Decrease a decided encumbrance's amount (減額) with the reason, not below what is ordered.

    An increase is refused (400): draft a 変更契約 (``POST /encumbrances/{id}/changes``) instead.
    """
    enc = c.visible_encumbrance(request, encumbrance_id)
    services.encumbrance_amend(actor=user_of(request), encumbrance=enc, amount=payload.amount, reason=payload.reason)
    return encumbrance_detail_out(c.visible_encumbrance(request, encumbrance_id))


@router.post(
    "/encumbrances/{int:encumbrance_id}/cancel",
    response={200: EncumbranceDetailOut, **c.ERRORS},
    summary="支出負担行為の取消",
)
def encumbrance_cancel(request: HttpRequest, encumbrance_id: Id, payload: CancelIn) -> dict[str, Any]:
    """Cancel a decided encumbrance with the reason; its amount returns to the balance."""
    enc = c.visible_encumbrance(request, encumbrance_id)
    services.encumbrance_cancel(actor=user_of(request), encumbrance=enc, reason=payload.reason)
    return encumbrance_detail_out(c.visible_encumbrance(request, encumbrance_id))


@router.post(
    "/encumbrances/{int:encumbrance_id}/changes",
    response={201: ChangeOut, **c.ERRORS},
    summary="変更契約（支出負担行為の変更）の起案",
)
def encumbrance_change_create(request: HttpRequest, encumbrance_id: Id, payload: ChangeIn) -> Status[dict[str, Any]]:
    """Draft a 変更契約 of a decided encumbrance of the caller's section to a new total (増額・減額).

    Routed by the new total through the documents API (``links``); an increase over the budget
    (法232条の3), a decrease below what is ordered, or a 少額随意契約 above its limit is refused (400).
    """
    enc = c.visible_encumbrance(request, encumbrance_id)
    change = services.encumbrance_change_draft(
        actor=user_of(request),
        encumbrance=enc,
        new_amount=payload.new_amount,
        reason=payload.reason,
        title=payload.title,
        new_deadline=payload.new_deadline,
        change_date=payload.change_date,
        body=payload.body,
    )
    return Status(201, change_out(EncumbranceChange.objects.select_related("document").get(pk=change.pk)))
