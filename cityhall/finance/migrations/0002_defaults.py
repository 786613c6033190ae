"""Load the default accounts and the 27 expenditure 節 (FY2020 onwards)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from cityhall.finance.defaults import load_defaults

    load_defaults(apps.get_model("finance", "Account"), apps.get_model("finance", "BudgetClassification"))


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
