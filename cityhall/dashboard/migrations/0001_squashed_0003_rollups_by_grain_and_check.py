"""The dashboard app's migrations 0001 to 0003 in one (squashed): a new database is built from this file
in one step (the 3 replaced files took most of a fresh ``migrate``'s half minute); a database that
applied them goes on from there. The replaced files stay until every installation has passed them.

Their data steps only moved rows that a new database does not have.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("dashboard", "0001_initial"),
        ("dashboard", "0002_rollup_without_stale"),
        ("dashboard", "0003_rollups_by_grain_and_check"),
    ]

    dependencies = [
        ("documents", "0001_squashed_0012_merge_disposal_lists"),
        ("org", "0003_executive_role"),
    ]

    operations = [
        migrations.CreateModel(
            name="RollupMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(unique=True, verbose_name="月")),
                ("computed_at", models.DateTimeField(verbose_name="集計日時")),
                ("checked_at", models.DateTimeField(verbose_name="変更の確認日時")),
            ],
            options={
                "verbose_name": "集計済みの月",
                "verbose_name_plural": "集計済みの月",
            },
        ),
        migrations.CreateModel(
            name="DecisionRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="月")),
                ("medium", models.CharField(max_length=10, verbose_name="媒体")),
                ("documents", models.PositiveIntegerField(verbose_name="決裁件数")),
                ("attachments", models.PositiveIntegerField(verbose_name="添付ファイル数")),
                (
                    "matter_kind",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="documents.matterkind"
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="org.orgunit"),
                ),
            ],
            options={
                "verbose_name": "決裁の月次集計",
                "verbose_name_plural": "決裁の月次集計",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "section", "matter_kind", "medium"), name="dash_decision_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DurationRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="月")),
                ("bucket", models.PositiveIntegerField(verbose_name="区間の上限（時間）")),
                ("documents", models.PositiveIntegerField(verbose_name="件数")),
                (
                    "matter_kind",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="documents.matterkind"
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="org.orgunit"),
                ),
            ],
            options={
                "verbose_name": "決裁までの時間の月次集計",
                "verbose_name_plural": "決裁までの時間の月次集計",
                "indexes": [models.Index(fields=["section", "month"], name="dash_duration_section")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "section", "matter_kind", "bucket"), name="dash_duration_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="KindDurationRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="月")),
                ("bucket", models.PositiveIntegerField(verbose_name="区間の上限（時間）")),
                ("documents", models.PositiveIntegerField(verbose_name="件数")),
                (
                    "matter_kind",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="documents.matterkind"
                    ),
                ),
            ],
            options={
                "verbose_name": "事案の種類別の決裁までの時間の月次集計",
                "verbose_name_plural": "事案の種類別の決裁までの時間の月次集計",
                "constraints": [
                    models.UniqueConstraint(fields=("month", "matter_kind", "bucket"), name="dash_kind_duration_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="SectionDurationRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="月")),
                ("bucket", models.PositiveIntegerField(verbose_name="区間の上限（時間）")),
                ("documents", models.PositiveIntegerField(verbose_name="件数")),
                (
                    "section",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="org.orgunit"),
                ),
            ],
            options={
                "verbose_name": "課別の決裁までの時間の月次集計",
                "verbose_name_plural": "課別の決裁までの時間の月次集計",
                "constraints": [
                    models.UniqueConstraint(fields=("month", "section", "bucket"), name="dash_section_duration_key")
                ],
            },
        ),
    ]
