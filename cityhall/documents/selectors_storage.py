"""Reads of the storerooms, boxes and loans of paper records (書庫・文書保存箱・借覧), filtered in SQL.

The 文書主管 sees every box and loan. Anyone else sees the boxes of their own section (課) and the
loans of their section's records or lent to them. A box or loan outside that answers like a missing
one (``PermissionDenied``, 404).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db.models import Count, Q, QuerySet
from django.utils.translation import pgettext_lazy

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.documents.models import Document, RecordLoan, StorageBox, StoredRecord, Storeroom
from cityhall.documents.rules import section_of
from cityhall.documents.services._common import is_document_manager, today
from cityhall.org.models import Assignment

NOT_FOUND = "見つからないか、表示する権限がありません。"


class LoanState(StrEnum):
    """Which loans a list shows (借覧の一覧の区分)."""

    OPEN = "open"  # 貸出中
    OVERDUE = "overdue"  # 延滞
    RETURNED = "returned"  # 返却済


LOAN_STATE_LABELS = {
    LoanState.OPEN: pgettext_lazy("loans", "貸出中"),
    LoanState.OVERDUE: pgettext_lazy("loans", "返却期限切れ"),
    LoanState.RETURNED: pgettext_lazy("loans", "返却済"),
}


def _signed_in(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk is not None and user.is_active


def storerooms() -> QuerySet[Storeroom]:
    """Every storeroom (書庫) with its number of boxes; the storerooms are the city's, not a section's."""
    return Storeroom.objects.annotate(box_count=Count("boxes")).order_by("name")


def boxes_for(user: User, *, on: dt.date | None = None) -> QuerySet[StorageBox]:
    """The boxes the user sees (文書保存箱): all for the 文書主管, else their section's; with record counts."""
    if not _signed_in(user):
        return StorageBox.objects.none()
    day = today(on)
    qs = (
        StorageBox.objects.select_related("storeroom", "section")
        .annotate(record_count=Count("records"))
        .order_by("storeroom__name", "shelf", "label", "pk")
    )
    if is_document_manager(user, on=day):
        return qs
    section = section_of(user, on=day)
    return qs.filter(section=section) if section is not None else qs.none()


def box_for(user: User, pk: int, *, on: dt.date | None = None) -> StorageBox:
    """One box the user sees; missing and forbidden alike raise ``PermissionDenied``."""
    box = boxes_for(user, on=on).filter(pk=pk).first()
    if box is None:
        raise PermissionDenied(NOT_FOUND)
    return box


def box_records(box: StorageBox) -> QuerySet[Document]:
    """The records in a box (箱の中の文書), by fiscal year and number."""
    return (
        Document.objects.filter(storage__box=box)
        .select_related("section", "file_plan_class")
        .order_by("fiscal_year", "number", "sub_number")
    )


def boxes_for_record(user: User, document: Document, *, on: dt.date | None = None) -> QuerySet[StorageBox]:
    """The boxes a record may go in: its section's, among those the user sees."""
    return boxes_for(user, on=on).filter(section_id=document.section_id).order_by("storeroom__name", "shelf", "label")


def stored_in(document: Document) -> StoredRecord | None:
    """Where the record is kept (収納先の箱), if it was put in a box."""
    return StoredRecord.objects.select_related("box__storeroom", "placed_by").filter(document=document).first()


def record_loans(document: Document) -> QuerySet[RecordLoan]:
    """The record's loans (借覧の記録), open first, newest first."""
    return (
        RecordLoan.objects.filter(document=document)
        .select_related("borrower", "borrower_section", "lent_by", "returned_to")
        .order_by("-lent_on", "-pk")
    )


def _loans_seen(user: User, day: dt.date) -> QuerySet[RecordLoan]:
    qs = RecordLoan.objects.select_related("document__section", "borrower", "borrower_section", "lent_by")
    if is_document_manager(user, on=day):
        return qs
    section = section_of(user, on=day)
    mine = Q(borrower=user)
    return qs.filter(mine | Q(document__section=section)) if section is not None else qs.filter(mine)


def loans_for(user: User, state: LoanState = LoanState.OPEN, *, on: dt.date | None = None) -> QuerySet[RecordLoan]:
    """Loans the user sees, by state: 貸出中 (due first), 返却期限切れ (longest overdue first), 返却済 (newest)."""
    if not _signed_in(user):
        return RecordLoan.objects.none()
    day = today(on)
    qs = _loans_seen(user, day)
    if state == LoanState.RETURNED:
        return qs.filter(returned_on__isnull=False).order_by("-returned_on", "-pk")
    qs = qs.filter(returned_on__isnull=True)
    if state == LoanState.OVERDUE:
        qs = qs.filter(due_on__lt=day)
    return qs.order_by("due_on", "pk")


def loan_for(user: User, pk: int, *, on: dt.date | None = None) -> RecordLoan:
    """One loan the user sees; missing and forbidden alike raise ``PermissionDenied``."""
    loan = _loans_seen(user, today(on)).filter(pk=pk).first() if _signed_in(user) else None
    if loan is None:
        raise PermissionDenied(NOT_FOUND)
    return loan


def loans_to_mind(user: User, *, on: dt.date | None = None) -> QuerySet[RecordLoan]:
    """Open loans the user should act on (ホームの借覧): their own borrowings, and those of their scope past
    the due date; earliest due first."""
    if not _signed_in(user):
        return RecordLoan.objects.none()
    day = today(on)
    return (
        _loans_seen(user, day)
        .filter(returned_on__isnull=True)
        .filter(Q(borrower=user) | Q(due_on__lt=day))
        .order_by("due_on", "pk")
    )


def overdue_count(user: User, *, on: dt.date | None = None) -> int:
    """How many loans the user sees are past their due date (延滞): one query."""
    return loans_for(user, LoanState.OVERDUE, on=on).count()


def borrower_choices(*, on: dt.date | None = None) -> list[tuple[int, str]]:
    """Active staff with a main post today, as 「課 職 氏名」, by unit and rank (借受者の候補)."""
    day = today(on)
    rows = (
        Assignment.objects.on(day)
        .filter(is_primary=True, user__is_active=True)
        .select_related("user", "unit", "post")
        .order_by("unit__code", "-post__rank", "user__last_name", "user__pk")
    )
    return [(a.user_id, f"{a.unit.name} {a.post.name} {a.user.full_name}") for a in rows]
