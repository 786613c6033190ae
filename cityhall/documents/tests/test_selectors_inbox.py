"""Inbox buckets (受信箱) against a plain reference query, on random documents walked through the services."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.documents import services
from cityhall.documents.models import (
    DECIDED_STATUSES,
    Document,
    DocumentStatus,
    PostReview,
    RouteStep,
    StepKind,
    StepState,
)
from cityhall.documents.selectors import (
    DONE_COUNT_CAP,
    Bucket,
    inbox,
    inbox_counts,
    proxied_principals,
    remember_counts,
    waiting_count,
)
from cityhall.testing.city import absent
from cityhall.testing.plugin import database

# On PostgreSQL too: the inbox's SQL against a reference query on random data.
pytestmark = database

PEOPLE = ["drafter", "drafter2", "shunin", "kakaricho", "kacho", "hosa", "bucho", "zaisei_kacho", "docmgr", "outsider"]


def reference(user: User, bucket: Bucket) -> QuerySet[Document]:
    """The bucket written the plain way: every document checked with a correlated EXISTS."""
    day = timezone.localdate()
    if bucket == Bucket.PENDING:
        principals = proxied_principals(user, on=day)
        mine = Q(assignee=user)
        if principals:
            mine |= Q(kind=StepKind.DECIDE, assignee_id__in=principals, document__is_important=False)
        steps = RouteStep.objects.filter(mine, state=StepState.PENDING).filter(
            document=OuterRef("pk"), round=OuterRef("current_round")
        )
        return Document.objects.filter(Exists(steps), status=DocumentStatus.CIRCULATING).order_by("submitted_at", "pk")
    if bucket == Bucket.IN_PROGRESS:
        in_progress = [DocumentStatus.DRAFT, DocumentStatus.CIRCULATING]
        return Document.objects.filter(drafter=user, status__in=in_progress).order_by("-updated_at", "-pk")
    if bucket == Bucket.SENT_BACK:
        return Document.objects.filter(drafter=user, status=DocumentStatus.SENT_BACK).order_by("-updated_at", "-pk")
    if bucket == Bucket.POST_REVIEW:
        reviews = PostReview.objects.filter(document=OuterRef("pk"), reviewer=user, done_at__isnull=True)
        return Document.objects.filter(Exists(reviews)).order_by("-decided_at", "-pk")
    acted = RouteStep.objects.filter(document=OuterRef("pk"), acted_by=user)
    finished = [*DECIDED_STATUSES, DocumentStatus.REJECTED]
    return Document.objects.filter(Q(drafter=user) | Exists(acted), status__in=finished).order_by("-decided_at", "-pk")


def _try(action, **kw) -> None:
    # most attempts are not this user's turn or not allowed in this state: the walk goes on
    with contextlib.suppress(ApplicationError):
        action(**kw)


def _walk(city, submitted, draft, rng: random.Random, steps: int) -> Iterator[int]:
    """Random documents pushed through random actions by random people; yields every 20 actions to compare."""
    drafters = [city.drafter, city.drafter2, city.shunin]
    actors = [city.kakaricho, city.kacho, city.hosa, city.bucho, city.zaisei_kacho]
    docs: list[Document] = []
    for i in range(12):
        by = rng.choice(drafters)
        kw = {"is_important": rng.random() < 0.3, "title": f"文書{i}"}
        if rng.random() < 0.2:
            docs.append(draft(by=by, **kw))
        else:
            consult = [city.units.zaisei] if rng.random() < 0.3 else []
            docs.append(submitted(by=by, consult_units=consult, **kw))
    for n in range(steps):
        if n % 20 == 0:
            yield n
        if n == steps // 2 and not proxied_principals(city.hosa):
            absent(city.kacho, proxy=city.hosa)
        doc = Document.objects.get(pk=rng.choice(docs).pk)
        pending = list(doc.steps.filter(state=StepState.PENDING, round=doc.current_round).select_related("assignee"))
        actor = rng.choice(actors)
        if pending and rng.random() < 0.8:  # mostly someone whose turn it is (or the 課長補佐 as proxy)
            actor = rng.choice([rng.choice(pending).assignee, city.hosa])
        choice = rng.random()
        common = {"document": doc, "expected_version": doc.version}
        if choice < 0.45:
            _try(services.approve, actor=actor, **common)
        elif choice < 0.55:
            _try(services.agree, actor=actor, **common)
        elif choice < 0.65:
            _try(services.send_back, actor=actor, comment="再考を", **common)
        elif choice < 0.7:
            _try(services.reject, actor=actor, comment="不可", **common)
        elif choice < 0.8:
            _try(services.resubmit, actor=doc.drafter, **common)
        elif choice < 0.85:
            _try(services.submit, actor=doc.drafter, **common)
        elif choice < 0.9:
            _try(services.withdraw, actor=doc.drafter, **common)
        else:
            review = PostReview.objects.filter(done_at__isnull=True).order_by("pk").first()
            if review is not None:
                _try(services.post_review_complete, actor=review.reviewer, review=review)


def test_buckets_equal_the_reference_query_on_random_data(city, submitted, draft):
    seen: set[Bucket] = set()
    for seed in _walk(city, submitted, draft, random.Random(7), steps=200):
        for name in PEOPLE:
            user = getattr(city, name)
            counts = inbox_counts(user)
            for bucket in Bucket:
                got = list(inbox(user, bucket).values_list("pk", flat=True))
                want = list(reference(user, bucket).values_list("pk", flat=True))
                assert got == want, (seed, name, bucket)
                assert getattr(counts, bucket.value) == len(want), (seed, name, bucket)
                if want:
                    seen.add(bucket)
            assert not counts.done_capped
            waiting = reference(user, Bucket.PENDING).count() + reference(user, Bucket.POST_REVIEW).count()
            assert waiting_count(user) == counts.waiting == waiting
    # the walk reached every bucket, so the comparison meant something
    assert seen == set(Bucket)


def test_done_count_stops_at_the_cap(city, submitted, client):
    doc = submitted()
    services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc.refresh_from_db()
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    doc.refresh_from_db()
    assert inbox_counts(city.kacho).done == 1
    # copies of the decided document, written directly: the cap is about volume, not the workflow
    fields = {f.attname: getattr(doc, f.attname) for f in Document._meta.concrete_fields if f.attname != "id"}
    Document.objects.bulk_create(
        Document(**{**fields, "drafter_id": city.kacho.pk, "number": 1000 + i}) for i in range(DONE_COUNT_CAP + 5)
    )
    counts = inbox_counts(city.kacho)
    assert (counts.done, counts.done_capped) == (DONE_COUNT_CAP, True)
    assert inbox(city.kacho, Bucket.DONE).count() == DONE_COUNT_CAP + 6
    client.force_login(city.kacho)
    html = client.get(reverse("documents:inbox") + "?tab=done").content.decode()
    assert "1,000件以上" in html


def test_header_reuses_the_counts_of_the_inbox_page(city, submitted):
    submitted()
    counts = inbox_counts(city.kakaricho)
    assert counts.pending == 1
    with CaptureQueriesContext(connection) as ctx:
        assert waiting_count(city.kakaricho) == 1
    assert len(ctx.captured_queries) > 0
    remember_counts(city.kakaricho, counts)
    with CaptureQueriesContext(connection) as ctx:
        assert waiting_count(city.kakaricho) == 1
    assert len(ctx.captured_queries) == 0
