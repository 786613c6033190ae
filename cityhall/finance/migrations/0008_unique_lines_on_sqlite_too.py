"""One budget line per 科目 and one top heading per code on SQLite too: the NULL columns are COALESCEd.

NULLS NOT DISTINCT exists only on PostgreSQL; SQLite ignored the constraint (Django warned W047).
"""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('finance', '0007_order_redrafted_from'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='budgetclassification',
            name='fin_heading_top_code',
        ),
        migrations.RemoveConstraint(
            model_name='budgetline',
            name='fin_line_unique',
        ),
        migrations.AddConstraint(
            model_name='budgetclassification',
            constraint=models.UniqueConstraint(django.db.models.functions.comparison.Coalesce('account', models.Value(0)), models.F('level'), models.F('code'), condition=models.Q(('parent__isnull', True)), name='fin_heading_top_code'),
        ),
        migrations.AddConstraint(
            model_name='budgetline',
            constraint=models.UniqueConstraint(models.F('account'), models.F('fiscal_year'), models.F('moku'), django.db.models.functions.comparison.Coalesce('setsu', models.Value(0)), django.db.models.functions.comparison.Coalesce('saisetsu', models.Value(0)), models.F('budget_kind'), name='fin_line_unique'),
        ),
    ]
