"""Movements of budget between lines (予算の移動): 流用, 予備費充用 and 繰越, drafted as typed documents.

Each is submitted and decided through the documents API (``links``); the source
line's unallotted amount is held from submission, as on the screens.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ValidationFailed
from cityhall.finance import services
from cityhall.finance.api import _common as c
from cityhall.finance.api.schemas.movements import CarryOverIn, ReserveUseIn, TransferIn, TransferOut
from cityhall.finance.models import BudgetTransfer, CarryAllowance, ContinuingExpense
from cityhall.finance.services.carry_overs import carry_over_draft
from cityhall.finance.services.movements import reserve_use_draft

router = Router(tags=["流用・予備費充用・繰越"])
OUT = {201: TransferOut, **c.ERRORS}


def transfer_out(transfer: BudgetTransfer) -> dict[str, Any]:
    """A drafted movement as the API shows it, with links to its document's route."""
    return {
        "id": transfer.pk,
        "kind": transfer.kind,
        "kind_label": transfer.get_kind_display(),
        "document_id": transfer.document_id,
        "source_line_id": transfer.source_id,
        "target_line_id": transfer.target_id,
        "amount": transfer.amount,
        "reason": transfer.reason,
        "allowance_id": transfer.allowance_id,
        "encumbrance_id": transfer.encumbrance_id,
        "continuing_id": transfer.continuing_id,
        "links": c.document_links(transfer.document_id),
    }


@router.post("/transfers", response=OUT, summary="流用の起案")
def transfer_create(request: HttpRequest, payload: TransferIn) -> Status[dict[str, Any]]:
    """Draft a transfer (流用) between 目/節 of one 項; the source's unallotted amount must cover it."""
    transfer = services.transfer_draft(
        actor=user_of(request),
        title=payload.title,
        source=c.line(payload.source_line_id, "source_line_id"),
        target=c.line(payload.target_line_id, "target_line_id"),
        amount=payload.amount,
        reason=payload.reason,
    )
    return Status(201, transfer_out(transfer))


@router.post("/reserve-uses", response=OUT, summary="予備費充用の起案")
def reserve_use_create(request: HttpRequest, payload: ReserveUseIn) -> Status[dict[str, Any]]:
    """Draft a reserve-fund use (予備費充用) from the 予備費 line to a line of the same account and year."""
    transfer = reserve_use_draft(
        actor=user_of(request),
        title=payload.title,
        source=c.line(payload.source_line_id, "source_line_id"),
        target=c.line(payload.target_line_id, "target_line_id"),
        amount=payload.amount,
        reason=payload.reason,
    )
    return Status(201, transfer_out(transfer))


@router.post("/carry-overs", response=OUT, summary="繰越（繰越明許・事故繰越・継続費逓次繰越）の起案")
def carry_over_create(request: HttpRequest, payload: CarryOverIn) -> Status[dict[str, Any]]:
    """Draft a carry-over into the same heading of the next year; that year's line is made when missing.

    繰越明許 names its 繰越明許費, 事故繰越 the encumbrance it carries, 逓次繰越 its 継続費.
    """
    user = user_of(request)
    encumbrance = c.visible_encumbrance(request, payload.encumbrance_id) if payload.encumbrance_id else None
    transfer = carry_over_draft(
        actor=user,
        title=payload.title,
        source=c.line(payload.source_line_id, "source_line_id") if payload.source_line_id else None,
        kind=payload.kind,
        amount=payload.amount,
        reason=payload.reason,
        allowance=_found(CarryAllowance, payload.allowance_id, "繰越明許費", "allowance_id"),
        encumbrance=encumbrance,
        continuing=_found(ContinuingExpense, payload.continuing_id, "継続費", "continuing_id"),
    )
    return Status(201, transfer_out(transfer))


def _found(model: Any, pk: int | None, what: str, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(f"{what}が見つかりません。", field=field)
    return found
