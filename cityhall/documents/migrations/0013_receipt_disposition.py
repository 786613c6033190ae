"""Receipts end with the record that answered them: disposed of or transferred with it (廃棄・移管)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0001_squashed_0012_merge_disposal_lists'),
        ('org', '0003_executive_role'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='receipt',
            name='disposed_on',
            field=models.DateField(blank=True, null=True, verbose_name='廃棄・移管日'),
        ),
        migrations.AddField(
            model_name='receipt',
            name='disposition',
            field=models.CharField(blank=True, choices=[('', '保存中'), ('disposed', '廃棄済'), ('transferred', '移管済')], default='', max_length=12, verbose_name='廃棄・移管'),
        ),
        migrations.AddConstraint(
            model_name='receipt',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('disposition', ''), ('disposed_on__isnull', True)), models.Q(('disposition__in', ['disposed', 'transferred']), ('disposed_on__isnull', False)), _connector='OR'), name='doc_receipt_disposition_dated'),
        ),
    ]
