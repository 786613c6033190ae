"""Reads of documents (文書の参照), always for a user and filtered in SQL.

Confidential documents (秘) are visible only to their route members (and
post-reviewers), their section (課) and document managers (文書主管);
others see them as missing. Inbox buckets (受信箱) take a constant number of
queries whatever the amount of data: list querysets use ``select_related``
and the counts are one query each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.documents.models import (
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    Document,
    DocumentStatus,
    PostReview,
    RouteStep,
    StepKind,
    StepState,
)
from cityhall.documents.rules import is_proxy_of, may_decide_as_proxy, may_skip, section_of
from cityhall.documents.services._common import NOT_FOUND_MESSAGE, is_document_manager, today
from cityhall.org import selectors as org
from cityhall.org.models import Absence, Assignment


class Bucket(StrEnum):
    """Inbox buckets (受信箱の区分)."""

    PENDING = "pending"  # 処理待ち
    IN_PROGRESS = "in_progress"  # 回議中 (my drafts)
    SENT_BACK = "sent_back"  # 差戻し
    DONE = "done"  # 完了
    POST_REVIEW = "post_review"  # 後閲


BUCKET_LABELS = {
    Bucket.PENDING: "処理待ち",
    Bucket.IN_PROGRESS: "回議中",
    Bucket.SENT_BACK: "差戻し",
    Bucket.DONE: "完了",
    Bucket.POST_REVIEW: "後閲",
}


@dataclass(frozen=True)
class InboxCounts:
    """Counts of each inbox bucket, for the header and the tabs."""

    pending: int
    in_progress: int
    sent_back: int
    done: int
    post_review: int

    @property
    def waiting(self) -> int:
        """Items that need the user's action (処理待ち + 後閲)."""
        return self.pending + self.post_review


def _authenticated(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk is not None and user.is_active


def visible_documents(user: User, *, on: dt.date | None = None) -> QuerySet[Document]:
    """Documents the user may see (閲覧可能な文書), permission-filtered in SQL."""
    if not _authenticated(user):
        return Document.objects.none()
    day = today(on)
    base = Document.objects.select_related("section", "drafter", "matter_kind", "file_plan_class")
    if is_document_manager(user, on=day):
        return base
    member = Exists(RouteStep.objects.filter(document=OuterRef("pk"), assignee=user)) | Exists(
        PostReview.objects.filter(document=OuterRef("pk"), reviewer=user)
    )
    allowed = Q(is_confidential=False) | Q(drafter=user) | member
    section = section_of(user, on=day)
    if section is not None:
        allowed |= Q(section=section)
    return base.filter(allowed)


def document_for(user: User, pk: int, *, on: dt.date | None = None) -> Document:
    """One document the user may see; "missing" and "forbidden" raise the same ``PermissionDenied``."""
    document = visible_documents(user, on=on).filter(pk=pk).first()
    if document is None:
        raise PermissionDenied(NOT_FOUND_MESSAGE)
    return document


@dataclass(frozen=True)
class SearchFilters:
    """Filters of the document search (検索条件); None means "any"."""

    section_id: int | None = None
    file_plan_class_id: int | None = None
    fiscal_year: int | None = None
    status: str | None = None
    drafted_from: dt.date | None = None
    drafted_to: dt.date | None = None


def search_documents(
    user: User, query: str = "", filters: SearchFilters | None = None, *, on: dt.date | None = None
) -> QuerySet[Document]:
    """Full-text search over title, body and attachment text, permission-filtered in the same query (文書検索)."""
    from cityhall.documents.indexing import SEARCH_KIND
    from cityhall.search.selectors import filter_by_search

    qs = visible_documents(user, on=on)
    f = filters or SearchFilters()
    exact = {
        "section_id": f.section_id,
        "file_plan_class_id": f.file_plan_class_id,
        "fiscal_year": f.fiscal_year,
        "status": f.status,
        "drafted_on__gte": f.drafted_from,
        "drafted_on__lte": f.drafted_to,
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v is not None})
    if query.strip():
        qs = filter_by_search(qs, query, SEARCH_KIND)
    return qs.order_by("-drafted_on", "-pk")


def route_steps(document: Document, *, round: int | None = None) -> QuerySet[RouteStep]:
    """The route of a document (回議ルート), all rounds or one, with people and posts."""
    qs = RouteStep.objects.filter(document=document).select_related("assignee", "acted_by", "unit", "post")
    if round is not None:
        qs = qs.filter(round=round)
    return qs.order_by("round", "order")


def proxied_principals(user: User, *, on: dt.date | None = None) -> list[int]:
    """Ids of absent staff whose decisions the user may make as proxy on the day (代決の対象)."""
    day = today(on)
    if not _authenticated(user):
        return []
    candidates = Q(proxy=user)
    own = org.primary_assignment(user, on=day)
    if own is not None and own.post.is_managerial:
        above = Assignment.objects.on(day).filter(unit_id=own.unit_id, post__rank__gt=own.post.rank)
        candidates |= Q(user_id__in=above.values("user_id"))
    absent = Absence.objects.filter(candidates, starts_on__lte=day, ends_on__gte=day).select_related("user")
    return [a.user_id for a in absent if is_proxy_of(user, a.user, on=day)]


