"""The automation app's migrations 0001 to 0004 in one (squashed): a new database is built from this file
in one step (the 4 replaced files took most of a fresh ``migrate``'s half minute); a database that
applied them goes on from there. The replaced files stay until every installation has passed them.

Their data steps only moved rows that a new database does not have.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("automation", "0001_invoice_imports"),
        ("automation", "0002_supplier_mappings"),
        ("automation", "0003_switchover_imports"),
        ("automation", "0004_saved_time_ledger"),
    ]

    dependencies = [
        ("savings", "0001_saved_time"),
        ("finance", "0001_squashed_0017_zengin_file_lz4"),
        ("org", "0003_executive_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SwitchoverMapping",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=20, unique=True, verbose_name="種類")),
                ("layout", models.JSONField(verbose_name="列の設定")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
            ],
            options={
                "verbose_name": "移行データの列の設定",
                "verbose_name_plural": "移行データの列の設定",
            },
        ),
        migrations.CreateModel(
            name="InvoiceImport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="取込日時")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("upload", "画面からのアップロード"),
                            ("api", "API"),
                            ("command", "コマンド（import_invoices）"),
                            ("template", "定例支払"),
                        ],
                        max_length=10,
                        verbose_name="取込の方法",
                    ),
                ),
                ("total", models.PositiveIntegerField(default=0, verbose_name="請求書数")),
                ("accepted", models.PositiveIntegerField(default=0, verbose_name="受付数")),
                ("rejected", models.PositiveIntegerField(default=0, verbose_name="不受理数")),
                (
                    "archive",
                    models.FileField(
                        blank=True, max_length=255, upload_to="imports/%Y/%m/", verbose_name="原本の保管ファイル"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="取り込んだ職員",
                    ),
                ),
            ],
            options={
                "verbose_name": "請求書の取込",
                "verbose_name_plural": "請求書の取込",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SupplierDefault",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("description", models.CharField(blank=True, max_length=100, verbose_name="摘要")),
                (
                    "creditor",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="invoice_default",
                        to="finance.creditor",
                        verbose_name="債権者",
                    ),
                ),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetline",
                        verbose_name="予算科目",
                    ),
                ),
            ],
            options={
                "verbose_name": "取引先の既定の予算科目",
                "verbose_name_plural": "取引先の既定の予算科目",
            },
        ),
        migrations.CreateModel(
            name="SupplierMapping",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("mapping", models.JSONField(verbose_name="列の設定")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                (
                    "creditor",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="invoice_mapping",
                        to="finance.creditor",
                        verbose_name="債権者",
                    ),
                ),
            ],
            options={
                "verbose_name": "取引先の読み取り形式",
                "verbose_name_plural": "取引先の読み取り形式",
            },
        ),
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="受付日時")),
                ("dry_run", models.BooleanField(default=False, verbose_name="試行")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "待機中"),
                            ("reading", "読み取り中"),
                            ("creating", "支出命令を作成中"),
                            ("done", "完了"),
                            ("failed", "失敗"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="状況",
                    ),
                ),
                ("total", models.PositiveIntegerField(default=0, verbose_name="ファイル数")),
                ("processed", models.PositiveIntegerField(default=0, verbose_name="読み取り済み")),
                ("files", models.JSONField(default=list, verbose_name="受け付けたファイル")),
                ("report", models.JSONField(blank=True, default=dict, verbose_name="取込結果")),
                ("error", models.CharField(blank=True, max_length=500, verbose_name="失敗の理由")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="終了日時")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="取り込んだ職員",
                    ),
                ),
                (
                    "invoice_import",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="job",
                        to="automation.invoiceimport",
                        verbose_name="取込",
                    ),
                ),
                (
                    "mapping",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="automation.suppliermapping",
                        verbose_name="読み取り形式",
                    ),
                ),
            ],
            options={
                "verbose_name": "取込の処理",
                "verbose_name_plural": "取込の処理",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SwitchoverImport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=20, verbose_name="種類")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="受付日時")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("upload", "画面からのアップロード"),
                            ("api", "API"),
                            ("command", "コマンド（import_invoices）"),
                            ("template", "定例支払"),
                        ],
                        max_length=10,
                        verbose_name="取込の方法",
                    ),
                ),
                ("dry_run", models.BooleanField(default=False, verbose_name="試行")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "待機中"),
                            ("reading", "読み取り中"),
                            ("writing", "登録中"),
                            ("done", "完了"),
                            ("failed", "失敗"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="状況",
                    ),
                ),
                ("file_name", models.CharField(max_length=255, verbose_name="ファイル名")),
                ("file_sha256", models.CharField(max_length=64, verbose_name="ファイルのSHA-256")),
                ("pending", models.CharField(blank=True, max_length=255, verbose_name="処理待ちのファイル")),
                ("layout", models.JSONField(blank=True, default=dict, verbose_name="列の設定")),
                ("total", models.PositiveIntegerField(default=0, verbose_name="行数")),
                ("processed", models.PositiveIntegerField(default=0, verbose_name="読み取り済み")),
                ("accepted", models.PositiveIntegerField(default=0, verbose_name="受付数")),
                ("rejected", models.PositiveIntegerField(default=0, verbose_name="不受理数")),
                ("written", models.BooleanField(default=False, verbose_name="登録済み")),
                ("report", models.JSONField(blank=True, default=dict, verbose_name="取込結果")),
                ("error", models.CharField(blank=True, max_length=500, verbose_name="失敗の理由")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="終了日時")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="取り込んだ職員",
                    ),
                ),
            ],
            options={
                "verbose_name": "移行データの取込",
                "verbose_name_plural": "移行データの取込",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ImportedInvoice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(verbose_name="順番")),
                ("file_name", models.CharField(max_length=255, verbose_name="ファイル名")),
                ("file_sha256", models.CharField(max_length=64, verbose_name="ファイルのSHA-256")),
                ("original", models.CharField(blank=True, max_length=255, verbose_name="原本（保管ファイル内の名前）")),
                ("invoice_number", models.CharField(blank=True, max_length=100, verbose_name="請求書番号")),
                ("registration_number", models.CharField(blank=True, max_length=20, verbose_name="登録番号")),
                ("seller_name", models.CharField(blank=True, max_length=200, verbose_name="請求者")),
                ("payable", models.BigIntegerField(blank=True, null=True, verbose_name="請求金額")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("jp_pint", "電子請求書（JP PINT）"),
                            ("csv", "CSV"),
                            ("excel", "Excel"),
                            ("template", "定例支払"),
                        ],
                        default="jp_pint",
                        max_length=10,
                        verbose_name="形式",
                    ),
                ),
                ("minutes_saved", models.PositiveSmallIntegerField(default=0, verbose_name="削減時間（分）")),
                ("accepted", models.BooleanField(default=False, verbose_name="受付")),
                ("reasons", models.JSONField(blank=True, default=list, verbose_name="不受理の理由")),
                (
                    "creditor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.creditor",
                        verbose_name="債権者",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="source_invoices",
                        to="finance.paymentorder",
                        verbose_name="支出命令",
                    ),
                ),
                (
                    "invoice_import",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invoices",
                        to="automation.invoiceimport",
                        verbose_name="取込",
                    ),
                ),
            ],
            options={
                "verbose_name": "取り込んだ請求書",
                "verbose_name_plural": "取り込んだ請求書",
                "ordering": ["invoice_import", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("accepted", True)),
                        fields=("registration_number", "invoice_number"),
                        name="auto_invoice_accepted_once",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("accepted", False), ("order__isnull", False), _connector="OR"),
                        name="auto_accepted_has_order",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="RecurringPayment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("base_amount", models.BigIntegerField(default=0, verbose_name="定額（税込）")),
                ("variable", models.BooleanField(default=False, verbose_name="変動分あり")),
                ("tax_rate", models.PositiveSmallIntegerField(default=10, verbose_name="税率")),
                ("pay_day", models.PositiveSmallIntegerField(default=25, verbose_name="支払日（毎月）")),
                ("is_active", models.BooleanField(default=True, verbose_name="有効")),
                (
                    "creditor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.creditor",
                        verbose_name="債権者",
                    ),
                ),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetline",
                        verbose_name="予算科目",
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
                "verbose_name": "定例支払",
                "verbose_name_plural": "定例支払",
                "ordering": ["section", "name", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("base_amount__gte", 0)), name="auto_recurring_base_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("pay_day__gte", 1), ("pay_day__lte", 31)), name="auto_recurring_pay_day"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("tax_rate__in", (0, 8, 10))), name="auto_recurring_tax_rate"
                    ),
                ],
            },
        ),
    ]
