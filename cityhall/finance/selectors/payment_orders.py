"""Read-side of payment orders (支出命令の参照): the orders a user may see, one order, totals per tax rate, redrafts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.documents.models import (
    DocumentStatus,
)
from cityhall.documents.rules import section_of
from cityhall.finance.models import (
    OrderRefund,
    OrderSettlement,
    PaymentOrder,
    ReviewStatus,
)
from cityhall.finance.selectors.visibility import rows_rule
from cityhall.org.models import Assignment

NOT_FOUND = "支出命令が見つかりません。"


def payment_orders_for(user: User, *, on: dt.date | None = None) -> QuerySet[PaymentOrder]:
    """Payment orders the user may see (支出命令の一覧): those of the sections they see (``visible_sections``)
    and those whose document they take part in (``visibility.rows_rule``).

    Their section's; those of the 課 under their 部 for a 部長 (who decides the larger orders);
    all for 会計, 会計管理者 and the executive. The section filter is part of the SQL, so a page of
    the list reads only visible rows.
    """
    day = on or timezone.localdate()
    rows = PaymentOrder.objects.select_related(
        "document", "line__setsu", "section", "encumbrance", "batch", "reviewed_by", "inspector"
    ).order_by("-document__drafted_on", "-pk")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    return rows.filter(rows_rule(user, day))


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


def may_redraft(actor: User, order: PaymentOrder, *, on: dt.date | None = None) -> bool:
    """Whether ``actor`` may draft the returned ``order`` again: it is returned and they belong to its 課 today.

    Drafting charges the drafter's section (as ``payment_order_draft`` does), so a drafter who has
    moved would charge another section's budget; the order's own section drafts it again.
    """
    if order.review_status != ReviewStatus.RETURNED or live_redraft(order) is not None:
        return False
    section = section_of(actor, on=on or timezone.localdate())
    return section is not None and section.pk == order.section_id


def live_redraft(order: PaymentOrder) -> PaymentOrder | None:
    """The copy of a returned order still on its way (not withdrawn, refused or itself returned), if any."""
    return (
        order.redrafts.exclude(document__status__in=(DocumentStatus.WITHDRAWN, DocumentStatus.REJECTED))
        .exclude(review_status=ReviewStatus.RETURNED)
        .select_related("document")
        .order_by("pk")
        .first()
    )


def inspector_candidates(user: User, *, on: dt.date | None = None) -> QuerySet[User]:
    """Who may be named 検査員 on the user's order: active staff of the user's section (課 and its 係), not the user.

    The service and the review also refuse the drafter of the encumbrance the order rests on.
    """
    day = on or timezone.localdate()
    section = section_of(user, on=day)
    if section is None:
        return User.objects.none()
    staff = Assignment.objects.on(day).filter(Q(unit=section) | Q(unit__parent=section)).values("user_id")
    people = User.objects.filter(pk__in=staff, is_active=True).exclude(pk=user.pk)
    return people.order_by("last_name", "first_name", "pk")


def order_after_payment(order: PaymentOrder) -> tuple[OrderSettlement | None, list[OrderRefund]]:
    """The order's settlement (精算) if any and its refunds (戻入), oldest first; the order is one the user sees."""
    settlement = OrderSettlement.objects.filter(order=order).first()
    return settlement, list(OrderRefund.objects.filter(order=order).order_by("refunded_on", "pk"))
