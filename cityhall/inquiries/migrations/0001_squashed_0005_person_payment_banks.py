"""The inquiries app's migrations 0001 to 0005 in one (squashed): a new database is built from this file
in one step (the 7 replaced files took most of a fresh ``migrate``'s half minute); a database that
applied them goes on from there. The replaced files stay until every installation has passed them.
"""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("inquiries", "0001_inquiries"),
        ("inquiries", "0002_answers"),
        ("inquiries", "0002_letter_files"),
        ("inquiries", "0002_person_imports"),
        ("inquiries", "0003_merge_0002_answers_0002_person_imports"),
        ("inquiries", "0004_merge_letter_files"),
        ("inquiries", "0005_person_payment_banks"),
    ]

    dependencies = [
        ("documents", "0001_squashed_0012_merge_disposal_lists"),
        ("org", "0003_executive_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AnswerFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="ファイル名")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="行数")),
                ("imported_at", models.DateTimeField(auto_now_add=True, verbose_name="取込日時")),
                (
                    "imported_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="取込者",
                    ),
                ),
            ],
            options={
                "verbose_name": "回答ファイル",
                "verbose_name_plural": "回答ファイル",
                "ordering": ["letter_id", "imported_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Answer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("row_number", models.PositiveIntegerField(blank=True, null=True, verbose_name="行番号")),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="氏名（回答）")),
                ("kana", models.CharField(blank=True, max_length=100, verbose_name="フリガナ（回答）")),
                ("birth_date", models.DateField(blank=True, null=True, verbose_name="生年月日（回答）")),
                ("address", models.CharField(blank=True, max_length=300, verbose_name="住所（回答）")),
                (
                    "result",
                    models.CharField(
                        choices=[("found", "財産あり"), ("none", "該当なし")], max_length=10, verbose_name="回答の内容"
                    ),
                ),
                (
                    "match_status",
                    models.CharField(
                        choices=[
                            ("matched", "照合済"),
                            ("unmatched", "該当者なし"),
                            ("ambiguous", "複数該当"),
                            ("decided", "職員が確定"),
                            ("not_ours", "対象外"),
                        ],
                        default="unmatched",
                        max_length=10,
                        verbose_name="照合の状況",
                    ),
                ),
                ("received_on", models.DateField(verbose_name="回答日")),
                ("note", models.TextField(blank=True, max_length=1000, verbose_name="備考")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="登録日時"),
                ),
                (
                    "answer_file",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answers",
                        to="inquiries.answerfile",
                        verbose_name="回答ファイル",
                    ),
                ),
            ],
            options={
                "verbose_name": "回答",
                "verbose_name_plural": "回答",
                "ordering": ["letter_id", "answer_file_id", "row_number", "pk"],
            },
        ),
        migrations.CreateModel(
            name="DelinquentPerson",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("resident_number", models.CharField(max_length=20, verbose_name="宛名番号")),
                ("name", models.CharField(max_length=100, verbose_name="氏名")),
                ("kana", models.CharField(max_length=100, verbose_name="フリガナ")),
                ("birth_date", models.DateField(verbose_name="生年月日")),
                ("address", models.CharField(max_length=300, verbose_name="住所")),
                ("amount", models.BigIntegerField(verbose_name="滞納額")),
                ("delinquent_since", models.DateField(verbose_name="最も古い滞納の納期限")),
                ("area", models.CharField(blank=True, max_length=50, verbose_name="地区")),
                (
                    "payment_banks",
                    models.CharField(
                        blank=True,
                        help_text="口座振替や納付で取引が確認された金融機関の銀行コード（4桁、空白区切り）。",
                        max_length=60,
                        verbose_name="納付の確認された金融機関",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="担当課",
                    ),
                ),
            ],
            options={
                "verbose_name": "滞納者",
                "verbose_name_plural": "滞納者",
                "ordering": ["section_id", "kana", "pk"],
                "indexes": [
                    models.Index(fields=["section", "kana", "birth_date"], name="inq_person_match_idx"),
                    models.Index(fields=["section", "amount"], name="inq_person_amount_idx"),
                    models.Index(fields=["section", "delinquent_since"], name="inq_person_age_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("section", "resident_number"),
                        name="inq_person_number_unique",
                        violation_error_message="この宛名番号の滞納者は既に登録されています。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("resident_number", ""), _negated=True), name="inq_person_number_given"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kana", ""), _negated=True), name="inq_person_kana_given"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)), name="inq_person_amount_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("birth_date__gte", datetime.date(1900, 1, 1))),
                        name="inq_person_birth_date_real",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FormerAddress",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField(verbose_name="順序")),
                ("address", models.CharField(max_length=300, verbose_name="旧住所")),
                ("moved_out_on", models.DateField(blank=True, null=True, verbose_name="転出日")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="former_addresses",
                        to="inquiries.delinquentperson",
                        verbose_name="滞納者",
                    ),
                ),
            ],
            options={
                "verbose_name": "旧住所",
                "verbose_name_plural": "旧住所",
                "ordering": ["person_id", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("person", "position"), name="inq_former_address_position_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("position__gte", 1)), name="inq_former_address_position_from_one"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("address", ""), _negated=True), name="inq_former_address_given"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FoundAsset",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("deposit", "預貯金"),
                            ("insurance", "生命保険"),
                            ("securities", "有価証券"),
                            ("other", "その他"),
                        ],
                        default="deposit",
                        max_length=12,
                        verbose_name="財産の種類",
                    ),
                ),
                ("branch_name", models.CharField(blank=True, max_length=100, verbose_name="支店名")),
                ("branch_code", models.CharField(blank=True, max_length=10, verbose_name="支店番号")),
                (
                    "account_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("ordinary", "普通"),
                            ("current", "当座"),
                            ("time", "定期"),
                            ("savings", "貯蓄"),
                            ("post_ordinary", "通常貯金"),
                            ("post_fixed", "定額貯金"),
                            ("other", "その他"),
                        ],
                        max_length=15,
                        verbose_name="預金種目",
                    ),
                ),
                ("account_number", models.CharField(blank=True, max_length=20, verbose_name="口座番号")),
                ("balance", models.BigIntegerField(blank=True, null=True, verbose_name="残高")),
                ("last_transaction_on", models.DateField(blank=True, null=True, verbose_name="最終取引日")),
                ("policy_number", models.CharField(blank=True, max_length=30, verbose_name="証券番号")),
                ("surrender_value", models.BigIntegerField(blank=True, null=True, verbose_name="解約返戻金")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="備考")),
                (
                    "answer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assets",
                        to="inquiries.answer",
                        verbose_name="回答",
                    ),
                ),
            ],
            options={
                "verbose_name": "判明財産",
                "verbose_name_plural": "判明財産",
                "ordering": ["answer_id", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["deposit", "insurance", "securities", "other"])),
                        name="inq_asset_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("account_type", ""),
                            (
                                "account_type__in",
                                ["ordinary", "current", "time", "savings", "post_ordinary", "post_fixed", "other"],
                            ),
                            _connector="OR",
                        ),
                        name="inq_asset_type_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("balance__isnull", True), ("balance__gte", 0), _connector="OR"),
                        name="inq_asset_balance_not_negative",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("surrender_value__isnull", True), ("surrender_value__gte", 0), _connector="OR"
                        ),
                        name="inq_asset_surrender_not_negative",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="InquiryBatch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "legal_basis",
                    models.CharField(
                        default="地方税法第331条第6項等の規定により例によることとされる国税徴収法第141条",
                        max_length=200,
                        verbose_name="根拠法令",
                    ),
                ),
                ("purpose", models.TextField(max_length=1000, verbose_name="照会の目的")),
                ("period_from", models.DateField(blank=True, null=True, verbose_name="取引履歴の照会期間（開始）")),
                ("period_to", models.DateField(blank=True, null=True, verbose_name="取引履歴の照会期間（終了）")),
                ("base_date", models.DateField(verbose_name="残高の基準日")),
                ("reply_days", models.PositiveSmallIntegerField(default=14, verbose_name="回答期限（送付日から）")),
                ("criteria", models.JSONField(blank=True, default=dict, verbose_name="選定の条件")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="inquiry_batch",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="担当課",
                    ),
                ),
            ],
            options={
                "verbose_name": "預貯金等照会",
                "verbose_name_plural": "預貯金等照会",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("period_from__isnull", True),
                            ("period_to__isnull", True),
                            ("period_from__lte", models.F("period_to")),
                            _connector="OR",
                        ),
                        name="inq_batch_period_ordered",
                        violation_error_message="照会期間の開始日は終了日以前にしてください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("reply_days__gte", 1), ("reply_days__lte", 120)),
                        name="inq_batch_reply_days_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("purpose", ""), _negated=True), name="inq_batch_purpose_given"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="BatchPerson",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="氏名")),
                ("kana", models.CharField(max_length=100, verbose_name="フリガナ")),
                ("birth_date", models.DateField(verbose_name="生年月日")),
                ("address", models.CharField(max_length=300, verbose_name="住所")),
                ("former_addresses", models.TextField(blank=True, verbose_name="旧住所（1行に1件）")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="inquiries",
                        to="inquiries.delinquentperson",
                        verbose_name="滞納者",
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="persons",
                        to="inquiries.inquirybatch",
                        verbose_name="照会",
                    ),
                ),
            ],
            options={
                "verbose_name": "照会対象者",
                "verbose_name_plural": "照会対象者",
                "ordering": ["batch_id", "kana", "pk"],
                "constraints": [models.UniqueConstraint(fields=("batch", "person"), name="inq_batch_person_unique")],
            },
        ),
        migrations.CreateModel(
            name="InquiryItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "batch_person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="inquiries.batchperson",
                        verbose_name="照会対象者",
                    ),
                ),
            ],
            options={
                "verbose_name": "照会明細",
                "verbose_name_plural": "照会明細",
                "ordering": ["letter_id", "batch_person_id"],
            },
        ),
        migrations.AddField(
            model_name="answer",
            name="item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="inquiries.inquiryitem",
                verbose_name="照会明細",
            ),
        ),
        migrations.CreateModel(
            name="Institution",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("bank", "銀行・信用金庫等"),
                            ("post_bank", "ゆうちょ銀行"),
                            ("insurer", "生命保険会社"),
                            ("securities", "証券会社"),
                            ("other", "その他"),
                        ],
                        max_length=20,
                        verbose_name="種類",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("kana", models.CharField(blank=True, max_length=100, verbose_name="フリガナ")),
                ("bank_code", models.CharField(blank=True, max_length=4, verbose_name="銀行コード")),
                ("branch_code", models.CharField(blank=True, max_length=3, verbose_name="支店コード")),
                ("branch_name", models.CharField(blank=True, max_length=100, verbose_name="支店名")),
                ("postal_code", models.CharField(blank=True, max_length=8, verbose_name="郵便番号")),
                ("address", models.CharField(max_length=300, verbose_name="送付先住所")),
                ("addressee", models.CharField(blank=True, max_length=100, verbose_name="宛先（部署）")),
                ("region", models.CharField(blank=True, max_length=40, verbose_name="地域")),
                (
                    "channel",
                    models.CharField(
                        choices=[("paper", "郵送（照会書）"), ("digital", "電子（照会ファイル）")],
                        default="paper",
                        max_length=10,
                        verbose_name="照会の方法",
                    ),
                ),
                (
                    "match_on",
                    models.CharField(
                        choices=[
                            ("kana_birth", "カナ氏名と生年月日"),
                            ("kana_birth_address", "カナ氏名、生年月日と住所"),
                        ],
                        default="kana_birth",
                        max_length=20,
                        verbose_name="照合の項目",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="有効")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
            ],
            options={
                "verbose_name": "照会先",
                "verbose_name_plural": "照会先",
                "ordering": ["kind", "bank_code", "kana", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["bank", "post_bank", "insurer", "securities", "other"])),
                        name="inq_institution_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("channel__in", ["paper", "digital"])), name="inq_institution_channel_valid"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("match_on__in", ["kana_birth", "kana_birth_address"])),
                        name="inq_institution_match_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "bank"), models.Q(("bank_code", ""), _negated=True)),
                            models.Q(models.Q(("kind", "bank"), _negated=True), ("bank_code", "")),
                            _connector="OR",
                        ),
                        name="inq_institution_bank_has_code",
                        violation_error_message="銀行・信用金庫等は銀行コードで登録し、その他の照会先には銀行コードを付けません。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("branch_code", ""), models.Q(("bank_code", ""), _negated=True), _connector="OR"
                        ),
                        name="inq_institution_branch_of_bank",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("name", ""), _negated=True), name="inq_institution_name_given"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("bank_code", ""), _negated=True),
                        fields=("bank_code",),
                        name="inq_institution_bank_unique",
                        violation_error_message="この銀行は既に照会先に登録されています。",
                    ),
                    models.UniqueConstraint(
                        fields=("name",),
                        name="inq_institution_name_unique",
                        violation_error_message="この名称の照会先は既に登録されています。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AnswerLayout",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("layout", models.JSONField(verbose_name="列の設定")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                (
                    "institution",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answer_layout",
                        to="inquiries.institution",
                        verbose_name="照会先",
                    ),
                ),
            ],
            options={
                "verbose_name": "回答ファイルの列の設定",
                "verbose_name_plural": "回答ファイルの列の設定",
            },
        ),
        migrations.CreateModel(
            name="Letter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField(blank=True, null=True, verbose_name="照会書番号")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "未送付"),
                            ("sent", "回答待ち"),
                            ("answered", "回答済"),
                            ("cancelled", "取消"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="状況",
                    ),
                ),
                ("sent_on", models.DateField(blank=True, null=True, verbose_name="送付日")),
                ("reply_deadline", models.DateField(blank=True, null=True, verbose_name="回答期限")),
                ("answered_on", models.DateField(blank=True, null=True, verbose_name="回答日")),
                ("reminded_on", models.DateField(blank=True, null=True, verbose_name="督促日")),
                ("reminders", models.PositiveSmallIntegerField(default=0, verbose_name="督促の回数")),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="letters",
                        to="inquiries.inquirybatch",
                        verbose_name="照会",
                    ),
                ),
                (
                    "institution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letters",
                        to="inquiries.institution",
                        verbose_name="照会先",
                    ),
                ),
            ],
            options={
                "verbose_name": "照会書",
                "verbose_name_plural": "照会書",
                "ordering": ["batch_id", models.OrderBy(models.F("number"), nulls_last=True), "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("batch", "institution"), name="inq_letter_institution_unique"),
                    models.UniqueConstraint(
                        condition=models.Q(("number__isnull", False)),
                        fields=("batch", "number"),
                        name="inq_letter_number_unique",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["pending", "sent", "answered", "cancelled"])),
                        name="inq_letter_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["pending", "cancelled"]), ("sent_on__isnull", False), _connector="OR"
                        ),
                        name="inq_letter_sent_has_date",
                        violation_error_message="送付済みの照会書には送付日が必要です。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("sent_on__isnull", True),
                            ("reply_deadline__isnull", True),
                            ("reply_deadline__gte", models.F("sent_on")),
                            _connector="OR",
                        ),
                        name="inq_letter_deadline_after_sending",
                        violation_error_message="回答期限は送付日以降にしてください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "answered"), _negated=True),
                            ("answered_on__isnull", False),
                            _connector="OR",
                        ),
                        name="inq_letter_answered_has_date",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="inquiryitem",
            name="letter",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="inquiries.letter",
                verbose_name="照会書",
            ),
        ),
        migrations.AddField(
            model_name="answerfile",
            name="letter",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answer_files",
                to="inquiries.letter",
                verbose_name="照会書",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="letter",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="inquiries.letter",
                verbose_name="照会書",
            ),
        ),
        migrations.CreateModel(
            name="PersonImport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="取込日時")),
                ("file_name", models.CharField(max_length=255, verbose_name="ファイル名")),
                ("file_sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("dry_run", models.BooleanField(default=False, verbose_name="試行")),
                ("written", models.BooleanField(default=False, verbose_name="登録済")),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="行数")),
                ("created", models.PositiveIntegerField(default=0, verbose_name="新規")),
                ("updated", models.PositiveIntegerField(default=0, verbose_name="更新")),
                ("unchanged", models.PositiveIntegerField(default=0, verbose_name="変更なし")),
                ("refused", models.PositiveIntegerField(default=0, verbose_name="誤りのある行")),
                ("report", models.JSONField(default=dict, verbose_name="結果")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="取込者",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="担当課",
                    ),
                ),
            ],
            options={
                "verbose_name": "滞納者一覧の取込",
                "verbose_name_plural": "滞納者一覧の取込",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["section", "-created_at"], name="inq_person_import_recent_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("dry_run", True), ("written", True), _negated=True),
                        name="inq_person_import_dry_not_written",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PersonImportLayout",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("layout", models.JSONField(verbose_name="列の設定")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                (
                    "section",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="担当課",
                    ),
                ),
            ],
            options={
                "verbose_name": "滞納者一覧の列の設定",
                "verbose_name_plural": "滞納者一覧の列の設定",
            },
        ),
        migrations.CreateModel(
            name="Reminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField(verbose_name="督促の回数")),
                ("sent_on", models.DateField(verbose_name="督促日")),
                ("reply_deadline", models.DateField(verbose_name="新しい回答期限")),
                ("previous_deadline", models.DateField(verbose_name="元の回答期限")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="記録日時")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="督促した職員",
                    ),
                ),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminder_rows",
                        to="inquiries.letter",
                        verbose_name="照会書",
                    ),
                ),
            ],
            options={
                "verbose_name": "督促",
                "verbose_name_plural": "督促",
                "ordering": ["letter_id", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("letter", "number"), name="inq_reminder_number_unique"),
                    models.CheckConstraint(condition=models.Q(("number__gte", 1)), name="inq_reminder_number_positive"),
                    models.CheckConstraint(
                        condition=models.Q(("reply_deadline__gte", models.F("sent_on"))),
                        name="inq_reminder_deadline_after_sending",
                        violation_error_message="新しい回答期限は督促日以降にしてください。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LetterFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("letter", "照会書・回答書（PDF）"),
                            ("request", "照会ファイル（CSV）"),
                            ("reminder", "督促状（PDF）"),
                        ],
                        max_length=10,
                        verbose_name="種類",
                    ),
                ),
                (
                    "file",
                    models.FileField(max_length=255, upload_to="inquiries/letters/%Y/%m/", verbose_name="ファイル"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="ファイル名")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("size", models.PositiveIntegerField(verbose_name="サイズ（バイト）")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="files",
                        to="inquiries.letter",
                        verbose_name="照会書",
                    ),
                ),
                (
                    "reminder",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="files",
                        to="inquiries.reminder",
                        verbose_name="督促",
                    ),
                ),
            ],
            options={
                "verbose_name": "照会のファイル",
                "verbose_name_plural": "照会のファイル",
                "ordering": ["letter_id", "kind", "reminder_id", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["letter", "request", "reminder"])),
                        name="inq_letter_file_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "reminder"), ("reminder__isnull", False)),
                            models.Q(models.Q(("kind", "reminder"), _negated=True), ("reminder__isnull", True)),
                            _connector="OR",
                        ),
                        name="inq_letter_file_reminder_kind",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("reminder__isnull", True)),
                        fields=("letter", "kind"),
                        name="inq_letter_file_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("reminder__isnull", False)),
                        fields=("reminder",),
                        name="inq_reminder_file_once",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TaxItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tax", models.CharField(max_length=40, verbose_name="税目")),
                ("fiscal_year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("amount", models.BigIntegerField(verbose_name="金額")),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="納期限")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tax_items",
                        to="inquiries.delinquentperson",
                        verbose_name="滞納者",
                    ),
                ),
            ],
            options={
                "verbose_name": "滞納税目",
                "verbose_name_plural": "滞納税目",
                "ordering": ["person_id", "fiscal_year", models.OrderBy(models.F("due_on"), nulls_last=True), "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)), name="inq_tax_item_amount_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("fiscal_year__gte", 1989), ("fiscal_year__lte", 2200)),
                        name="inq_tax_item_year_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("tax", ""), _negated=True), name="inq_tax_item_tax_given"
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="inquiryitem",
            constraint=models.UniqueConstraint(fields=("letter", "batch_person"), name="inq_item_unique"),
        ),
        migrations.AddConstraint(
            model_name="answerfile",
            constraint=models.UniqueConstraint(
                fields=("letter", "sha256"),
                name="inq_answer_file_once",
                violation_error_message="この回答ファイルは既に取り込まれています。",
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(fields=["letter", "match_status"], name="inq_answer_status_idx"),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.CheckConstraint(
                condition=models.Q(("result__in", ["found", "none"])), name="inq_answer_result_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.CheckConstraint(
                condition=models.Q(("match_status__in", ["matched", "unmatched", "ambiguous", "decided", "not_ours"])),
                name="inq_answer_match_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("match_status__in", ("matched", "decided")), ("item__isnull", False)),
                    models.Q(
                        models.Q(("match_status__in", ("matched", "decided")), _negated=True), ("item__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="inq_answer_matched_has_item",
            ),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("answer_file__isnull", False)),
                fields=("answer_file", "row_number"),
                name="inq_answer_row_once",
            ),
        ),
    ]
