"""Lifecycle (施行・完結) and records management (保存期間の延長・補正・紙決裁)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status

from cityhall.accounts.requests import user_of
from cityhall.core.http import Id
from cityhall.documents import services
from cityhall.documents.api import _common as c
from cityhall.documents.api.schemas import (
    CloseIn,
    DocumentOut,
    FormalAdditionIn,
    FormalAdditionOut,
    IssueIn,
    PaperDecisionIn,
    RetentionExtensionOut,
    RetentionIn,
)
from cityhall.documents.models import Document, FormalAddition, RetentionExtension
from cityhall.documents.selectors_records import additions_of, extensions_of

router = Router(tags=["施行・完結"])


@router.post("/{int:document_id}/issue", response={200: DocumentOut, **c.ERRORS}, summary="施行")
def issue(request: HttpRequest, document_id: Id, payload: IssueIn) -> Document:
    """Record the issue date of a decided document (施行日), today by default."""
    document = c.visible(request, document_id)
    return services.issue(
        actor=user_of(request),
        document=document,
        expected_version=payload.expected_version,
        issued_on=payload.issued_on,
    )


@router.post("/{int:document_id}/close", response={200: DocumentOut, **c.ERRORS}, summary="完結")
def close(request: HttpRequest, document_id: Id, payload: CloseIn) -> Document:
    """Close the matter (完結): closing date and retention expiry (保存期間満了日)."""
    document = c.visible(request, document_id)
    return services.close(
        actor=user_of(request),
        document=document,
        expected_version=payload.expected_version,
        closed_on=payload.closed_on,
    )


@router.post(
    "/{int:document_id}/retention-extension", response={200: DocumentOut, **c.ERRORS}, summary="保存期間の延長"
)
def retention_extend(request: HttpRequest, document_id: Id, payload: RetentionIn) -> Document:
    """Extend the retention period with a reason (document manager only)."""
    document = c.visible(request, document_id)
    services.retention_extend(
        actor=user_of(request),
        document=document,
        expected_version=payload.expected_version,
        new_years=payload.new_years,
        reason=payload.reason,
    )
    return c.visible(request, document_id)


@router.post("/{int:document_id}/formal-additions", response={200: DocumentOut, **c.ERRORS}, summary="原議の補正")
def formal_addition(request: HttpRequest, document_id: Id, payload: FormalAdditionIn) -> Document:
    """A formal addition to a decided record, logged before and after (document manager only)."""
    document = c.visible(request, document_id)
    services.formal_addition(
        actor=user_of(request),
        document=document,
        expected_version=payload.expected_version,
        field=payload.field,
        value=payload.value,
        reason=payload.reason,
    )
    return c.visible(request, document_id)


@router.get(
    "/{int:document_id}/retention-extensions",
    response={200: list[RetentionExtensionOut], **c.ERRORS},
    summary="保存期間の延長の記録",
)
def retention_extension_list(request: HttpRequest, document_id: Id) -> QuerySet[RetentionExtension]:
    """The record's retention extensions, newest first, for whoever sees the record."""
    return extensions_of(c.visible(request, document_id))


@router.get(
    "/{int:document_id}/formal-additions",
    response={200: list[FormalAdditionOut], **c.ERRORS},
    summary="原議の補正の記録",
)
def formal_addition_list(request: HttpRequest, document_id: Id) -> QuerySet[FormalAddition]:
    """The record's formal additions with before and after, newest first, for whoever sees the record."""
    return additions_of(c.visible(request, document_id))


@router.post("/paper-decisions", response={201: DocumentOut, **c.ERRORS}, summary="紙決裁の登録")
def paper_decision_register(request: HttpRequest, payload: PaperDecisionIn) -> Status[Document]:
    """Register a decision made on paper with the reason, so the register stays complete."""
    data = payload.dict(exclude={"matter_kind_id", "file_plan_class_id", "decided_by_id"})
    with c.payload_fields():
        document = services.paper_decision_register(
            actor=user_of(request),
            matter_kind=c.matter_kind(payload.matter_kind_id),
            file_plan_class=c.file_plan_class(payload.file_plan_class_id),
            decided_by=c.users([payload.decided_by_id], "decided_by_id")[0],
            **data,
        )
    return Status(201, document)
