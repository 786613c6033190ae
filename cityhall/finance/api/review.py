"""The accounting manager's review (会計管理者審査): the queue, the checks, approve and return."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from cityhall.accounts.requests import user_of
from cityhall.finance.api import _common as c
from cityhall.finance.api._common import PageQuery
from cityhall.finance.api.payment_orders import order_detail_out, order_out
from cityhall.finance.api.schemas.payment_orders import OrderDetailOut, OrderOut, OrderPage
from cityhall.finance.api.schemas.review import ReturnIn, ReviewCheckOut
from cityhall.finance.models import ReviewStatus
from cityhall.finance.selectors import review as review_selectors
from cityhall.finance.selectors.payment_orders import payment_order_detail
from cityhall.finance.services.review import (
    order_review_approve,
    order_review_return,
    order_review_return_approved,
)

router = Router(tags=["会計管理者審査・支払データ"])


@router.get("/review/queue", response={200: OrderPage, **c.ERRORS}, summary="審査待ちの支出命令")
def review_queue(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    """Decided orders waiting for review, oldest payment date first (会計管理者 only; empty for others)."""
    page = c.paged(review_selectors.review_queue(user_of(request)), filters.page, filters.page_size)
    page["items"] = [order_out(order) for order in page["items"]]
    return page


@router.get("/review/deadlines", response={200: list[OrderOut], **c.ERRORS}, summary="支払期限の近い・過ぎた支出命令")
def review_deadlines(request: HttpRequest) -> list[dict[str, Any]]:
    """Orders waiting for review whose legal payment deadline (支払遅延防止法§6) is within 7 days or past,
    or whose payment date is after it; nearest deadline first (会計管理者 only; empty for others)."""
    return [order_out(order) for order, _ in review_selectors.orders_near_deadline(user_of(request))]


@router.get(
    "/payment-orders/{int:order_id}/review-checks", response={200: list[ReviewCheckOut], **c.ERRORS}, summary="審査項目"
)
def review_checks(request: HttpRequest, order_id: int) -> list[Any]:
    """The checks the law names (適法性・予算・債務確定・支払日) with their results, then the warnings.

    振込先 is listed (and fails) only when a transfer line cannot be written to the 全銀
    file. A warning (送信期限: the sending day of the payment date has passed) passes
    (``ok`` true) and does not block the approval; its ``detail`` says what to check.
    """
    order = payment_order_detail(user_of(request), order_id)
    return [*review_selectors.review_checks(order), *review_selectors.review_warnings(order)]


@router.post(
    "/payment-orders/{int:order_id}/review-approve", response={200: OrderDetailOut, **c.ERRORS}, summary="審査（承認）"
)
def review_approve(request: HttpRequest, order_id: int) -> dict[str, Any]:
    """Approve a decided order after the checks pass; it joins its payment date's batch (会計管理者)."""
    user = user_of(request)
    order_review_approve(actor=user, order=payment_order_detail(user, order_id))
    return order_detail_out(payment_order_detail(user, order_id))


@router.post("/payment-orders/{int:order_id}/review-return", response={200: OrderDetailOut, **c.ERRORS}, summary="返付")
def review_return(request: HttpRequest, order_id: int, payload: ReturnIn) -> dict[str, Any]:
    """Return a decided order to its drafter with the reason; its budget is released (会計管理者).

    An order awaiting review (審査待ち) and an approved one (審査済) whose payment batch
    is still open (作成中: not exported, not paid) are returned alike; the approved
    order leaves its batch, and a batch left without orders is deleted. Once the
    batch is exported or paid the return is refused with 409.
    """
    user = user_of(request)
    order = payment_order_detail(user, order_id)
    back = order_review_return_approved if order.review_status == ReviewStatus.APPROVED else order_review_return
    back(actor=user, order=order, reason=payload.reason)
    return order_detail_out(payment_order_detail(user, order_id))
