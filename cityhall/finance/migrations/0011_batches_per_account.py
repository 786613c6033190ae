"""Payment batches per 会計 and 年度; a paying account (支払口座) per 会計.

Existing batches get the 会計 and 年度 of their orders. An open batch whose orders span
several (会計, 年度) is split: its first group stays, each other group moves to a new open
batch of the same date. An exported or paid batch is history (its file went to the bank):
it keeps its orders and gets a 会計 and 年度 only when all its orders share them.
Accounts keep a blank paying account, which means the city-wide ``CITYHALL_ZENGIN`` setting,
so existing installs write the same headers as before until a 会計 is given its own.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _batch_per_account_and_year(apps, schema_editor):
    PaymentBatch = apps.get_model("finance", "PaymentBatch")
    PaymentOrder = apps.get_model("finance", "PaymentOrder")
    for batch in PaymentBatch.objects.order_by("pk"):
        orders = PaymentOrder.objects.filter(batch=batch).order_by("pk")
        groups = list(dict.fromkeys(orders.values_list("line__account_id", "fiscal_year")))
        if not groups:
            if batch.status == "open":
                batch.delete()
            continue
        if batch.status != "open" and len(groups) > 1:
            continue
        (account_id, year), *others = groups
        batch.account_id, batch.fiscal_year = account_id, year
        batch.save(update_fields=["account", "fiscal_year"])
        for account_id, year in others:
            split = PaymentBatch.objects.create(
                payment_date=batch.payment_date, status="open", account_id=account_id, fiscal_year=year
            )
            orders.filter(line__account_id=account_id, fiscal_year=year).update(batch=split)


def _one_open_batch_per_date(apps, schema_editor):
    """Backwards: the open batches of a date merged into the first, as one open batch per date was the rule."""
    PaymentBatch = apps.get_model("finance", "PaymentBatch")
    PaymentOrder = apps.get_model("finance", "PaymentOrder")
    kept = {}
    for batch in PaymentBatch.objects.filter(status="open").order_by("pk"):
        first = kept.setdefault(batch.payment_date, batch)
        if first.pk != batch.pk:
            PaymentOrder.objects.filter(batch=batch).update(batch=first)
            batch.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('finance', '0010_batch_file_content'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='paymentbatch',
            name='fin_batch_one_open_per_date',
        ),
        migrations.AddField(
            model_name='account',
            name='payer_account_number',
            field=models.CharField(blank=True, default='', max_length=7, verbose_name='支払口座の口座番号'),
        ),
        migrations.AddField(
            model_name='account',
            name='payer_account_type',
            field=models.CharField(blank=True, choices=[('1', '普通'), ('2', '当座'), ('9', 'その他')], default='', max_length=1, verbose_name='支払口座の預金種目'),
        ),
        migrations.AddField(
            model_name='account',
            name='payer_bank_code',
            field=models.CharField(blank=True, default='', max_length=4, verbose_name='支払口座の金融機関コード'),
        ),
        migrations.AddField(
            model_name='account',
            name='payer_branch_code',
            field=models.CharField(blank=True, default='', max_length=3, verbose_name='支払口座の支店コード'),
        ),
        migrations.AddField(
            model_name='account',
            name='payer_requester_code',
            field=models.CharField(blank=True, default='', max_length=10, verbose_name='依頼人コード'),
        ),
        migrations.AddField(
            model_name='account',
            name='payer_requester_name',
            field=models.CharField(blank=True, default='', max_length=40, verbose_name='依頼人名（半角カナ）'),
        ),
        migrations.AddField(
            model_name='paymentbatch',
            name='account',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='batches', to='finance.account', verbose_name='会計'),
        ),
        migrations.AddField(
            model_name='paymentbatch',
            name='fiscal_year',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='年度'),
        ),
        migrations.RunPython(_batch_per_account_and_year, _one_open_batch_per_date),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('payer_account_number', ''), ('payer_account_type', ''), ('payer_bank_code', ''), ('payer_branch_code', ''), ('payer_requester_code', ''), ('payer_requester_name', '')), models.Q(models.Q(('payer_requester_code', ''), _negated=True), models.Q(('payer_requester_name', ''), _negated=True), models.Q(('payer_bank_code', ''), _negated=True), models.Q(('payer_branch_code', ''), _negated=True), models.Q(('payer_account_type', ''), _negated=True), models.Q(('payer_account_number', ''), _negated=True)), _connector='OR'), name='fin_account_payer_whole_or_blank'),
        ),
        migrations.AddConstraint(
            model_name='paymentbatch',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('payment_date', 'account', 'fiscal_year'), name='fin_batch_one_open_per_date_account_year'),
        ),
        migrations.AddConstraint(
            model_name='paymentbatch',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'open'), _negated=True), models.Q(('account__isnull', False), ('fiscal_year__isnull', False)), _connector='OR'), name='fin_batch_open_has_account_and_year'),
        ),
    ]
