"""The telework app's migrations 0001 to 0004 in one (squashed): a new database is built from this file
in one step (the 6 replaced files took most of a fresh ``migrate``'s half minute); a database that
applied them goes on from there. The replaced files stay until every installation has passed them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("telework", "0001_initial"),
        ("telework", "0002_executive_role"),
        ("telework", "0002_inventory_survey"),
        ("telework", "0002_requests_and_limits"),
        ("telework", "0003_merge_0002_executive_role_0002_requests_and_limits"),
        ("telework", "0004_merge_inventory_survey"),
    ]

    dependencies = [
        ("documents", "0001_squashed_0012_merge_disposal_lists"),
        ("org", "0003_executive_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EligibilityRules",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("exclude_probation", models.BooleanField(default=True, verbose_name="条件付採用期間中の職員は対象外")),
                (
                    "probation_months",
                    models.PositiveSmallIntegerField(
                        default=6,
                        help_text="最初の発令からこの月数の間を条件付採用期間とみなします。",
                        verbose_name="条件付採用期間（月）",
                    ),
                ),
                ("require_home_pc", models.BooleanField(default=True, verbose_name="自宅のパソコンが必要")),
                ("require_home_network", models.BooleanField(default=True, verbose_name="自宅の回線が必要")),
                ("require_private_space", models.BooleanField(default=True, verbose_name="一人で作業できる場所が必要")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
            ],
            options={
                "verbose_name": "テレワークの対象要件",
                "verbose_name_plural": "テレワークの対象要件",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("probation_months__gte", 1), ("probation_months__lte", 24)),
                        name="telework_rules_probation_months",
                        violation_error_message="条件付採用期間は1か月から24か月の間で入力してください。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RemoteRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "data_class",
                    models.CharField(
                        choices=[
                            ("personal", "個人情報を含む文書"),
                            ("secret", "秘文書"),
                            ("inquiry", "財産照会の情報"),
                            ("payee_account", "支払先の口座番号"),
                            ("attachment", "添付ファイル（一般）"),
                            ("policy", "リモートアクセスの方針の画面"),
                        ],
                        max_length=20,
                        verbose_name="データの区分",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("drafter", "起案者"),
                            ("approver", "決裁者"),
                            ("document_manager", "文書主管"),
                            ("accounting", "会計"),
                            ("treasurer", "会計管理者"),
                            ("tax_collection", "徴税"),
                            ("it_admin", "情報政策"),
                            ("auditor", "監査"),
                            ("executive", "幹部"),
                        ],
                        default="",
                        help_text="空欄は全職員（既定）。",
                        max_length=20,
                        verbose_name="権限",
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[("see", "表示する"), ("masked", "マスクして表示"), ("none", "表示しない")],
                        max_length=10,
                        verbose_name="庁外からの表示",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
            ],
            options={
                "verbose_name": "リモートアクセスの規則",
                "verbose_name_plural": "リモートアクセスの規則",
                "ordering": ["data_class", "role"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("data_class", "role"), name="telework_remoterule_one_per_class_role"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "data_class__in",
                                ["personal", "secret", "inquiry", "payee_account", "attachment", "policy"],
                            )
                        ),
                        name="telework_remoterule_data_class_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("mode__in", ["see", "masked", "none"])),
                        name="telework_remoterule_mode_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("role", ""),
                            (
                                "role__in",
                                [
                                    "drafter",
                                    "approver",
                                    "document_manager",
                                    "accounting",
                                    "treasurer",
                                    "tax_collection",
                                    "it_admin",
                                    "auditor",
                                    "executive",
                                ],
                            ),
                            _connector="OR",
                        ),
                        name="telework_remoterule_role_known",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TeleworkLimits",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("max_days_per_week", models.PositiveSmallIntegerField(default=2, verbose_name="1週間の上限（日）")),
                (
                    "max_section_percent",
                    models.PositiveSmallIntegerField(default=50, verbose_name="1日に課の職員の何％まで"),
                ),
                (
                    "approved_days_only",
                    models.BooleanField(default=False, verbose_name="承認されたテレワーク日のみ庁外から利用できる"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
            ],
            options={
                "verbose_name": "テレワークの上限",
                "verbose_name_plural": "テレワークの上限",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("max_days_per_week__gte", 1), ("max_days_per_week__lte", 7)),
                        name="telework_limits_week_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("max_section_percent__gte", 1), ("max_section_percent__lte", 100)),
                        name="telework_limits_percent_range",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TeleworkRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tasks", models.TextField(max_length=2000, verbose_name="実施する業務")),
                ("reachable_from", models.TimeField(verbose_name="連絡可能な時間（から）")),
                ("reachable_to", models.TimeField(verbose_name="連絡可能な時間（まで）")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="telework_request",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="申請者",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="課",
                    ),
                ),
            ],
            options={
                "verbose_name": "テレワーク申請",
                "verbose_name_plural": "テレワーク申請",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("reachable_to__gt", models.F("reachable_from"))),
                        name="telework_request_hours_ordered",
                        violation_error_message="連絡可能な時間は開始より後に終わるようにしてください。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="TeleworkDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="日")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="申請者",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="課",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="days",
                        to="telework.teleworkrequest",
                        verbose_name="申請",
                    ),
                ),
            ],
            options={
                "verbose_name": "テレワーク日",
                "verbose_name_plural": "テレワーク日",
                "ordering": ["day"],
                "indexes": [
                    models.Index(fields=["person", "day"], name="telework_day_person"),
                    models.Index(fields=["section", "day"], name="telework_day_section"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("request", "day"), name="telework_day_once_per_request")
                ],
            },
        ),
        migrations.CreateModel(
            name="InventoryTask",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="業務名")),
                ("hours_per_year", models.PositiveIntegerField(verbose_name="年間業務時間")),
                ("systems", models.CharField(blank=True, max_length=200, verbose_name="使用するシステム")),
                (
                    "obstacles",
                    models.JSONField(blank=True, default=list, help_text="Obstacle の値の一覧。", verbose_name="支障"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                (
                    "matter_kind",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.matterkind",
                        verbose_name="決裁する事案の種類",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="課",
                    ),
                ),
            ],
            options={
                "verbose_name": "棚卸しの業務",
                "verbose_name_plural": "業務棚卸し",
                "ordering": ["section_id", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("section", "name"),
                        name="telework_task_one_name_per_section",
                        violation_error_message="この課には同じ業務名が既にあります。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("hours_per_year__lte", 1000000)),
                        name="telework_task_hours_bounded",
                        violation_error_message="年間業務時間は1,000,000時間以下にしてください。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SurveyAnswer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("has_home_pc", models.BooleanField(default=False, verbose_name="自宅で使えるパソコンがある")),
                ("has_home_network", models.BooleanField(default=False, verbose_name="自宅にインターネット回線がある")),
                (
                    "has_private_space",
                    models.BooleanField(default=False, verbose_name="自宅に一人で作業できる場所がある"),
                ),
                ("has_care_duty", models.BooleanField(default=False, verbose_name="育児・介護がある")),
                ("care_detail", models.CharField(blank=True, max_length=200, verbose_name="育児・介護の内容")),
                (
                    "commute_minutes",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="通勤時間（分）"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="回答日時")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="職員",
                    ),
                ),
            ],
            options={
                "verbose_name": "テレワーク環境の回答",
                "verbose_name_plural": "テレワーク環境の調査",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("care_detail", ""), ("has_care_duty", False)),
                            models.Q(("has_care_duty", True), models.Q(("care_detail", ""), _negated=True)),
                            _connector="OR",
                        ),
                        name="telework_survey_care_detail",
                        violation_error_message="育児・介護があるときはその内容を、ないときは空欄にしてください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("commute_minutes__isnull", True), ("commute_minutes__lte", 600), _connector="OR"
                        ),
                        name="telework_survey_commute_bounded",
                        violation_error_message="通勤時間は0分から600分の間で入力してください。",
                    ),
                ],
            },
        ),
    ]
