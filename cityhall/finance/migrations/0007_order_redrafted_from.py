"""起案し直し: a payment order records the returned order it drafts again (one live copy each)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0006_budget_line_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentorder",
            name="redrafted_from",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="redrafts",
                to="finance.paymentorder",
                verbose_name="起案し直した元の支出命令",
            ),
        ),
    ]
