"""Reads of the imports (取込の参照): who sees which import and original, and the hours the imports saved.

An import is seen by the person who made it and by the 会計 role (the accounting office follows
every section's imports); an accepted invoice's original also by whoever may see the payment order
it became (finance's rule: the section, the route, the 会計管理者 who reviews it), which is how the
order's page and the review queue link to it (``order_source_links``, registered with finance's
``order_sources``). The hours saved are the minutes recorded on each invoice that became a payment
order, by month of the import, section of the order and form of the invoice. A switch-over
import is seen by those whose role imports its kind.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.automation.models import ImportedInvoice, InvoiceImport, SwitchoverImport
from cityhall.automation.switchover import SwitchoverKind, all_kinds
from cityhall.core.errors import ApplicationError
from cityhall.finance.order_sources import SourceLink
from cityhall.finance.selectors.payment_orders import payment_orders_for
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


def originals_for(user: User) -> QuerySet[ImportedInvoice]:
    """The imported invoices whose stored original ``user`` may open (取込の原本): of the imports they see,
    or of the payment orders they see."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return ImportedInvoice.objects.none()
    seen = Q(invoice_import__in=imports_for(user)) | Q(order__in=payment_orders_for(user).values("pk"))
    return ImportedInvoice.objects.exclude(original="").filter(seen)


def order_source_links(user: User, order_ids: Sequence[int]) -> dict[int, list[SourceLink]]:
    """Per payment order, a link to the original of each invoice it was drafted from (根拠書類)."""
    rows = originals_for(user).filter(order_id__in=order_ids).order_by("order_id", "invoice_import_id", "position")
    found: dict[int, list[SourceLink]] = {}
    for pk, order_id, number, seller in rows.values_list("pk", "order_id", "invoice_number", "seller_name"):
        label = _("請求書 %(number)s（%(seller)s）の原本") % {"number": number, "seller": seller}
        found.setdefault(order_id, []).append(SourceLink(label, reverse("automation:original", args=[pk])))
    return found


def switchover_kinds_for(user: User) -> list[SwitchoverKind]:
    """The switch-over kinds ``user`` may import (each kind's own role: 会計, 文書主管)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return []
    allowed = []
    for kind in all_kinds().values():
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
