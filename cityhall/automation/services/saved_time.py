"""The hours an import saved, on the city's ledger (``cityhall.savings``): one row per section and form.

Called in the import's (or the recurring month's) transaction once its rows are stored: the
accepted invoices that became orders are counted by the order's section and the invoice's form,
with the minutes a manual slip of that form would have taken (``ImportedInvoice.minutes_saved``).
"""

from __future__ import annotations

from django.db.models import Count, Sum

from cityhall.accounts.models import User
from cityhall.automation.models import ImportedInvoice, InvoiceImport
from cityhall.org.models import OrgUnit
from cityhall.savings.services import saved_time_record

KIND_PREFIX = "automation."


def import_saved_time(actor: User, run: InvoiceImport) -> None:
    """Record what ``run`` saved, by the orders' sections and the invoices' forms."""
    groups = (
        ImportedInvoice.objects.filter(invoice_import=run, order__isnull=False)
        .values("order__section", "kind")
        .annotate(count=Count("pk"), minutes=Sum("minutes_saved"))
        .order_by("order__section", "kind")
    )
    sections = OrgUnit.objects.in_bulk([g["order__section"] for g in groups])
    for group in groups:
        saved_time_record(
            actor=actor,
            section=sections[group["order__section"]],
            kind=KIND_PREFIX + group["kind"],
            count=group["count"],
            minutes=int(group["minutes"] or 0),
            obj=run,
        )
