"""Reads of received documents (収受) and personal saved routes (マイルート), for a user, filtered in SQL.

A received document is seen by the staff of the section that received it
(収受した課) and by document managers (文書主管); for anyone else it is missing.
A saved route is seen by its owner only.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.documents.models import Receipt, SavedRoute
from cityhall.documents.rules import section_of
from cityhall.documents.services._common import is_document_manager, today
from cityhall.org.models import OrgUnit

RECEIPT_NOT_FOUND = "収受文書が見つかりません。"
SAVED_ROUTE_NOT_FOUND = "マイルートが見つかりません。"


def _authenticated(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk is not None and user.is_active


def receipts_for(
    user: User, *, fiscal_year: int | None = None, section: OrgUnit | None = None, on: dt.date | None = None
) -> QuerySet[Receipt]:
    """Received documents the user may see (収受簿): their section's, or all for a document manager; newest first."""
    if not _authenticated(user):
        return Receipt.objects.none()
    day = today(on)
    qs = Receipt.objects.select_related("section", "registered_by", "answered_by")
    if not is_document_manager(user, on=day):
        own = section_of(user, on=day)
        if own is None:
            return Receipt.objects.none()
        qs = qs.filter(section=own)
    if section is not None:
        qs = qs.filter(section=section)
    if fiscal_year is not None:
        qs = qs.filter(received_on__gte=dt.date(fiscal_year, 4, 1), received_on__lte=dt.date(fiscal_year + 1, 3, 31))
    return qs.order_by("-received_on", "-pk")


def receipt_for(user: User, pk: int, *, on: dt.date | None = None) -> Receipt:
    """One received document the user may see; "missing" and "forbidden" raise the same ``PermissionDenied``."""
    receipt = receipts_for(user, on=on).filter(pk=pk).first()
    if receipt is None:
        raise PermissionDenied(RECEIPT_NOT_FOUND)
    return receipt


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
