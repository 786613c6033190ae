"""Reads of the imports (取込の参照): who sees which import, and the hours the imports saved.

An import is seen by the person who made it and by the 会計 role (the accounting office follows
every section's imports); the hours saved are the minutes recorded on each invoice that became a
payment order, by month of the import, section of the order and form of the invoice. A switch-over
import is seen by those whose role imports its kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.automation.models import ImportedInvoice, InvoiceImport, InvoiceKind, SwitchoverImport
from cityhall.automation.switchover import KINDS, SwitchoverKind
from cityhall.core.errors import ApplicationError
from cityhall.core.japanese import fiscal_year_end, fiscal_year_start
from cityhall.org.models import Role
from cityhall.org.selectors import has_role


def sees_all(user: User) -> bool:
    """The accounting office sees every import."""
    return has_role(user, Role.ACCOUNTING, on=timezone.localdate())


def imports_for(user: User) -> QuerySet[InvoiceImport]:
    """The imports ``user`` may open, newest first (filtered in SQL)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return InvoiceImport.objects.none()
    rows = InvoiceImport.objects.select_related("created_by")
    return rows if sees_all(user) else rows.filter(created_by=user)


@dataclass(frozen=True)
class SavedRow:
    """Hours saved in one month for one section and form of invoice."""

    month: dt.date
    section: str
    kind: str
    orders: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def hours_saved(user: User, fiscal_year: int) -> list[SavedRow]:
    """The minutes saved by the imports ``user`` may see in the year, by month, section and form."""
    start, end = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    rows = (
        ImportedInvoice.objects.filter(
            invoice_import__in=imports_for(user),
            order__isnull=False,
            invoice_import__created_at__date__range=(start, end),
        )
        .annotate(month=TruncMonth("invoice_import__created_at"))
        .values("month", "order__section__name", "kind")
        .annotate(orders=Count("pk"), minutes=Sum("minutes_saved"))
        .order_by("month", "order__section__name", "kind")
    )
    labels = dict(InvoiceKind.choices)
    return [
        SavedRow(
            month=r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"],
            section=r["order__section__name"] or "",
            kind=str(labels.get(r["kind"], r["kind"])),
            orders=r["orders"],
            minutes=int(r["minutes"] or 0),
        )
        for r in rows
    ]


def switchover_kinds_for(user: User) -> list[SwitchoverKind]:
    """The switch-over kinds ``user`` may import (each kind's own role: 会計, 文書主管)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return []
    allowed = []
    for kind in KINDS.values():
        try:
            kind.authorize(user)
        except ApplicationError:
            continue
        allowed.append(kind)
    return allowed


def switchover_runs_for(user: User) -> QuerySet[SwitchoverImport]:
    """The switch-over imports ``user`` may open: those of the kinds their role imports, newest first."""
    codes = [kind.code for kind in switchover_kinds_for(user)]
    return SwitchoverImport.objects.filter(kind__in=codes).select_related("created_by")
