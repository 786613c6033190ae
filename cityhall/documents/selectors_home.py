"""Reads for the home page (ホーム): what waits for the user, their drafts, the section's replies due, disposal due.

Each read takes the user and filters in SQL, like the inbox it mirrors: the rows
are the inbox's own buckets (``selectors.inbox``), so the home page, the inbox
tabs and the header count the same documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet

from cityhall.accounts.models import User
from cityhall.core.japanese import fiscal_year, fiscal_year_end
from cityhall.documents.document_types import DISPOSAL_LIST_TYPE
from cityhall.documents.models import (
    Document,
    DocumentStatus,
    Receipt,
)
from cityhall.documents.rules import section_of
from cityhall.documents.selectors import Bucket, inbox
from cityhall.documents.selectors_receipts import receipts_for
from cityhall.documents.services._common import is_document_manager, today
from cityhall.documents.services.disposal import disposal_candidates, receipt_candidates


def my_drafts(user: User) -> QuerySet[Document]:
    """The user's drafts not yet circulating (起案中) and those sent back to them (差戻し), sent back first."""
    rows = Document.objects.filter(drafter=user, status__in=[DocumentStatus.DRAFT, DocumentStatus.SENT_BACK])
    return rows.select_related("section").order_by("-status", "-updated_at", "-pk")  # sent_back > draft


def replies_due(user: User, *, on: dt.date | None = None) -> QuerySet[Receipt]:
    """Received documents of the user's section that need a reply not yet drafted (回答期限), earliest first."""
    rows = receipts_for(user, on=on).filter(reply_needed=True, answered_by__isnull=True)
    # A receipt closed without an answer (the answer went by telephone), ended or cancelled is not due.
    rows = rows.filter(closed_on__isnull=True, cancelled_at__isnull=True, disposition="")
    # The section answers: a document manager (who sees the whole city's) or a superior it was
    # circulated to (供覧先, perhaps in the 部 above) sees their own section's only.
    own = section_of(user, on=today(on))
    rows = rows.filter(section=own) if own is not None else rows.none()
    return rows.order_by("reply_deadline", "received_on", "pk")


@dataclass(frozen=True)
class DisposalDue:
    """A section with closed records whose retention ends by this fiscal year's end, not yet on a list."""

    section: str
    count: int
    earliest: dt.date


def disposal_due(user: User, *, on: dt.date | None = None) -> list[DisposalDue]:
    """For the 文書主管: sections with records (and receipts closed on their own) due for disposal or transfer
    this fiscal year (廃棄・移管の対象), as the lists would take them (``services.disposal``)."""
    day = today(on)
    if not is_document_manager(user, on=day):
        return []
    due_by = fiscal_year_end(fiscal_year(day))
    by_section: dict[tuple[str, str], tuple[int, dt.date]] = {}
    for rows in (disposal_candidates(None, due_by), receipt_candidates(None, due_by)):
        counted = (
            rows.order_by()
            .values("section__code", "section__name")
            .annotate(count=Count("pk"), earliest=Min("expires_on"))
        )
        for row in counted:
            key = (row["section__code"], row["section__name"])
            count, earliest = by_section.get(key, (0, row["earliest"]))
            by_section[key] = (count + row["count"], min(earliest, row["earliest"]))
    return [DisposalDue(name, count, earliest) for (_code, name), (count, earliest) in sorted(by_section.items())]


def open_disposal_lists(user: User, *, on: dt.date | None = None) -> QuerySet[Document]:
    """For the 文書主管: disposal lists drafted or circulating (回議中の廃棄・移管リスト)."""
    if not is_document_manager(user, on=today(on)):
        return Document.objects.none()
    statuses = [DocumentStatus.DRAFT, DocumentStatus.CIRCULATING, DocumentStatus.SENT_BACK]
    return Document.objects.filter(doc_type=DISPOSAL_LIST_TYPE, status__in=statuses).order_by("submitted_at", "pk")


def waiting(user: User) -> QuerySet[Document]:
    """Documents waiting for the user's action (処理待ち), oldest first, as the inbox tab lists them."""
    return inbox(user, Bucket.PENDING)


def post_reviews(user: User) -> QuerySet[Document]:
    """Documents decided by a proxy for the user to review afterwards (後閲), as the inbox tab lists them."""
    return inbox(user, Bucket.POST_REVIEW)