def _pending_steps(user: User, day: dt.date) -> QuerySet[RouteStep]:
    principals = proxied_principals(user, on=day)
    mine = Q(assignee=user)
    if principals:
        mine |= Q(kind=StepKind.DECIDE, assignee_id__in=principals, document__is_important=False)
    return RouteStep.objects.filter(mine, state=StepState.PENDING)


def inbox(user: User, bucket: Bucket | str, *, on: dt.date | None = None) -> QuerySet[Document]:
    """Documents in one inbox bucket of the user (受信箱), newest first."""
    if not _authenticated(user):
        return Document.objects.none()
    day = today(on)
    bucket = Bucket(bucket)
    base = Document.objects.select_related("section", "drafter", "matter_kind")
    if bucket == Bucket.PENDING:
        steps = _pending_steps(user, day).filter(document=OuterRef("pk"), round=OuterRef("current_round"))
        return base.filter(Exists(steps), status=DocumentStatus.CIRCULATING).order_by("submitted_at", "pk")
    if bucket == Bucket.IN_PROGRESS:
        return base.filter(drafter=user, status__in=[DocumentStatus.DRAFT, DocumentStatus.CIRCULATING]).order_by(
            "-updated_at", "-pk"
        )
    if bucket == Bucket.SENT_BACK:
        return base.filter(drafter=user, status=DocumentStatus.SENT_BACK).order_by("-updated_at", "-pk")
    if bucket == Bucket.POST_REVIEW:
        reviews = PostReview.objects.filter(document=OuterRef("pk"), reviewer=user, done_at__isnull=True)
        return base.filter(Exists(reviews)).order_by("-decided_at", "-pk")
    acted = RouteStep.objects.filter(document=OuterRef("pk"), acted_by=user)
    finished = [*DECIDED_STATUSES, DocumentStatus.REJECTED]
    return base.filter(Q(drafter=user) | Exists(acted), status__in=finished).order_by("-decided_at", "-pk")


def inbox_counts(user: User, *, on: dt.date | None = None) -> InboxCounts:
    """How many documents each inbox bucket holds (件数)."""
    day = today(on)
    return InboxCounts(**{bucket.value: inbox(user, bucket, on=day).count() for bucket in Bucket})


def waiting_count(user: User) -> int:
    """Items waiting for the user today (処理待ち + 後閲), for the header."""
    if not _authenticated(user):
        return 0
    day = today()
    return inbox(user, Bucket.PENDING, on=day).count() + inbox(user, Bucket.POST_REVIEW, on=day).count()


def open_post_reviews(user: User) -> QuerySet[PostReview]:
    """The user's post-review tasks not yet done (後閲待ち)."""
    return (
        PostReview.objects.filter(reviewer=user, done_at__isnull=True)
        .select_related("document", "step", "step__acted_by")
        .order_by("created_at", "pk")
    )


def available_actions(user: User, document: Document, *, on: dt.date | None = None) -> frozenset[str]:
    """Which actions the user may take on the document now (buttons to show); services re-check all of this."""
    if not _authenticated(user):
        return frozenset()
    day = today(on)
    actions: set[str] = set()
    manager = is_document_manager(user, on=day)
    is_drafter = document.drafter_id == user.pk
    status = document.status
    if is_drafter and status in EDITABLE_STATUSES:
        actions |= {"edit", "attach", "submit", "withdraw"}
        if status == DocumentStatus.SENT_BACK:
            actions.add("resubmit")
    if status in DECIDED_STATUSES and (is_drafter or manager):
        actions.add("attach")
        if status == DocumentStatus.DECIDED:
            actions.add("close")
            if document.issued_on is None:
                actions.add("issue")
    if status in DECIDED_STATUSES and manager:
        actions.add("formal_addition")
    if manager:
        actions.add("extend_retention")
    steps = list(route_steps(document, round=document.current_round)) if document.current_round else []
    if status == DocumentStatus.CIRCULATING:
        actions |= _circulating_actions(user, document, steps, is_drafter, day)
    members = {s.assignee_id for s in RouteStep.objects.filter(document=document)}
    if is_drafter or manager or user.pk in members:
        actions.add("comment")
    return frozenset(actions)


def _circulating_actions(
    user: User, document: Document, steps: list[RouteStep], is_drafter: bool, day: dt.date
) -> set[str]:
    actions: set[str] = set()
    if is_drafter:
        actions.add("withdraw")
    pending = [s for s in steps if s.state == StepState.PENDING]
    done = [s for s in steps if s.acted_at is not None]
    if is_drafter and not done:
        actions.add("pull_back")
    for step in pending:
        if step.assignee_id == user.pk:
            actions |= {"agree", "object"} if step.kind == StepKind.CONSULT else {"approve", "send_back", "reject"}
        elif may_decide_as_proxy(step, document, user, on=day):
            actions |= {"approve", "decide_proxy", "send_back", "reject"}
    mine = [s for s in steps if s.acted_by_id == user.pk and s.state == StepState.APPROVED]
    if mine:
        last = mine[-1]
        if not any(s.acted_at is not None for s in steps if s.stage >= last.stage and s is not last):
            actions.add("pull_back")
    if pending:
        stage = pending[0].stage
        next_ids = {s.assignee_id for s in steps if s.stage == stage + 1}
        if (is_drafter or user.pk in next_ids) and any(may_skip(s, document, on=day) for s in pending):
            actions.add("skip_absent")
    return actions
