"""予算区分 on budget lines: a 繰越 now lands on its own 繰越分 line of the next year.

A next-year line that only carries created (no 当初・補正 amount, every movement into it a
carry of one kind) becomes that kind's 繰越分 line, so a carry still in circulation passes the
new rule when it is decided. Lines that carries merged into next to the year's own budget stay
現年度: their amounts cannot be told apart afterwards.
"""

from django.db import migrations, models

CARRY_KINDS = {"carry_explicit": "繰越明許費繰越分", "carry_accident": "事故繰越し繰越分"}


def mark_carried_lines(apps, schema_editor):
    BudgetLine = apps.get_model("finance", "BudgetLine")
    BudgetTransfer = apps.get_model("finance", "BudgetTransfer")
    targets = BudgetTransfer.objects.filter(kind__in=CARRY_KINDS).values_list("target_id", flat=True).distinct()
    for line in BudgetLine.objects.filter(pk__in=targets, amounts__isnull=True):
        kinds = set(BudgetTransfer.objects.filter(target=line).values_list("kind", flat=True))
        if len(kinds) != 1 or not kinds <= CARRY_KINDS.keys():
            continue
        kind = kinds.pop()
        line.budget_kind = kind
        line.label = f"{line.label}（{CARRY_KINDS[kind]}）"
        line.save(update_fields=["budget_kind", "label"])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0005_bank_account_is_active"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="budgetline",
            name="fin_line_unique",
        ),
        migrations.AddField(
            model_name="budgetline",
            name="budget_kind",
            field=models.CharField(
                choices=[
                    ("current", "現年度"),
                    ("carry_explicit", "繰越明許費繰越分"),
                    ("carry_accident", "事故繰越し繰越分"),
                ],
                default="current",
                editable=False,
                max_length=16,
                verbose_name="予算区分",
            ),
        ),
        migrations.AddConstraint(
            model_name="budgetline",
            constraint=models.UniqueConstraint(
                fields=("account", "fiscal_year", "moku", "setsu", "saisetsu", "budget_kind"),
                name="fin_line_unique",
                nulls_distinct=False,
            ),
        ),
        migrations.RunPython(mark_carried_lines, migrations.RunPython.noop),
    ]
