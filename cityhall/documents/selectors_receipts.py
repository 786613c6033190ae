"""Reads of received documents (収受) and personal saved routes (マイルート), for a user, filtered in SQL.

A received document is seen by the staff of the section that received it (収受した課), by the
superiors it was circulated to (供覧先, who may sit in the 部 above) and by document managers
(文書主管); for anyone else it is missing. Its files follow the remote-access policy: a receipt
marked 個人情報あり (every online application) is personal data (``receipt_files_mode``).
A saved route is seen by its owner only.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.core.remote_policy import DataClass, Mode, remote_mode_of
from cityhall.documents.models import Receipt, ReceiptReader, SavedRoute
from cityhall.documents.rules import section_of
from cityhall.org import selectors as org
from cityhall.org.models import Assignment, OrgUnit, Role
from cityhall.signing.seal import Stamp

RECEIPT_NOT_FOUND = "収受文書が見つかりません。"
SAVED_ROUTE_NOT_FOUND = "マイルートが見つかりません。"


def _today(on: dt.date | None = None) -> dt.date:
    """The day a read is made for (default: today, local time)."""
    return on if on is not None else timezone.localdate()


def _is_document_manager(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user is a document manager (文書主管) on the day."""
    return org.has_role(user, Role.DOCUMENT_MANAGER, on=on)


def _authenticated(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk is not None and user.is_active


def receipts_for(
    user: User,
    *,
    fiscal_year: int | None = None,
    section: OrgUnit | None = None,
    on: dt.date | None = None,
    to_read: bool = False,
) -> QuerySet[Receipt]:
    """Received documents the user may see (収受簿), newest first, with their 供覧 counts.

    Their section's, those circulated to them (供覧先), or all for a document manager;
    ``to_read`` keeps those still waiting for the user's 閲.
    """
    if not _authenticated(user):
        return Receipt.objects.none()
    day = _today(on)
    mine = ReceiptReader.objects.filter(receipt=OuterRef("pk"), reader=user)
    qs = Receipt.objects.select_related("section", "registered_by", "answered_by")
    if not _is_document_manager(user, on=day):
        own = section_of(user, on=day)
        qs = qs.filter(Q(section=own) | Exists(mine)) if own is not None else qs.filter(Exists(mine))
    if to_read:  # what can still be marked seen: not ended, not cancelled (as the menu's count)
        qs = qs.filter(Exists(mine.filter(seen_at__isnull=True)), disposition="", cancelled_at__isnull=True)
    if section is not None:
        qs = qs.filter(section=section)
    if fiscal_year is not None:
        qs = qs.filter(received_on__gte=dt.date(fiscal_year, 4, 1), received_on__lte=dt.date(fiscal_year + 1, 3, 31))
    qs = qs.annotate(
        readers_total=Count("readers", distinct=True),
        readers_seen=Count("readers", filter=Q(readers__seen_at__isnull=False), distinct=True),
    )
    return qs.order_by("-received_on", "-pk")


def receipt_for(user: User, pk: int, *, on: dt.date | None = None) -> Receipt:
    """One received document the user may see; "missing" and "forbidden" raise the same ``PermissionDenied``."""
    receipt = receipts_for(user, on=on).filter(pk=pk).first()
    if receipt is None:
        raise PermissionDenied(RECEIPT_NOT_FOUND)
    return receipt


def receipt_readers(receipt: Receipt) -> list[ReceiptReader]:
    """The superiors a received document is circulated to (供覧先), in order, with when each marked it seen (閲)."""
    return list(receipt.readers.select_related("reader", "requested_by").order_by("position", "pk"))


def reader_stamp(row: ReceiptReader) -> Stamp | None:
    """The reader's red date stamp 「閲」 once they have seen the receipt (on its page and sheet); None before."""
    if row.seen_at is None:
        return None
    person = row.reader
    surname = person.last_name or person.get_username()
    return Stamp(surname=surname, date=timezone.localtime(row.seen_at).date(), action="閲")


def may_act_on_receipt(user: User, receipt: Receipt, *, on: dt.date | None = None) -> bool:
    """Whether the user belongs to the section that received the document (it files, circulates and answers it)
    and the document has neither ended (廃棄・移管済) nor been cancelled (取消): nothing more is done to those."""
    if receipt.disposition or receipt.cancelled_at is not None:
        return False
    own = section_of(user, on=_today(on))
    return own is not None and own.pk == receipt.section_id


def to_read_count(user: User) -> int:
    """Received documents circulated to the user still waiting for their 閲 (閲覧待ち): the menu's badge."""
    if not _authenticated(user):
        return 0
    waiting = ReceiptReader.objects.filter(reader=user, seen_at__isnull=True, receipt__disposition="")
    return waiting.filter(receipt__cancelled_at__isnull=True).count()


def may_close_receipt(receipt: Receipt) -> bool:
    """Whether the receipt may be closed on its own (完結): not answered, not closed, its 供覧 over or never begun.

    Who may is ``may_act_on_receipt``; ``services.receipt_close`` checks both again.
    """
    if receipt.disposition or receipt.cancelled_at is not None:
        return False
    if receipt.closed_on is not None or receipt.answered_by_id is not None:
        return False
    return receipt.circulated_at is None or receipt.circulation_done_at is not None


def circulation_candidates(user: User, *, on: dt.date | None = None) -> list[Assignment]:
    """The superiors the user may circulate a received document to (供覧先の候補), lowest post first.

    The user's chain of command (係長 → 課長 → 部長 → 副市長 → 市長) and anyone of a higher
    managerial post in the user's own section (a 課長補佐), each once.
    """
    day = _today(on)
    own = org.primary_assignment(user, on=day)
    section = section_of(user, on=day)
    if own is None or section is None:
        return []
    found = {a.user_id: a for a in org.chain_of_command(user, on=day)}
    above = (
        Assignment.objects.on(day)
        .filter(Q(unit=section) | Q(unit__parent=section), is_primary=True, post__is_managerial=True)
        .filter(post__rank__gt=own.post.rank)
        .exclude(user=user)
        .select_related("user", "unit", "post")
    )
    for assignment in above:
        found.setdefault(assignment.user_id, assignment)
    people = [a for a in found.values() if a.user.is_active]
    return sorted(people, key=lambda a: (a.post.rank, a.unit.code))


def receipt_files_mode(user: User, receipt: Receipt) -> Mode:
    """How ``user`` may have the receipt's files from where the request comes (個人情報 as the policy says)."""
    classes = [DataClass.ATTACHMENT, *([DataClass.PERSONAL] if receipt.has_personal_info else [])]
    return remote_mode_of(user, classes)


def saved_routes_for(user: User) -> QuerySet[SavedRoute]:
    """The user's own saved routes (マイルート) with their approvers and consulted sections, by name."""
    if not _authenticated(user):
        return SavedRoute.objects.none()
    return SavedRoute.objects.filter(owner=user).prefetch_related("reviewers", "consult_units").order_by("name", "pk")


def saved_route_for(user: User, pk: int) -> SavedRoute:
    """One of the user's saved routes; someone else's raises ``PermissionDenied`` like a missing one."""
    route = saved_routes_for(user).filter(pk=pk).first()
    if route is None:
        raise PermissionDenied(SAVED_ROUTE_NOT_FOUND)
    return route
