"""Route actions (回議・決裁の操作): each endpoint calls the service the screen calls, with the version seen."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.http import Id
from cityhall.documents import services
from cityhall.documents.api import _common as c
from cityhall.documents.api.schemas import (
    BulkApproveIn,
    BulkResultOut,
    CommentActionIn,
    CommentIn,
    CommentOut,
    DocumentOut,
    ReasonIn,
    SendBackIn,
    SubmitIn,
    VersionIn,
    WithdrawIn,
)
from cityhall.documents.models import Document, DocumentComment, SavedRoute
from cityhall.documents.services import BulkResult

router = Router(tags=["回議・決裁"])
OUT = {200: DocumentOut, **c.ERRORS}


def _saved_route(request: HttpRequest, pk: int | None) -> SavedRoute | None:
    if pk is None:
        return None
    route = SavedRoute.objects.filter(pk=pk, owner=user_of(request)).first()
    if route is None:
        raise PermissionDenied("マイルートが見つかりません。")
    return route


@router.post("/{int:document_id}/submit", response=OUT, summary="回議開始")
def submit(request: HttpRequest, document_id: Id, payload: SubmitIn) -> Document:
    """Start the route planned from the delegation rules, with the drafter's additions (回議開始)."""
    return services.submit(
        actor=user_of(request),
        document=c.visible(request, document_id),
        expected_version=payload.expected_version,
        extra_reviewers=c.users(payload.extra_reviewer_ids, "extra_reviewer_ids"),
        consult_units=c.units(payload.consult_unit_ids, "consult_unit_ids"),
        saved_route=_saved_route(request, payload.saved_route_id),
    )


@router.post("/{int:document_id}/resubmit", response=OUT, summary="再回議")
def resubmit(request: HttpRequest, document_id: Id, payload: SubmitIn) -> Document:
    """Resubmit a sent-back draft; the route is planned again as of today (再回議)."""
    return services.resubmit(
        actor=user_of(request),
        document=c.visible(request, document_id),
        expected_version=payload.expected_version,
        extra_reviewers=c.users(payload.extra_reviewer_ids, "extra_reviewer_ids"),
        consult_units=c.units(payload.consult_unit_ids, "consult_unit_ids"),
    )


@router.post("/{int:document_id}/approve", response=OUT, summary="承認・決裁（代決を含む）")
def approve(request: HttpRequest, document_id: Id, payload: CommentActionIn) -> Document:
    """Approve a 回議 step or decide; the designated proxy of an absent decider decides as 代決 (後閲 follows)."""
    document = c.visible(request, document_id)
    return services.approve(
        actor=user_of(request), document=document, expected_version=payload.expected_version, comment=payload.comment
    )


@router.post("/{int:document_id}/agree", response=OUT, summary="合議: 合意")
def agree(request: HttpRequest, document_id: Id, payload: CommentActionIn) -> Document:
    """Agree as a consulted section (合意)."""
    document = c.visible(request, document_id)
    return services.agree(
        actor=user_of(request), document=document, expected_version=payload.expected_version, comment=payload.comment
    )


@router.post("/{int:document_id}/object", response=OUT, summary="合議: 異議")
def object_to(request: HttpRequest, document_id: Id, payload: ReasonIn) -> Document:
    """Object as a consulted section, with the reason (異議)."""
    document = c.visible(request, document_id)
    return services.object_to(
        actor=user_of(request), document=document, expected_version=payload.expected_version, comment=payload.comment
    )


@router.post("/{int:document_id}/send-back", response=OUT, summary="差戻し（差戻し先の選択）")
def send_back(request: HttpRequest, document_id: Id, payload: SendBackIn) -> Document:
    """Send the draft back with a reason (差戻し): to the drafter, or to an earlier approver (target_step_id)."""
    document = c.visible(request, document_id)
    return services.send_back(
        actor=user_of(request),
        document=document,
        expected_version=payload.expected_version,
        comment=payload.comment,
        to=payload.target_step_id,
    )


@router.post("/{int:document_id}/reject", response=OUT, summary="却下")
def reject(request: HttpRequest, document_id: Id, payload: ReasonIn) -> Document:
    """Reject the draft with a reason (却下)."""
    document = c.visible(request, document_id)
    return services.reject(
        actor=user_of(request), document=document, expected_version=payload.expected_version, comment=payload.comment
    )


@router.post("/{int:document_id}/pull-back", response=OUT, summary="引戻し")
def pull_back(request: HttpRequest, document_id: Id, payload: VersionIn) -> Document:
    """Pull back the draft or one's own approval while the next approver has not acted (引戻し)."""
    document = c.visible(request, document_id)
    return services.pull_back(actor=user_of(request), document=document, expected_version=payload.expected_version)


@router.post("/{int:document_id}/withdraw", response=OUT, summary="取下げ")
def withdraw(request: HttpRequest, document_id: Id, payload: WithdrawIn) -> Document:
    """Withdraw the draft for good, before decision (取下げ)."""
    document = c.visible(request, document_id)
    return services.withdraw(
        actor=user_of(request), document=document, expected_version=payload.expected_version, reason=payload.reason
    )


@router.post("/{int:document_id}/skip-absent", response=OUT, summary="不在者を後閲に回す")
def skip_absent(request: HttpRequest, document_id: Id, payload: VersionIn) -> Document:
    """Skip an absent intermediate approver into post-review so the route goes on (後閲)."""
    document = c.visible(request, document_id)
    return services.skip_absent(actor=user_of(request), document=document, expected_version=payload.expected_version)


@router.post("/{int:document_id}/comments", response={201: CommentOut, **c.ERRORS}, summary="コメント")
def comment_add(request: HttpRequest, document_id: Id, payload: CommentIn) -> Status[DocumentComment]:
    """Comment on a document as its drafter, a route member or a document manager."""
    document = c.visible(request, document_id)
    return Status(201, services.comment_add(actor=user_of(request), document=document, body=payload.body))


@router.post("/bulk-approve", response={200: list[BulkResultOut], **c.ERRORS}, summary="一括承認")
def bulk_approve(request: HttpRequest, payload: BulkApproveIn) -> list[BulkResult]:
    """Approve the selected items, each in its own transaction, with a result per item (一括承認)."""
    items = [(item.document_id, item.expected_version) for item in payload.items]
    return services.bulk_approve(actor=user_of(request), items=items, comment=payload.comment)
