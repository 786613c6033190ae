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
from cityhall.documents.models import Receipt, ReceiptChannel, ReceiptReader, SavedRoute
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
    if to_read:  # the menu's count, row by row
        qs = qs.filter(Exists(_unseen_by(user).filter(receipt=OuterRef("pk"))))
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


def _unseen_by(user: User) -> QuerySet[ReceiptReader]:
    """The user's 供覧 rows still waiting for their 閲, of receipts that can still be marked seen."""
    return ReceiptReader.objects.filter(
        reader=user, seen_at__isnull=True, receipt__disposition="", receipt__cancelled_at__isnull=True
    )


def to_read_count(user: User) -> int:
    """Received documents circulated to the user still waiting for their 閲 (閲覧待ち): the menu's badge."""
    if not _authenticated(user):
        return 0
    return _unseen_by(user).count()


ALREADY_CLOSED = "この収受文書は既に完結しています。"
ANSWERED = "回答文書を起案した収受文書は、回答文書とともに保存されます（完結の登録は不要です）。"
STILL_CIRCULATING = "供覧が終わっていません（閲覧していない供覧先がいます）。全員の閲の後に完結してください。"


def close_refusal(receipt: Receipt) -> str:
    """Why the receipt cannot be closed on its own (完結) now, or "" (who may is ``may_act_on_receipt``).

    The page offers the form when this is ""; ``services.receipt_close`` raises it under its lock.
    """
    if receipt.closed_on is not None:
        return ALREADY_CLOSED
    if receipt.answered_by_id is not None:
        return ANSWERED
    if receipt.circulated_at is not None and receipt.circulation_done_at is None:
        return STILL_CIRCULATING
    return ""


def cancel_refusal(receipt: Receipt) -> str:
    """Why a receipt can no longer be cancelled (取消), or "": someone has acted on it, or it came online."""
    if receipt.channel == ReceiptChannel.ONLINE:
        return "オンライン申請の収受は取り消せません（申請番号で同じ申請の二重の取込を防いでいます）。"
    if receipt.circulated_at is not None:
        return "供覧を始めた収受文書は取り消せません（供覧先が閲覧しています）。"
    if receipt.answered_by_id is not None:
        return "回答を起案した収受文書は取り消せません。"
    if receipt.closed_on is not None:
        return "完結した収受文書は取り消せません。"
    return ""


def _open(receipt: Receipt) -> bool:
    return not receipt.disposition and receipt.cancelled_at is None


def may_close_receipt(receipt: Receipt) -> bool:
    """Whether the page offers 完結: the receipt is neither ended nor cancelled and nothing refuses it."""
    return _open(receipt) and not close_refusal(receipt)


def may_cancel_receipt(receipt: Receipt) -> bool:
    """Whether the page offers 取消: the receipt is neither ended nor cancelled and nothing refuses it."""
    return _open(receipt) and not cancel_refusal(receipt)


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
