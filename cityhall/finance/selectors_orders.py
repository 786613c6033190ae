"""Read-side of payment orders (支出命令の参照): the orders a user may see, one order, totals per tax rate."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet, Sum

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.documents.rules import section_of
from cityhall.finance.models import PaymentOrder
from cityhall.finance.services._common import today
from cityhall.org import selectors as org
from cityhall.org.models import Role

NOT_FOUND = "支出命令が見つかりません。"

# Roles that see every section's orders: 会計 (財政・会計担当) and 会計管理者 (審査・支払).
CITYWIDE_ROLES = (Role.ACCOUNTING, Role.TREASURER)


def _sees_all(user: User, day: dt.date) -> bool:
    roles = org.roles_of(user, on=day)
    return any(role in roles for role in CITYWIDE_ROLES)


def payment_orders_for(user: User, *, on: dt.date | None = None) -> QuerySet[PaymentOrder]:
    """Payment orders the user may see (支出命令の一覧): their section's, or all for 会計 and 会計管理者.

    The section filter is part of the SQL, so a page of the list reads only visible rows.
    """
    day = today(on)
    rows = PaymentOrder.objects.select_related(
        "document", "line", "section", "encumbrance", "batch", "reviewed_by"
    ).order_by("-document__drafted_on", "-pk")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if _sees_all(user, day):
        return rows
    section = section_of(user, on=day)
    if section is None:
        return rows.none()
    return rows.filter(section=section)


def payment_order_detail(user: User, pk: int, *, on: dt.date | None = None) -> PaymentOrder:
    """One payment order with its lines (支出命令の詳細); ``PermissionDenied`` when the user may not see it."""
    order = (
        payment_orders_for(user, on=on)
        .select_related("document__drafter", "document__matter_kind", "allotment")
        .prefetch_related("lines__creditor", "lines__bank_account")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise PermissionDenied(NOT_FOUND)
    return order


def order_totals_by_rate(order: PaymentOrder) -> list[tuple[int, int, int]]:
    """Amounts and tax per consumption tax rate (税率ごとの合計), highest rate first: (rate, amount, tax).

    The figures an invoice shows per rate (適格請求書の税率ごとの区分).
    """
    rows = order.lines.values("tax_rate").annotate(amount=Sum("amount"), tax=Sum("tax_amount")).order_by("-tax_rate")
    return [(int(r["tax_rate"]), int(r["amount"]), int(r["tax"])) for r in rows]


__all__ = ["order_totals_by_rate", "payment_order_detail", "payment_orders_for"]
