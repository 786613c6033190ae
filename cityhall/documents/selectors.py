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
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from cityhall.accounts.models import User
from cityhall.core.background import STALLED_AFTER
from cityhall.core.errors import PermissionDenied
from cityhall.documents.models import (
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    Disposition,
    Document,
    DocumentStatus,
    Medium,
    PostReview,
    RouteStep,
    StepKind,
    StepState,
)
from cityhall.documents.registry import registered_types
from cityhall.documents.rules import is_proxy_of, may_decide_as_proxy, may_skip, section_of, send_back_targets
from cityhall.documents.services._common import NOT_FOUND_MESSAGE, is_document_manager, today
from cityhall.org import selectors as org
from cityhall.org.models import Absence, Assignment
from cityhall.search.text import is_blank_query, query_terms


class Bucket(StrEnum):
    """Inbox buckets (受信箱の区分)."""

    PENDING = "pending"  # 処理待ち
    IN_PROGRESS = "in_progress"  # 回議中 (my drafts)
    SENT_BACK = "sent_back"  # 差戻し
    DONE = "done"  # 完了
    POST_REVIEW = "post_review"  # 後閲


BUCKET_LABELS = {
    Bucket.PENDING: pgettext_lazy("inbox tab", "処理待ち"),
    Bucket.IN_PROGRESS: pgettext_lazy("inbox tab", "回議中"),
    Bucket.SENT_BACK: pgettext_lazy("inbox tab", "差戻し"),
    Bucket.DONE: pgettext_lazy("inbox tab", "完了"),
    Bucket.POST_REVIEW: pgettext_lazy("inbox tab", "後閲"),
}


#: The 完了 count stops here; a busy official's history then shows 「1,000件以上」.
DONE_COUNT_CAP = 1000


@dataclass(frozen=True)
class InboxCounts:
    """Counts of each inbox bucket, for the header and the tabs (件数); 完了 stops at :data:`DONE_COUNT_CAP`."""

    pending: int
    in_progress: int
    sent_back: int
    done: int
    post_review: int
    done_capped: bool = False

    @property
    def waiting(self) -> int:
        """Items that need the user's action (処理待ち + 後閲)."""
        return self.pending + self.post_review


