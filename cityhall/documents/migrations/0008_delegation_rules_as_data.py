"""The 事務決裁規程 as data: rows by scope (部・課), budget 節 and period, with mandatory consults;
the row a route was planned by, on the document; the target of a send-back to an earlier approver.

Existing rows keep their content and take effect from ``RULES_SINCE`` (the field's default). A
document already routed gets the row of its kind whose label it carries, when exactly one has it.
"""

import datetime
import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


ROUTED = ("circulating", "sent_back", "decided", "closed")


def record_rules(apps, schema_editor):
    DelegationRule = apps.get_model("documents", "DelegationRule")
    Document = apps.get_model("documents", "Document")
    by_slot = {}
    for rule in DelegationRule.objects.all():
        by_slot.setdefault((rule.matter_kind_id, rule.label), []).append(rule.pk)
    for (kind_id, label), ids in by_slot.items():
        if len(ids) == 1:
            Document.objects.filter(
                matter_kind_id=kind_id, decision_label=label, status__in=ROUTED, delegation_rule__isnull=True
            ).update(delegation_rule_id=ids[0])


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0007_decided_at_index'),
        ('org', '0003_executive_role'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='delegationrule',
            options={'ordering': ['matter_kind', 'unit_id', 'budget_setsu', models.OrderBy(models.F('amount_below'), nulls_last=True)], 'verbose_name': '決裁区分', 'verbose_name_plural': '事務決裁規程'},
        ),
        migrations.RemoveConstraint(
            model_name='delegationrule',
            name='doc_delegation_unique_bound',
        ),
        migrations.RemoveConstraint(
            model_name='delegationrule',
            name='doc_delegation_one_open_bound',
        ),
        migrations.AddField(
            model_name='delegationrule',
            name='budget_setsu',
            field=models.CharField(blank=True, help_text='節の番号（例: 14 工事請負費）。空欄はすべての節。', max_length=10, verbose_name='予算の節'),
        ),
        migrations.AddField(
            model_name='delegationrule',
            name='consult_units',
            field=models.ManyToManyField(blank=True, help_text='この行で決裁する文書に必ず合議する課（例: 契約の契約管財課）。起案者は外せません。', related_name='+', to='org.orgunit', verbose_name='必須合議先'),
        ),
        migrations.AddField(
            model_name='delegationrule',
            name='note',
            field=models.CharField(blank=True, max_length=200, verbose_name='改正の理由・備考'),
        ),
        migrations.AddField(
            model_name='delegationrule',
            name='replaces',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.delegationrule', verbose_name='改正前の行'),
        ),
        migrations.AddField(
            model_name='delegationrule',
            name='unit',
            field=models.ForeignKey(blank=True, help_text='空欄は全庁。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='対象の部・課'),
        ),
        migrations.AddField(
            model_name='delegationrule',
            name='valid_from',
            field=models.DateField(default=datetime.date(2000, 4, 1), verbose_name='施行日'),
        ),
        migrations.AddField(
            model_name='delegationrule',
            name='valid_to',
            field=models.DateField(blank=True, help_text='この日まで有効。空欄は廃止の予定なし。', null=True, verbose_name='廃止日'),
        ),
        migrations.AddField(
            model_name='document',
            name='delegation_rule',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.delegationrule', verbose_name='適用した事務決裁規程の行'),
        ),
        migrations.AddField(
            model_name='documentevent',
            name='target_step',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.routestep', verbose_name='差戻し先'),
        ),
        migrations.AddIndex(
            model_name='delegationrule',
            index=models.Index(fields=['matter_kind', 'valid_from'], name='doc_delegation_kind_from'),
        ),
        migrations.AddConstraint(
            model_name='delegationrule',
            constraint=models.UniqueConstraint(models.F('matter_kind'), django.db.models.functions.comparison.Coalesce('unit', models.Value(0)), models.F('budget_setsu'), django.db.models.functions.comparison.Coalesce('amount_below', models.Value(0)), condition=models.Q(('valid_to__isnull', True)), name='doc_delegation_one_open_slot', violation_error_message='同じ種類・対象・金額の行が既にあります。'),
        ),
        migrations.AddConstraint(
            model_name='delegationrule',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='doc_delegation_dates_ordered', violation_error_message='廃止日は施行日以降の日付にしてください。'),
        ),
        migrations.RunPython(record_rules, migrations.RunPython.noop),
    ]
