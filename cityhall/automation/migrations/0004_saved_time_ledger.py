"""Imports made before the ledger (削減時間の台帳) existed are entered in it, by import, section and form."""

from django.db import migrations
from django.db.models import Count, Sum


def forward(apps, schema_editor):
    ImportedInvoice = apps.get_model("automation", "ImportedInvoice")
    SavedTime = apps.get_model("savings", "SavedTime")
    groups = (
        ImportedInvoice.objects.filter(order__isnull=False)
        .values("invoice_import", "invoice_import__created_at", "invoice_import__created_by", "order__section", "kind")
        .annotate(count=Count("pk"), minutes=Sum("minutes_saved"))
        .order_by("invoice_import", "order__section", "kind")
    )
    SavedTime.objects.bulk_create(
        SavedTime(
            section_id=g["order__section"],
            occurred_at=g["invoice_import__created_at"],
            kind=f"automation.{g['kind']}",
            count=g["count"],
            minutes=g["minutes"] or 0,
            object_type="automation.invoiceimport",
            object_id=str(g["invoice_import"]),
            created_by_id=g["invoice_import__created_by"],
        )
        for g in groups
    )


class Migration(migrations.Migration):
    dependencies = [("automation", "0003_switchover_imports"), ("savings", "0001_saved_time")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
