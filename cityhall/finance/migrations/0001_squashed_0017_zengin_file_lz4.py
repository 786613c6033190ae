"""The finance app's migrations 0001 to 0017 in one (squashed): a new database is built from this file
in one step (the 17 replaced files took most of a fresh ``migrate``'s half minute); a database that
applied them goes on from there. The replaced files stay until every installation has passed them.

Kept from them for a new database: the default accounts and the 27 expenditure 節 (0002) and, on
PostgreSQL, lz4 for the exported 全銀 files (0017). The rest of their data steps only moved rows that a
new database does not have.
"""

import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.comparison
from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction


def load_defaults(apps, schema_editor):
    """The default accounts and the 27 expenditure 節 (FY2020 onwards), as 0002 loaded them."""
    from cityhall.finance.defaults import load_defaults

    load_defaults(apps.get_model("finance", "Account"), apps.get_model("finance", "BudgetClassification"))


LZ4 = "ALTER TABLE finance_paymentbatch ALTER COLUMN file_content SET COMPRESSION {method}"


def _compression(method):
    """PostgreSQL: the exported files compressed with lz4 (0017: half the time to store a 12 MB file)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):  # a savepoint
                schema_editor.execute(LZ4.format(method=method))
        except DatabaseError:
            pass  # no lz4 in this server: the default (pglz) stays

    return run


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("finance", "0001_initial"),
        ("finance", "0002_defaults"),
        ("finance", "0003_budget_transfer"),
        ("finance", "0004_payment_orders"),
        ("finance", "0005_bank_account_is_active"),
        ("finance", "0006_budget_line_kind"),
        ("finance", "0007_order_redrafted_from"),
        ("finance", "0008_unique_lines_on_sqlite_too"),
        ("finance", "0009_payment_order_inspector"),
        ("finance", "0010_batch_file_content"),
        ("finance", "0011_batches_per_account"),
        ("finance", "0012_contracts"),
        ("finance", "0013_withholding"),
        ("finance", "0014_payment_methods"),
        ("finance", "0015_movement_rules"),
        ("finance", "0016_carry_over"),
        ("finance", "0017_zengin_file_lz4"),
    ]

    dependencies = [
        ("documents", "0001_squashed_0012_merge_disposal_lists"),
        ("org", "0003_executive_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Account",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=10, unique=True, verbose_name="会計コード")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="会計名")),
                (
                    "kind",
                    models.CharField(
                        choices=[("general", "一般会計"), ("special", "特別会計")],
                        default="general",
                        max_length=10,
                        verbose_name="種類",
                    ),
                ),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="並び順")),
                (
                    "payer_requester_code",
                    models.CharField(blank=True, default="", max_length=10, verbose_name="依頼人コード"),
                ),
                (
                    "payer_requester_name",
                    models.CharField(blank=True, default="", max_length=40, verbose_name="依頼人名（半角カナ）"),
                ),
                (
                    "payer_bank_code",
                    models.CharField(blank=True, default="", max_length=4, verbose_name="支払口座の金融機関コード"),
                ),
                (
                    "payer_branch_code",
                    models.CharField(blank=True, default="", max_length=3, verbose_name="支払口座の支店コード"),
                ),
                (
                    "payer_account_type",
                    models.CharField(
                        blank=True,
                        choices=[("1", "普通"), ("2", "当座"), ("9", "その他")],
                        default="",
                        max_length=1,
                        verbose_name="支払口座の預金種目",
                    ),
                ),
                (
                    "payer_account_number",
                    models.CharField(blank=True, default="", max_length=7, verbose_name="支払口座の口座番号"),
                ),
            ],
            options={
                "verbose_name": "会計",
                "verbose_name_plural": "会計",
                "ordering": ["sort_order", "code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("payer_account_number", ""),
                                ("payer_account_type", ""),
                                ("payer_bank_code", ""),
                                ("payer_branch_code", ""),
                                ("payer_requester_code", ""),
                                ("payer_requester_name", ""),
                            ),
                            models.Q(
                                models.Q(("payer_requester_code", ""), _negated=True),
                                models.Q(("payer_requester_name", ""), _negated=True),
                                models.Q(("payer_bank_code", ""), _negated=True),
                                models.Q(("payer_branch_code", ""), _negated=True),
                                models.Q(("payer_account_type", ""), _negated=True),
                                models.Q(("payer_account_number", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="fin_account_payer_whole_or_blank",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="BudgetClassification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "level",
                    models.CharField(
                        choices=[("kan", "款"), ("kou", "項"), ("moku", "目"), ("setsu", "節"), ("saisetsu", "細節")],
                        max_length=10,
                        verbose_name="階層",
                    ),
                ),
                ("code", models.CharField(max_length=10, verbose_name="科目コード")),
                ("name", models.CharField(max_length=100, verbose_name="科目名")),
                ("transfer_locked", models.BooleanField(default=False, verbose_name="流用禁止")),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="並び順")),
                (
                    "account",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="headings",
                        to="finance.account",
                        verbose_name="会計",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="finance.budgetclassification",
                        verbose_name="上位科目",
                    ),
                ),
            ],
            options={
                "verbose_name": "予算科目",
                "verbose_name_plural": "予算科目",
                "ordering": ["level", "sort_order", "code"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("parent__isnull", False)),
                        fields=("parent", "code"),
                        name="fin_heading_code_in_parent",
                    ),
                    models.UniqueConstraint(
                        django.db.models.functions.comparison.Coalesce("account", models.Value(0)),
                        models.F("level"),
                        models.F("code"),
                        condition=models.Q(("parent__isnull", True)),
                        name="fin_heading_top_code",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("level__in", ["kan", "kou", "moku", "setsu", "saisetsu"])),
                        name="fin_heading_level_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="BudgetLine",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveIntegerField(verbose_name="年度")),
                (
                    "budget_kind",
                    models.CharField(
                        choices=[
                            ("current", "現年度"),
                            ("carry_explicit", "繰越明許費繰越分"),
                            ("carry_accident", "事故繰越し繰越分"),
                            ("carry_continuing", "継続費逓次繰越分"),
                        ],
                        default="current",
                        editable=False,
                        max_length=16,
                        verbose_name="予算区分",
                    ),
                ),
                ("label", models.CharField(editable=False, max_length=255, verbose_name="表示名")),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="finance.account",
                        verbose_name="会計",
                    ),
                ),
                (
                    "moku",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetclassification",
                        verbose_name="目",
                    ),
                ),
                (
                    "saisetsu",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetclassification",
                        verbose_name="細節",
                    ),
                ),
                (
                    "setsu",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetclassification",
                        verbose_name="節",
                    ),
                ),
            ],
            options={
                "verbose_name": "予算明細",
                "verbose_name_plural": "予算明細",
                "ordering": ["account", "fiscal_year", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("account"),
                        models.F("fiscal_year"),
                        models.F("moku"),
                        django.db.models.functions.comparison.Coalesce("setsu", models.Value(0)),
                        django.db.models.functions.comparison.Coalesce("saisetsu", models.Value(0)),
                        models.F("budget_kind"),
                        name="fin_line_unique",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Allotment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("amount", models.BigIntegerField(default=0, verbose_name="配当額")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="配当先の課",
                    ),
                ),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="allotments",
                        to="finance.budgetline",
                        verbose_name="予算明細",
                    ),
                ),
            ],
            options={
                "verbose_name": "配当",
                "verbose_name_plural": "配当",
                "constraints": [
                    models.UniqueConstraint(fields=("line", "section"), name="fin_allotment_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)),
                        name="fin_allotment_not_negative",
                        violation_error_message="配当額は0円以上にしてください。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="BudgetVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveIntegerField(verbose_name="年度")),
                ("number", models.PositiveIntegerField(verbose_name="補正の号数")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="議決日")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "personnel_transfer",
                    models.BooleanField(
                        default=False,
                        help_text="予算で、同一款内の各項に計上した給料・職員手当等・共済費の項間流用を定めた場合（地方自治法第220条第2項ただし書）。",
                        verbose_name="人件費の項間流用",
                    ),
                ),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="versions",
                        to="finance.account",
                        verbose_name="会計",
                    ),
                ),
            ],
            options={
                "verbose_name": "予算の版",
                "verbose_name_plural": "予算の版",
                "ordering": ["account", "fiscal_year", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("account", "fiscal_year", "number"), name="fin_version_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="BudgetAmount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("amount", models.BigIntegerField(verbose_name="金額")),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="amounts",
                        to="finance.budgetline",
                        verbose_name="予算明細",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="amounts",
                        to="finance.budgetversion",
                        verbose_name="予算の版",
                    ),
                ),
            ],
            options={
                "verbose_name": "予算額",
                "verbose_name_plural": "予算額",
                "constraints": [models.UniqueConstraint(fields=("line", "version"), name="fin_amount_unique")],
            },
        ),
        migrations.CreateModel(
            name="CarryAllowance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveIntegerField(verbose_name="年度")),
                ("project", models.CharField(max_length=100, verbose_name="事業名")),
                ("amount", models.BigIntegerField(verbose_name="繰越明許費の額")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.account",
                        verbose_name="会計",
                    ),
                ),
                (
                    "kou",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetclassification",
                        verbose_name="項",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="carry_allowances",
                        to="finance.budgetversion",
                        verbose_name="議決した予算",
                    ),
                ),
            ],
            options={
                "verbose_name": "繰越明許費",
                "verbose_name_plural": "繰越明許費",
                "ordering": ["account", "fiscal_year", "kou__sort_order", "pk"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="fin_carry_allowance_positive"),
                    models.UniqueConstraint(fields=("version", "kou", "project"), name="fin_carry_allowance_unique"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ContinuingExpense",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("project", models.CharField(max_length=100, verbose_name="事業名")),
                ("total", models.BigIntegerField(verbose_name="総額")),
                ("first_year", models.PositiveIntegerField(verbose_name="初年度")),
                ("last_year", models.PositiveIntegerField(verbose_name="最終年度")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.account",
                        verbose_name="会計",
                    ),
                ),
                (
                    "moku",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetclassification",
                        verbose_name="目",
                    ),
                ),
                (
                    "setsu",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetclassification",
                        verbose_name="節",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="continuing_expenses",
                        to="finance.budgetversion",
                        verbose_name="議決した予算",
                    ),
                ),
            ],
            options={
                "verbose_name": "継続費",
                "verbose_name_plural": "継続費",
                "ordering": ["account", "first_year", "pk"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("total__gt", 0)), name="fin_continuing_total_positive"),
                    models.CheckConstraint(
                        condition=models.Q(("last_year__gt", models.F("first_year"))), name="fin_continuing_years"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ContinuingInstallment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveIntegerField(verbose_name="年度")),
                ("amount", models.BigIntegerField(verbose_name="年割額")),
                (
                    "expense",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="installments",
                        to="finance.continuingexpense",
                        verbose_name="継続費",
                    ),
                ),
            ],
            options={
                "verbose_name": "継続費の年割額",
                "verbose_name_plural": "継続費の年割額",
                "ordering": ["expense", "fiscal_year"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="fin_installment_positive"),
                    models.UniqueConstraint(fields=("expense", "fiscal_year"), name="fin_installment_year_unique"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Creditor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=20, unique=True, verbose_name="債権者コード")),
                ("name", models.CharField(max_length=200, verbose_name="名称")),
                ("kana", models.CharField(max_length=200, verbose_name="フリガナ")),
                ("address", models.CharField(blank=True, max_length=300, verbose_name="住所")),
                ("invoice_registration_number", models.CharField(blank=True, max_length=14, verbose_name="登録番号")),
                ("is_individual", models.BooleanField(default=False, verbose_name="個人事業者")),
                ("is_active", models.BooleanField(default=True, verbose_name="有効")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
            ],
            options={
                "verbose_name": "債権者",
                "verbose_name_plural": "債権者",
                "ordering": ["code"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("invoice_registration_number", ""), _negated=True),
                        fields=("invoice_registration_number",),
                        name="fin_creditor_invoice_number_unique",
                        violation_error_message="この登録番号の債権者は既に登録されています。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CreditorBankAccount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("bank_code", models.CharField(max_length=4, verbose_name="銀行コード")),
                ("bank_name", models.CharField(max_length=100, verbose_name="銀行名")),
                ("branch_code", models.CharField(max_length=3, verbose_name="支店コード")),
                ("branch_name", models.CharField(max_length=100, verbose_name="支店名")),
                (
                    "account_type",
                    models.CharField(
                        choices=[("1", "普通"), ("2", "当座"), ("4", "貯蓄"), ("9", "その他")],
                        max_length=1,
                        verbose_name="預金種目",
                    ),
                ),
                ("account_number", models.CharField(max_length=7, verbose_name="口座番号")),
                ("holder_kana", models.CharField(max_length=30, verbose_name="口座名義カナ")),
                ("is_default", models.BooleanField(default=True, verbose_name="既定の口座")),
                ("is_active", models.BooleanField(default=True, verbose_name="有効")),
                (
                    "creditor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bank_accounts",
                        to="finance.creditor",
                        verbose_name="債権者",
                    ),
                ),
            ],
            options={
                "verbose_name": "振込口座",
                "verbose_name_plural": "振込口座",
                "ordering": ["creditor", "-is_default", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_active", True)),
                        fields=("bank_code", "branch_code", "account_number"),
                        name="fin_bank_account_unique",
                        violation_error_message="この口座は既に他の債権者に登録されています。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("account_type__in", ["1", "2", "4", "9"])), name="fin_account_type_valid"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Encumbrance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveIntegerField(verbose_name="年度")),
                ("amount", models.BigIntegerField(verbose_name="金額")),
                ("original_amount", models.BigIntegerField(verbose_name="当初金額")),
                (
                    "contract_method",
                    models.CharField(
                        choices=[
                            ("general_tender", "一般競争入札"),
                            ("designated_tender", "指名競争入札"),
                            ("negotiated", "随意契約"),
                            ("auction", "せり売り"),
                            ("none", "契約によらない（補助金の交付決定・負担金など）"),
                        ],
                        max_length=20,
                        verbose_name="契約方法",
                    ),
                ),
                (
                    "negotiated_ground",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("1", "1号 予定価格が規則で定める額（少額）を超えない"),
                            ("2", "2号 性質又は目的が競争入札に適しない"),
                            ("3", "3号 障害者支援施設等・シルバー人材センター等からの調達"),
                            ("4", "4号 新商品の生産により新たな事業分野の開拓を図る者からの調達"),
                            ("5", "5号 緊急の必要により競争入札に付することができない"),
                            ("6", "6号 競争入札に付することが不利と認められる"),
                            ("7", "7号 時価に比して著しく有利な価格で契約できる見込み"),
                            ("8", "8号 入札者がない・再度の入札に付し落札者がない"),
                            ("9", "9号 落札者が契約を締結しない"),
                        ],
                        max_length=2,
                        verbose_name="随意契約の理由（令167条の2①）",
                    ),
                ),
                (
                    "contract_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("works", "工事又は製造の請負"),
                            ("purchase", "財産の買入れ"),
                            ("lease_in", "物件の借入れ"),
                            ("sale", "財産の売払い"),
                            ("lease_out", "物件の貸付け"),
                            ("other", "前各号に掲げるもの以外のもの"),
                        ],
                        max_length=12,
                        verbose_name="契約の種類",
                    ),
                ),
                ("unit_price", models.BooleanField(default=False, verbose_name="単価契約")),
                ("contract_number", models.CharField(blank=True, max_length=40, verbose_name="契約番号")),
                ("contract_date", models.DateField(blank=True, null=True, verbose_name="契約日")),
                ("deadline", models.DateField(blank=True, null=True, verbose_name="履行期限")),
                ("cancelled_at", models.DateTimeField(blank=True, null=True, verbose_name="取消日時")),
                ("cancel_reason", models.CharField(blank=True, max_length=200, verbose_name="取消理由")),
                ("carried_amount", models.BigIntegerField(default=0, verbose_name="翌年度繰越額")),
                (
                    "allotment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="encumbrances",
                        to="finance.allotment",
                        verbose_name="配当",
                    ),
                ),
                (
                    "carried_from",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="carried_to",
                        to="finance.encumbrance",
                        verbose_name="繰越元の支出負担行為",
                    ),
                ),
                (
                    "creditor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="encumbrances",
                        to="finance.creditor",
                        verbose_name="債権者",
                    ),
                ),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="encumbrance",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="encumbrances",
                        to="finance.budgetline",
                        verbose_name="予算明細",
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
                "verbose_name": "支出負担行為",
                "verbose_name_plural": "支出負担行為",
                "indexes": [
                    models.Index(fields=["allotment", "cancelled_at"], name="fin_enc_allotment"),
                    models.Index(fields=["fiscal_year", "contract_number"], name="fin_enc_contract_number"),
                    models.Index(fields=["creditor", "line"], name="fin_enc_creditor_line"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("amount__gt", 0), models.Q(("amount", 0), ("carried_amount__gt", 0)), _connector="OR"
                        ),
                        name="fin_encumbrance_amount_positive",
                        violation_error_message="金額は1円以上にしてください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("original_amount__gt", 0)), name="fin_encumbrance_original_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "contract_method__in",
                                ["general_tender", "designated_tender", "negotiated", "auction", "none"],
                            )
                        ),
                        name="fin_encumbrance_method_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("negotiated_ground", ""), ("contract_method", "negotiated"), _connector="OR"
                        ),
                        name="fin_encumbrance_ground_only_negotiated",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("negotiated_ground", ""),
                            ("negotiated_ground__in", ["1", "2", "3", "4", "5", "6", "7", "8", "9"]),
                            _connector="OR",
                        ),
                        name="fin_encumbrance_ground_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("contract_kind", ""),
                            ("contract_kind__in", ["works", "purchase", "lease_in", "sale", "lease_out", "other"]),
                            _connector="OR",
                        ),
                        name="fin_encumbrance_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("contract_method", "none"), _negated=True),
                            models.Q(("contract_number", ""), ("contract_date__isnull", True), ("unit_price", False)),
                            _connector="OR",
                        ),
                        name="fin_encumbrance_contract_fields_only_contracts",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="BudgetTransfer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("transfer", "流用"),
                            ("reserve", "予備費充用"),
                            ("carry_explicit", "繰越明許"),
                            ("carry_accident", "事故繰越"),
                            ("carry_continuing", "継続費逓次繰越"),
                        ],
                        default="transfer",
                        max_length=16,
                        verbose_name="種類",
                    ),
                ),
                ("amount", models.BigIntegerField(verbose_name="流用額")),
                ("reason", models.CharField(max_length=300, verbose_name="理由")),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="budget_transfer",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transfers_out",
                        to="finance.budgetline",
                        verbose_name="流用元",
                    ),
                ),
                (
                    "target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transfers_in",
                        to="finance.budgetline",
                        verbose_name="流用先",
                    ),
                ),
                (
                    "allowance",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="carries",
                        to="finance.carryallowance",
                        verbose_name="繰越明許費",
                    ),
                ),
                (
                    "continuing",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="carries",
                        to="finance.continuingexpense",
                        verbose_name="継続費",
                    ),
                ),
                (
                    "encumbrance",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="carries",
                        to="finance.encumbrance",
                        verbose_name="繰り越す支出負担行為",
                    ),
                ),
            ],
            options={
                "verbose_name": "流用",
                "verbose_name_plural": "流用",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="fin_transfer_amount_positive"),
                    models.CheckConstraint(
                        condition=models.Q(("source", models.F("target")), _negated=True),
                        name="fin_transfer_distinct_lines",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                ["transfer", "reserve", "carry_explicit", "carry_accident", "carry_continuing"],
                            )
                        ),
                        name="fin_transfer_kind_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="EncumbranceChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveIntegerField(verbose_name="変更の回数")),
                ("previous_amount", models.BigIntegerField(verbose_name="変更前の金額")),
                ("new_amount", models.BigIntegerField(verbose_name="変更後の金額")),
                ("new_deadline", models.DateField(blank=True, null=True, verbose_name="変更後の履行期限")),
                ("change_date", models.DateField(blank=True, null=True, verbose_name="変更契約日")),
                ("reason", models.CharField(max_length=300, verbose_name="変更の理由")),
                ("applied_at", models.DateTimeField(blank=True, null=True, verbose_name="反映日時")),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="encumbrance_change",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "encumbrance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="changes",
                        to="finance.encumbrance",
                        verbose_name="支出負担行為",
                    ),
                ),
            ],
            options={
                "verbose_name": "変更契約",
                "verbose_name_plural": "変更契約",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("new_amount__gt", 0)), name="fin_enc_change_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("previous_amount__gt", 0)), name="fin_enc_change_previous_positive"
                    ),
                    models.UniqueConstraint(fields=("encumbrance", "sequence"), name="fin_enc_change_sequence_unique"),
                ],
            },
        ),
        migrations.CreateModel(
            name="PaymentBatch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("payment_date", models.DateField(verbose_name="支払日")),
                ("fiscal_year", models.PositiveIntegerField(blank=True, null=True, verbose_name="年度")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "作成中"), ("exported", "振込データ出力済"), ("paid", "支払済")],
                        default="open",
                        max_length=10,
                        verbose_name="状態",
                    ),
                ),
                ("record_count", models.PositiveIntegerField(default=0, verbose_name="件数")),
                ("total_amount", models.BigIntegerField(default=0, verbose_name="合計金額")),
                ("file_name", models.CharField(blank=True, max_length=300, verbose_name="振込データファイル")),
                ("file_content", models.BinaryField(blank=True, default=b"", verbose_name="振込データ")),
                (
                    "file_sha256",
                    models.CharField(blank=True, editable=False, max_length=64, verbose_name="振込データのSHA-256"),
                ),
                ("exported_at", models.DateTimeField(blank=True, null=True, verbose_name="出力日時")),
                ("paid_at", models.DateTimeField(blank=True, null=True, verbose_name="支払日時")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                (
                    "account",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="batches",
                        to="finance.account",
                        verbose_name="会計",
                    ),
                ),
                (
                    "exported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="出力者",
                    ),
                ),
            ],
            options={
                "verbose_name": "支払データ",
                "verbose_name_plural": "支払データ",
                "ordering": ["-payment_date", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("payment_date", "account", "fiscal_year"),
                        name="fin_batch_one_open_per_date_account_year",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "open"), _negated=True),
                            models.Q(("account__isnull", False), ("fiscal_year__isnull", False)),
                            _connector="OR",
                        ),
                        name="fin_batch_open_has_account_and_year",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["open", "exported", "paid"])), name="fin_batch_status_valid"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("total_amount__gte", 0)), name="fin_batch_total_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "open"), _negated=True),
                            models.Q(("file_name", ""), ("file_sha256", "")),
                            _connector="OR",
                        ),
                        name="fin_batch_open_has_no_file",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PaymentOrder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("linked", "支出命令"),
                            ("combined", "支出負担行為兼支出命令"),
                            ("collective", "集合支出命令"),
                        ],
                        max_length=12,
                        verbose_name="種類",
                    ),
                ),
                ("fiscal_year", models.PositiveIntegerField(verbose_name="年度")),
                (
                    "payment_method",
                    models.CharField(
                        choices=[
                            ("transfer", "口座振込"),
                            ("cash", "窓口払"),
                            ("advance", "資金前渡"),
                            ("debit", "口座振替"),
                            ("internal", "公金振替"),
                        ],
                        default="transfer",
                        max_length=10,
                        verbose_name="支払方法",
                    ),
                ),
                (
                    "method_ground",
                    models.CharField(
                        blank=True,
                        help_text="前金払の根拠（令163条各号）、口座振替の契約など",
                        max_length=200,
                        verbose_name="支払方法の根拠",
                    ),
                ),
                (
                    "transfer_to",
                    models.CharField(
                        blank=True, help_text="公金振替の振替先", max_length=100, verbose_name="振替先の会計・基金"
                    ),
                ),
                (
                    "prior_fiscal_year",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="出納閉鎖後の過年度の債務を現年度の予算から支払うときの元の年度（令165条の8）",
                        null=True,
                        verbose_name="過年度支出の原年度",
                    ),
                ),
                (
                    "payment_timing",
                    models.CharField(
                        choices=[("regular", "確定払"), ("estimate", "概算払"), ("prepay", "前金払")],
                        default="regular",
                        max_length=10,
                        verbose_name="支払の時期",
                    ),
                ),
                ("payment_date", models.DateField(verbose_name="支払予定日")),
                ("inspection_date", models.DateField(blank=True, null=True, verbose_name="検収日")),
                ("invoice_received_on", models.DateField(blank=True, null=True, verbose_name="請求書受理日")),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="摘要")),
                ("total_amount", models.BigIntegerField(verbose_name="支出命令額")),
                ("withholding_amount", models.BigIntegerField(default=0, verbose_name="源泉徴収額")),
                ("payment_amount", models.BigIntegerField(verbose_name="支払額")),
                (
                    "review_status",
                    models.CharField(
                        choices=[("waiting", "審査待ち"), ("approved", "審査済"), ("returned", "返付")],
                        default="waiting",
                        max_length=10,
                        verbose_name="審査状況",
                    ),
                ),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="審査日時")),
                ("review_reason", models.CharField(blank=True, max_length=300, verbose_name="返付理由")),
                (
                    "advance_holder",
                    models.ForeignKey(
                        blank=True,
                        help_text="資金前渡（地方自治法施行令第161条）で現金の前渡を受ける職員",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="資金前渡職員",
                    ),
                ),
                (
                    "allotment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payment_orders",
                        to="finance.allotment",
                        verbose_name="配当",
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="orders",
                        to="finance.paymentbatch",
                        verbose_name="支払データ",
                    ),
                ),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payment_order",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "encumbrance",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payment_orders",
                        to="finance.encumbrance",
                        verbose_name="支出負担行為",
                    ),
                ),
                (
                    "inspector",
                    models.ForeignKey(
                        blank=True,
                        help_text="検収（給付の完了の確認・検査）をした職員。支出負担行為・支出命令の起案者以外（地方自治法第234条の2）",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="検査員",
                    ),
                ),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payment_orders",
                        to="finance.budgetline",
                        verbose_name="予算明細",
                    ),
                ),
                (
                    "redrafted_from",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="redrafts",
                        to="finance.paymentorder",
                        verbose_name="起案し直した元の支出命令",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="審査者",
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
                "verbose_name": "支出命令",
                "verbose_name_plural": "支出命令",
                "indexes": [
                    models.Index(fields=["allotment", "kind"], name="fin_order_allotment"),
                    models.Index(fields=["review_status", "payment_date"], name="fin_order_review_queue"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("total_amount__gt", 0)),
                        name="fin_order_total_positive",
                        violation_error_message="支出命令額は1円以上にしてください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("withholding_amount__gte", 0)), name="fin_order_withholding_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "payment_amount",
                                django.db.models.expressions.CombinedExpression(
                                    models.F("total_amount"), "-", models.F("withholding_amount")
                                ),
                            )
                        ),
                        name="fin_order_payment_is_total_less_withholding",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["linked", "combined", "collective"])),
                        name="fin_order_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("encumbrance__isnull", False), ("kind", "linked")),
                            models.Q(models.Q(("kind", "linked"), _negated=True), ("encumbrance__isnull", True)),
                            _connector="OR",
                        ),
                        name="fin_order_encumbrance_matches_kind",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("review_status__in", ["waiting", "approved", "returned"])),
                        name="fin_order_review_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("payment_method__in", ["transfer", "cash", "advance", "debit", "internal"])
                        ),
                        name="fin_order_payment_method_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("advance_holder__isnull", False), ("payment_method", "advance")),
                            models.Q(
                                models.Q(("payment_method", "advance"), _negated=True), ("advance_holder__isnull", True)
                            ),
                            _connector="OR",
                        ),
                        name="fin_order_advance_holder_matches_method",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("payment_timing", "regular"), ("payment_method__in", ("transfer", "cash")), _connector="OR"
                        ),
                        name="fin_order_timing_with_transfer_or_cash",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("prior_fiscal_year__isnull", True),
                            ("prior_fiscal_year__lt", models.F("fiscal_year")),
                            _connector="OR",
                        ),
                        name="fin_order_prior_year_before",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("batch__isnull", True), ("review_status", "approved"), _connector="OR"),
                        name="fin_order_batched_when_approved",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="OrderSettlement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("settled_on", models.DateField(verbose_name="精算日")),
                ("advanced", models.BigIntegerField(verbose_name="前渡・概算払額")),
                ("actual", models.BigIntegerField(verbose_name="精算額（実際の支出額）")),
                ("additional", models.BigIntegerField(default=0, verbose_name="追加支払額")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="摘要")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="記録日時")),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="記録者",
                    ),
                ),
                (
                    "order",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="settlement",
                        to="finance.paymentorder",
                        verbose_name="支出命令",
                    ),
                ),
            ],
            options={
                "verbose_name": "精算",
                "verbose_name_plural": "精算",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("actual__gte", 0)), name="fin_settlement_actual_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("additional__gte", 0)), name="fin_settlement_additional_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("additional", 0),
                            (
                                "actual",
                                django.db.models.expressions.CombinedExpression(
                                    models.F("advanced"), "+", models.F("additional")
                                ),
                            ),
                            _connector="OR",
                        ),
                        name="fin_settlement_additional_is_excess",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="OrderRefund",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("amount", models.BigIntegerField(verbose_name="戻入額")),
                ("refunded_on", models.DateField(verbose_name="戻入日")),
                ("reason", models.CharField(max_length=200, verbose_name="理由")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="記録日時")),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="記録者",
                    ),
                ),
                (
                    "settlement",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refund",
                        to="finance.ordersettlement",
                        verbose_name="精算",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refunds",
                        to="finance.paymentorder",
                        verbose_name="支出命令",
                    ),
                ),
            ],
            options={
                "verbose_name": "戻入",
                "verbose_name_plural": "戻入",
                "ordering": ["order", "refunded_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)),
                        name="fin_refund_amount_positive",
                        violation_error_message="戻入額は1円以上にしてください。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PaymentOrderLine",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(verbose_name="行番号")),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="内容")),
                (
                    "tax_rate",
                    models.PositiveSmallIntegerField(
                        choices=[(10, "10%"), (8, "8%（軽減税率）"), (0, "対象外・非課税")],
                        default=10,
                        verbose_name="税率",
                    ),
                ),
                ("amount", models.BigIntegerField(verbose_name="金額（税込）")),
                ("tax_amount", models.BigIntegerField(default=0, verbose_name="うち消費税額")),
                ("withholding", models.BigIntegerField(default=0, verbose_name="源泉徴収額")),
                ("withholding_kind", models.CharField(blank=True, default="", max_length=20, verbose_name="源泉区分")),
                (
                    "bank_account",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_lines",
                        to="finance.creditorbankaccount",
                        verbose_name="振込口座",
                    ),
                ),
                (
                    "creditor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_lines",
                        to="finance.creditor",
                        verbose_name="債権者",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="finance.paymentorder",
                        verbose_name="支出命令",
                    ),
                ),
            ],
            options={
                "verbose_name": "支出命令明細",
                "verbose_name_plural": "支出命令明細",
                "ordering": ["order", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("order", "position"), name="fin_order_line_position_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)),
                        name="fin_order_line_amount_positive",
                        violation_error_message="金額は1円以上にしてください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("tax_rate__in", [10, 8, 0])), name="fin_order_line_tax_rate_valid"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("tax_amount__gte", 0), ("tax_amount__lt", models.F("amount"))),
                        name="fin_order_line_tax_within_amount",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("withholding__gte", 0), ("withholding__lt", models.F("amount"))),
                        name="fin_order_line_withholding_within_amount",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SettlementReceipt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(verbose_name="行番号")),
                ("description", models.CharField(max_length=200, verbose_name="内容")),
                ("amount", models.BigIntegerField(verbose_name="金額")),
                (
                    "settlement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="receipts",
                        to="finance.ordersettlement",
                        verbose_name="精算",
                    ),
                ),
            ],
            options={
                "verbose_name": "精算の領収書",
                "verbose_name_plural": "精算の領収書",
                "ordering": ["settlement", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("settlement", "position"), name="fin_receipt_position_unique"),
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="fin_receipt_amount_positive"),
                ],
            },
        ),
        migrations.CreateModel(
            name="WithholdingRemittance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(unique=True, verbose_name="徴収月")),
                ("due_date", models.DateField(verbose_name="納期限")),
                ("amount", models.BigIntegerField(verbose_name="納付額")),
                ("line_count", models.PositiveIntegerField(verbose_name="件数")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="作成者",
                    ),
                ),
            ],
            options={
                "verbose_name": "源泉所得税の納付",
                "verbose_name_plural": "源泉所得税の納付",
                "ordering": ["-month"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="fin_remittance_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("due_date__gt", models.F("month"))), name="fin_remittance_due_after_month"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="WithholdingEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("receipt", "受入"), ("disbursement", "払出")], max_length=12, verbose_name="区分"
                    ),
                ),
                ("day", models.DateField(verbose_name="受払日")),
                ("month", models.DateField(verbose_name="徴収月")),
                ("amount", models.BigIntegerField(verbose_name="金額")),
                ("withholding_kind", models.CharField(blank=True, max_length=20, verbose_name="源泉区分")),
                ("paid_amount", models.BigIntegerField(default=0, verbose_name="支払金額")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="記録日時")),
                (
                    "batch",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.paymentbatch",
                        verbose_name="支払データ",
                    ),
                ),
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
                    "order_line",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="withholding_entry",
                        to="finance.paymentorderline",
                        verbose_name="支出命令明細",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="記録者",
                    ),
                ),
                (
                    "remittance",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entry",
                        to="finance.withholdingremittance",
                        verbose_name="納付",
                    ),
                ),
            ],
            options={
                "verbose_name": "歳計外現金（源泉所得税）の受払",
                "verbose_name_plural": "歳計外現金（源泉所得税）の受払",
                "ordering": ["day", "pk"],
                "indexes": [models.Index(fields=["month", "kind"], name="fin_withholding_month")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="fin_withholding_entry_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["receipt", "disbursement"])),
                        name="fin_withholding_entry_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "receipt"), ("order_line__isnull", False), ("remittance__isnull", True)),
                            models.Q(
                                ("kind", "disbursement"), ("order_line__isnull", True), ("remittance__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="fin_withholding_entry_source_matches_kind",
                    ),
                ],
            },
        ),
        migrations.RunPython(load_defaults, migrations.RunPython.noop),
        migrations.RunPython(_compression("lz4"), _compression("DEFAULT")),
    ]
