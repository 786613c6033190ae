"""The inbox (受信箱): buckets, counts and post-review tasks (後閲)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.http import Id, Page, PageSize
from cityhall.documents import services
from cityhall.documents.api import _common as c
from cityhall.documents.api.schemas import DocumentPage, InboxCountsOut, PostReviewDoneOut, PostReviewIn, PostReviewOut
from cityhall.documents.models import PostReview
from cityhall.documents.selectors import Bucket, inbox, inbox_counts, open_post_reviews

router = Router(tags=["受信箱"])


@router.get("/inbox/counts", response=InboxCountsOut, summary="受信箱の件数")
def inbox_count_list(request: HttpRequest) -> dict[str, int]:
    """How many documents each bucket holds, and how many wait for the caller (処理待ち + 後閲)."""
    counts = inbox_counts(user_of(request))
    return {**counts.__dict__, "waiting": counts.waiting}


@router.get("/inbox/{bucket}", response={200: DocumentPage, **c.ERRORS}, summary="受信箱")
def inbox_list(request: HttpRequest, bucket: Bucket, page: Page = 1, page_size: PageSize = 20) -> dict[str, Any]:
    """One bucket: 処理待ち (pending), 回議中 (in_progress), 差戻し (sent_back), 完了 (done), 後閲 (post_review)."""
    return c.paged(inbox(user_of(request), bucket), page, page_size)


@router.get("/post-reviews", response=list[PostReviewOut], summary="後閲待ちの一覧")
def post_review_list(request: HttpRequest) -> list[PostReview]:
    """The caller's post-review tasks not yet done (後閲待ち)."""
    return list(open_post_reviews(user_of(request)))


@router.post(
    "/post-reviews/{int:review_id}/complete", response={200: PostReviewDoneOut, **c.ERRORS}, summary="後閲済にする"
)
def post_review_complete(request: HttpRequest, review_id: Id, payload: PostReviewIn) -> PostReview:
    """Complete one of the caller's post-reviews (後閲済), once."""
    review = PostReview.objects.filter(pk=review_id, reviewer=user_of(request)).first()
    if review is None:
        raise PermissionDenied("この後閲を処理する権限がありません。")
    return services.post_review_complete(actor=user_of(request), review=review, comment=payload.comment)