def _authenticated(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk is not None and user.is_active


def involved(user: User, *, on: dt.date | None = None, via: str = "") -> Q:
    """Documents the user takes part in (関与する文書): drafted, on the route (also as 代決者 of an absent
    assignee, or having acted), or to post-review; a ``Q`` over ``Document``, or over a row linked to
    one through the field ``via`` (``"document"``).

    Everyone who may act on a document must see it: typed documents add this to their own rule.
    """
    prefix = f"{via}__" if via else ""
    pk = OuterRef(f"{prefix}pk")
    people = [user.pk, *proxied_principals(user, on=on)]
    steps = RouteStep.objects.filter(Q(assignee_id__in=people) | Q(acted_by=user), document=pk)
    reviews = PostReview.objects.filter(document=pk, reviewer=user)
    return Q(**{f"{prefix}drafter": user}) | Exists(steps) | Exists(reviews)


def _plain_rule(user: User, day: dt.date) -> Q:
    """The documents rule (一般文書): open unless confidential (秘), then route, section and drafter only."""
    if is_document_manager(user, on=day):
        return Q()
    member = Exists(RouteStep.objects.filter(document=OuterRef("pk"), assignee=user)) | Exists(
        PostReview.objects.filter(document=OuterRef("pk"), reviewer=user)
    )
    allowed = Q(is_confidential=False) | Q(drafter=user) | member
    section = section_of(user, on=day)
    if section is not None:
        allowed |= Q(section=section)
    return allowed


def visibility_rule(user: User, *, on: dt.date | None = None, disposed: bool = False) -> Q:
    """Who sees what, as one ``Q`` over ``Document``: each typed document by its type's registered rule
    (``registry`` ``visibility``), every other document by the documents rule (閲覧の規則).

    A disposed record (廃棄済) is seen by nobody: its content is gone. ``disposed=True`` gives the same
    rule for those records only, for the register entry that remains (``selectors_disposal``).
    """
    gone = Q(disposition=Disposition.DISPOSED)
    return _visibility(user, today(on)) & (gone if disposed else ~gone)


def _visibility(user: User, day: dt.date) -> Q:
    by_rule: dict[Any, list[str]] = {}
    for entry in registered_types():
        if entry.visibility is not None:
            by_rule.setdefault(entry.visibility, []).append(entry.key)
    typed = [key for keys in by_rule.values() for key in keys]
    allowed = _plain_rule(user, day) & ~Q(doc_type__in=typed) if typed else _plain_rule(user, day)
    for rule, keys in by_rule.items():
        allowed |= Q(doc_type__in=keys) & rule(user, day)
    return allowed


def visible_documents(user: User, *, on: dt.date | None = None) -> QuerySet[Document]:
    """Documents the user may see (閲覧可能な文書), permission-filtered in SQL (:func:`visibility_rule`)."""
    if not _authenticated(user):
        return Document.objects.none()
    base = Document.objects.select_related("section", "drafter", "matter_kind", "file_plan_class")
    return base.filter(visibility_rule(user, on=on))


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


def _filtered(user: User, filters: SearchFilters | None, on: dt.date | None) -> QuerySet[Document]:
    """Visible documents narrowed by the register filters: the one rule both search paths use."""
    f = filters or SearchFilters()
    exact = {
        "section_id": f.section_id,
        "file_plan_class_id": f.file_plan_class_id,
        "fiscal_year": f.fiscal_year,
        "status": f.status,
        "drafted_on__gte": f.drafted_from,
        "drafted_on__lte": f.drafted_to,
    }
    return visible_documents(user, on=on).filter(**{k: v for k, v in exact.items() if v is not None})


def search_documents(
    user: User, query: str = "", filters: SearchFilters | None = None, *, on: dt.date | None = None
) -> QuerySet[Document]:
    """Full-text search over title, body and attachment text, permission-filtered in the same query (文書検索).

    Every match is computed before ordering; for a page on screen use :func:`search_page`.
    """
    from cityhall.documents.indexing import SEARCH_KIND
    from cityhall.search.selectors import filter_by_search

    qs = _filtered(user, filters, on)
    if not is_blank_query(query):
        qs = filter_by_search(qs, query, SEARCH_KIND)
    return qs.order_by("-drafted_on", "-pk")


#: Counting of keyword matches stops here; the page then says 「1,000件以上」.
SEARCH_COUNT_CAP = 1000


@dataclass(frozen=True)
class SearchPage:
    """One page of search results (検索結果の1ページ) and the count, exact or a lower bound.

    ``capped``: the count is a lower bound, not the total: counting stopped at
    :data:`SEARCH_COUNT_CAP` (「1,000件以上」) or, with ``many``, at the time
    budget (「多数」). ``incomplete``: the page query itself ran out of time,
    the items shown may be missing some.
    """

    items: list[Document]
    count: int
    capped: bool
    number: int
    page_size: int
    has_next: bool
    many: bool = False
    incomplete: bool = False

    @property
    def num_pages(self) -> int | None:
        """Pages in all, unknown (None) when the count is capped."""
        return None if self.capped else max(1, -(-self.count // self.page_size))


def _restriction(qs: QuerySet[Document]) -> tuple[str, list[Any]] | None:
    """The queryset's conditions as SQL on the index key ``e.key`` (correlated EXISTS), None if it is empty."""
    inner = qs.filter(pk=RawSQL("e.key", ())).order_by().values("id")
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"EXISTS ({sql})", list(params)


def _register_page(qs: QuerySet[Document], page: int, page_size: int) -> SearchPage:
    """Without a keyword: the register order and an exact count, each bounded in time like a search."""
    from cityhall.search.bounds import SearchTimedOut, time_bounded

    ordered = qs.order_by("-drafted_on", "-pk")
    many = False
    try:
        with time_bounded():
            count = ordered.count()
        page = min(page, max(1, -(-count // page_size)))
    except SearchTimedOut:
        count, many = 0, True
    start = (page - 1) * page_size
    try:
        with time_bounded():
            rows = list(ordered[start : start + page_size + 1])
    except SearchTimedOut:
        return SearchPage([], count, True, page, page_size, False, many=True, incomplete=True)
    if many:
        count = start + len(rows[:page_size])
    return SearchPage(rows[:page_size], count, many, page, page_size, len(rows) > page_size, many=many)


def search_page(
    user: User,
    query: str = "",
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    page_size: int = 20,
    on: dt.date | None = None,
) -> SearchPage:
    """One page of :func:`search_documents`' results, fast whatever the number of matches (文書検索).

    With a keyword the index is walked newest first (most recently registered
    first) and each candidate is checked against the same visibility rule and
    filters in SQL, so the page stops after ``page_size`` hits; the count stops
    at :data:`SEARCH_COUNT_CAP`. Without one, the register order and an exact count.
    Each query is bounded in time (``CITYHALL_SEARCH_TIME_BUDGET_MS``): a count
    that runs out of time is 「多数」 (``many``), a page that does is ``incomplete``.
    """
    from cityhall.documents.indexing import SEARCH_KIND
    from cityhall.search.bounds import SearchTimedOut
    from cityhall.search.selectors import count_matches, search_keys

    page, page_size = max(page, 1), max(page_size, 1)
    qs = _filtered(user, filters, on)
    if is_blank_query(query):
        return _register_page(qs, page, page_size)
    query_terms(query)  # a bad query is a ValidationFailed before anything runs
    restrict = _restriction(qs)
    if restrict is None:
        return SearchPage([], 0, False, 1, page_size, False)
    many = False
    try:
        found = count_matches(query, SEARCH_KIND, cap=SEARCH_COUNT_CAP + 1, restrict=restrict)
    except SearchTimedOut:
        found, many = 0, True
    capped = many or found > SEARCH_COUNT_CAP
    if not capped:
        page = min(page, max(1, -(-found // page_size)))
    offset = (page - 1) * page_size
    try:
        keys = search_keys(query, SEARCH_KIND, limit=page_size + 1, offset=offset, restrict=restrict)
    except SearchTimedOut:
        return SearchPage([], found, capped, page, page_size, False, many=many, incomplete=True)
    by_pk = qs.in_bulk(keys[:page_size])
    items = [by_pk[k] for k in keys[:page_size] if k in by_pk]
    # Timed out: what is known to exist (a lower bound); capped: the cap.
    count = offset + len(items) if many else SEARCH_COUNT_CAP if capped else found
    return SearchPage(items, count, capped, page, page_size, len(keys) > page_size, many=many)


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
    """Pending steps of the current round of circulating documents for the user or an absent principal.

    Driven by the (assignee, state) index: only the few pending steps of these
    people are read, never the documents one by one.
    """
    principals = proxied_principals(user, on=day)
    steps = RouteStep.objects.filter(
        state=StepState.PENDING,
        round=F("document__current_round"),
        document__status=DocumentStatus.CIRCULATING,
    )
    if not principals:
        return steps.filter(assignee=user)
    # As proxy (代決): deciding steps of matters that are not important, and never of one's own draft.
    as_proxy = Q(kind=StepKind.DECIDE, document__is_important=False) & ~Q(document__drafter=user)
    return steps.filter(Q(assignee=user) | as_proxy, assignee_id__in=[user.pk, *principals])


def _mine_or_acted(user: User) -> QuerySet[Document, Any]:
    """Ids of the user's drafts and of documents with a step they acted on, as one UNION.

    Read from the (drafter, status) and (acted_by, document) indexes; an ``OR``
    of the two would make the database walk the finished documents instead.
    """
    drafted = Document.objects.filter(drafter=user).order_by().values("pk")
    return drafted.union(RouteStep.objects.filter(acted_by=user).order_by().values("document_id"))


def _bucket_filter(user: User, bucket: Bucket, day: dt.date) -> QuerySet[Document]:
    """The documents of one bucket, unordered and without joins, each driven by an index of its own side."""
    docs = Document.objects.all()
    if bucket == Bucket.PENDING:
        return docs.filter(pk__in=_pending_steps(user, day).values("document_id"))
    if bucket == Bucket.IN_PROGRESS:
        return docs.filter(drafter=user, status__in=[DocumentStatus.DRAFT, DocumentStatus.CIRCULATING])
    if bucket == Bucket.SENT_BACK:
        return docs.filter(drafter=user, status=DocumentStatus.SENT_BACK)
    if bucket == Bucket.POST_REVIEW:
        reviews = PostReview.objects.filter(reviewer=user, done_at__isnull=True).values("document_id")
        return docs.filter(pk__in=reviews)
    finished = [*DECIDED_STATUSES, DocumentStatus.REJECTED]
    done = docs.filter(pk__in=_mine_or_acted(user), status__in=finished)
    return done.exclude(disposition=Disposition.DISPOSED)  # a disposed record is nobody's work any more


_ORDER = {
    Bucket.PENDING: ("submitted_at", "pk"),
    Bucket.IN_PROGRESS: ("-updated_at", "-pk"),
    Bucket.SENT_BACK: ("-updated_at", "-pk"),
    Bucket.POST_REVIEW: ("-decided_at", "-pk"),
    Bucket.DONE: ("-decided_at", "-pk"),
}


def inbox(user: User, bucket: Bucket | str, *, on: dt.date | None = None) -> QuerySet[Document]:
    """Documents in one inbox bucket of the user (受信箱), newest first (処理待ち: oldest first)."""
    if not _authenticated(user):
        return Document.objects.none()
    bucket = Bucket(bucket)
    qs = _bucket_filter(user, bucket, today(on))
    return qs.select_related("section", "drafter", "matter_kind").order_by(*_ORDER[bucket])


def _count_buckets(user: User, buckets: list[Bucket], day: dt.date) -> list[int]:
    """The buckets' counts in one query of scalar subqueries (the 完了 one limited to the cap plus one)."""
    parts: list[str] = []
    params: list[Any] = []
    for bucket in buckets:
        inner = _bucket_filter(user, bucket, day).order_by().values("pk")
        if bucket == Bucket.DONE:
            inner = inner[: DONE_COUNT_CAP + 1]
        sql, inner_params = inner.query.sql_with_params()
        # the SQL is the ORM's own, with placeholders; the alias is a fixed enum value
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) {bucket.value}_rows)")  # noqa: S608 - compiled by the ORM
        params.extend(inner_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(v) for v in row]


#: Attribute of the user object (one per request) holding the counts a view already computed.
_COUNTS_MEMO = "_documents_inbox_counts"


def inbox_counts(user: User, *, on: dt.date | None = None) -> InboxCounts:
    """How many documents each inbox bucket holds (件数), all in one query; 完了 capped at 1,000.

    Each count is a scalar subquery driven by the index of its bucket's side;
    the 完了 count stops after :data:`DONE_COUNT_CAP` documents (「1,000件以上」).
    """
    if not _authenticated(user):
        return InboxCounts(0, 0, 0, 0, 0)
    day = today(on)
    row = _count_buckets(user, list(Bucket), day)
    counts = dict(zip([b.value for b in Bucket], row, strict=True))
    capped = counts["done"] > DONE_COUNT_CAP
    counts["done"] = min(counts["done"], DONE_COUNT_CAP)
    return InboxCounts(**counts, done_capped=capped)


def remember_counts(user: User, counts: InboxCounts) -> None:
    """Keep counts computed for this request's page on its user, so the header does not count again."""
    setattr(user, _COUNTS_MEMO, (today(), counts))


def waiting_count(user: User) -> int:
    """Items waiting for the user today (処理待ち + 後閲), for the header; one query, or none after the inbox page."""
    if not _authenticated(user):
        return 0
    day = today()
    memo = getattr(user, _COUNTS_MEMO, None)
    if memo is not None and memo[0] == day:
        return int(memo[1].waiting)
    return sum(_count_buckets(user, [Bucket.PENDING, Bucket.POST_REVIEW], day))


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
    if status in DECIDED_STATUSES and manager and not document.disposition:
        actions |= {"formal_addition", "extend_retention"}
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
            if send_back_targets(steps, step):
                actions.add("send_back_to")  # 差戻し先の選択: back to an earlier approver, not only the drafter
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


def signing_late(document: Document, *, now: dt.datetime | None = None) -> bool:
    """Whether a decided document's signed sheet (署名済みPDF) is later than the worker should ever be.

    Never for a paper original (紙の原議): its decision was signed on paper, no sheet is made.
    """
    if not document.is_decided or document.signed_pdf or document.decided_at is None or document.medium == Medium.PAPER:
        return False
    return (now or timezone.now()) - document.decided_at > STALLED_AFTER
