"""The documents app's migrations 0001 to 0012 in one (squashed): a new database is built from this file
in one step (the 16 replaced files took most of a fresh ``migrate``'s half minute); a database that
applied them goes on from there. The replaced files stay until every installation has passed them.

Kept from them for a new database: the append-only guard of the history table (0004). The rest of
their data steps only moved rows that a new database does not have.
"""

import datetime

import django.db.models.deletion
import django.db.models.functions.comparison
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The history table is append-only in the database too (from 0004): on PostgreSQL a trigger refuses
# UPDATE and DELETE (TRUNCATE stays for Django's ``flush``), on SQLite UPDATE.
PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION documents_documentevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '文書の履歴は追記専用です: % は許可されていません', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER documents_documentevent_append_only
    BEFORE UPDATE OR DELETE ON documents_documentevent
    FOR EACH ROW EXECUTE FUNCTION documents_documentevent_append_only()
    """,
]
PG_REMOVE = [
    "DROP TRIGGER IF EXISTS documents_documentevent_append_only ON documents_documentevent",
    "DROP FUNCTION IF EXISTS documents_documentevent_append_only()",
]
SQLITE_INSTALL = [
    """
    CREATE TRIGGER documents_documentevent_no_update BEFORE UPDATE ON documents_documentevent
    BEGIN SELECT RAISE(ABORT, '文書の履歴は追記専用です: UPDATE は許可されていません'); END
    """,
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS documents_documentevent_no_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("documents", "0001_initial"),
        ("documents", "0002_disposal"),
        ("documents", "0003_inbox_indexes"),
        ("documents", "0004_document_history"),
        ("documents", "0005_mandatory_consult"),
        ("documents", "0006_old_register"),
        ("documents", "0007_decided_at_index"),
        ("documents", "0008_delegation_rules_as_data"),
        ("documents", "0008_disposal_lists"),
        ("documents", "0008_file_plan_class_valid_to"),
        ("documents", "0008_receipt_numbers_files_readers"),
        ("documents", "0009_merge_rules_and_receipts"),
        ("documents", "0009_storerooms_boxes_and_loans"),
        ("documents", "0010_merge_records_screens"),
        ("documents", "0011_updated_at_index"),
        ("documents", "0012_merge_disposal_lists"),
    ]

    dependencies = [
        ("core", "0002_audit_append_only"),
        ("org", "0003_executive_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DelegationRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "budget_setsu",
                    models.CharField(
                        blank=True,
                        help_text="節の番号（例: 14 工事請負費）。空欄はすべての節。",
                        max_length=10,
                        verbose_name="予算の節",
                    ),
                ),
                ("amount_below", models.BigIntegerField(blank=True, null=True, verbose_name="金額（未満）")),
                (
                    "label",
                    models.CharField(
                        help_text="例: 「課長専決」「市長決裁」。", max_length=20, verbose_name="決裁区分"
                    ),
                ),
                ("valid_from", models.DateField(default=datetime.date(2000, 4, 1), verbose_name="施行日")),
                (
                    "valid_to",
                    models.DateField(
                        blank=True, help_text="この日まで有効。空欄は廃止の予定なし。", null=True, verbose_name="廃止日"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="改正の理由・備考")),
                (
                    "consult_units",
                    models.ManyToManyField(
                        blank=True,
                        help_text="この行で決裁する文書に必ず合議する課（例: 契約の契約管財課）。起案者は外せません。",
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="必須合議先",
                    ),
                ),
                (
                    "decider_post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.post",
                        verbose_name="決裁する職",
                    ),
                ),
                (
                    "replaces",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.delegationrule",
                        verbose_name="改正前の行",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        help_text="空欄は全庁。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="対象の部・課",
                    ),
                ),
            ],
            options={
                "verbose_name": "決裁区分",
                "verbose_name_plural": "事務決裁規程",
                "ordering": [
                    "matter_kind",
                    "unit_id",
                    "budget_setsu",
                    models.OrderBy(models.F("amount_below"), nulls_last=True),
                ],
            },
        ),
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("number", models.PositiveIntegerField(verbose_name="文書番号")),
                ("sub_number", models.PositiveSmallIntegerField(default=0, verbose_name="枝番")),
                ("number_label", models.CharField(max_length=40, verbose_name="文書番号（表示）")),
                ("title", models.CharField(max_length=200, verbose_name="件名")),
                ("body", models.TextField(blank=True, verbose_name="本文")),
                ("amount", models.BigIntegerField(blank=True, null=True, verbose_name="金額")),
                ("is_confidential", models.BooleanField(default=False, verbose_name="秘")),
                ("has_personal_info", models.BooleanField(default=False, verbose_name="個人情報あり")),
                ("is_important", models.BooleanField(default=False, verbose_name="重要（代決不可）")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "起案中"),
                            ("circulating", "回議中"),
                            ("sent_back", "差戻し"),
                            ("decided", "決裁済"),
                            ("rejected", "却下"),
                            ("withdrawn", "取下げ"),
                            ("closed", "完結"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=12,
                        verbose_name="状態",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="版")),
                ("current_round", models.PositiveSmallIntegerField(default=0, verbose_name="回議回数")),
                ("doc_type", models.CharField(blank=True, max_length=40, verbose_name="文書の型")),
                ("drafted_on", models.DateField(verbose_name="起案日")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="回議開始日時")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="決裁日時")),
                ("issued_on", models.DateField(blank=True, null=True, verbose_name="施行日")),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="完結日")),
                ("decision_label", models.CharField(blank=True, max_length=20, verbose_name="決裁区分")),
                ("decided_by_proxy", models.BooleanField(default=False, verbose_name="代決")),
                (
                    "retention_years",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "1年"), (3, "3年"), (5, "5年"), (10, "10年"), (30, "30年"), (0, "永年")],
                        default=5,
                        verbose_name="保存期間",
                    ),
                ),
                ("expires_on", models.DateField(blank=True, null=True, verbose_name="保存期間満了日")),
                (
                    "expiry_action",
                    models.CharField(
                        choices=[("dispose", "廃棄"), ("transfer", "移管")],
                        default="dispose",
                        max_length=10,
                        verbose_name="満了時の措置",
                    ),
                ),
                (
                    "medium",
                    models.CharField(
                        choices=[("electronic", "電子"), ("paper", "紙")],
                        default="electronic",
                        max_length=10,
                        verbose_name="媒体",
                    ),
                ),
                ("paper_reason", models.CharField(blank=True, max_length=200, verbose_name="紙で決裁する理由")),
                ("location", models.CharField(blank=True, max_length=100, verbose_name="保管場所")),
                ("old_number", models.CharField(blank=True, max_length=40, verbose_name="旧文書番号")),
                ("old_decider", models.CharField(blank=True, max_length=100, verbose_name="決裁者（旧文書管理簿）")),
                (
                    "disposition",
                    models.CharField(
                        blank=True,
                        choices=[("", "保存中"), ("disposed", "廃棄済"), ("transferred", "移管済")],
                        default="",
                        max_length=12,
                        verbose_name="廃棄・移管",
                    ),
                ),
                ("disposed_on", models.DateField(blank=True, null=True, verbose_name="廃棄・移管日")),
                (
                    "signed_pdf",
                    models.FileField(blank=True, upload_to="documents/signed/%Y/", verbose_name="署名済みPDF"),
                ),
                ("signed_pdf_sha256", models.CharField(blank=True, max_length=64, verbose_name="署名済みPDFのSHA-256")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="決裁者",
                    ),
                ),
                (
                    "delegation_rule",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.delegationrule",
                        verbose_name="適用した事務決裁規程の行",
                    ),
                ),
                (
                    "drafter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="drafted_documents",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="起案者",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="org.orgunit",
                        verbose_name="課",
                    ),
                ),
            ],
            options={
                "verbose_name": "文書",
                "verbose_name_plural": "文書管理簿",
                "ordering": ["-fiscal_year", "section_id", "-number", "-sub_number"],
            },
        ),
        migrations.CreateModel(
            name="DocumentComment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("round", models.PositiveSmallIntegerField(default=0, verbose_name="回")),
                ("body", models.TextField(verbose_name="コメント")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="投稿日時")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name="投稿者"
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="comments",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
            ],
            options={
                "verbose_name": "コメント",
                "verbose_name_plural": "コメント",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="FilePlanClass",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "大分類"), (2, "中分類"), (3, "小分類")], verbose_name="分類階層"
                    ),
                ),
                ("code", models.CharField(max_length=30, unique=True, verbose_name="分類コード")),
                ("name", models.CharField(max_length=100, verbose_name="分類名")),
                (
                    "retention_years",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "1年"), (3, "3年"), (5, "5年"), (10, "10年"), (30, "30年"), (0, "永年")],
                        default=5,
                        verbose_name="保存期間",
                    ),
                ),
                (
                    "expiry_action",
                    models.CharField(
                        choices=[("dispose", "廃棄"), ("transfer", "移管")],
                        default="dispose",
                        max_length=10,
                        verbose_name="満了時の措置",
                    ),
                ),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="表示順")),
                (
                    "valid_to",
                    models.DateField(
                        blank=True, help_text="この日まで使えます。空欄は使用中。", null=True, verbose_name="廃止日"
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="documents.fileplanclass",
                        verbose_name="上位分類",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="file_plan",
                        to="org.orgunit",
                        verbose_name="主管課",
                    ),
                ),
            ],
            options={
                "verbose_name": "文書分類",
                "verbose_name_plural": "文書分類表",
                "ordering": ["sort_order", "code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("retention_years__in", [1, 3, 5, 10, 30, 0])),
                        name="doc_fileplan_retention_valid",
                        violation_error_message="保存期間は1・3・5・10・30年または永年から選んでください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("level", 1), ("parent__isnull", True)),
                            models.Q(("level__in", [2, 3]), ("parent__isnull", False)),
                            _connector="OR",
                        ),
                        name="doc_fileplan_parent_by_level",
                        violation_error_message="大分類は上位分類を持たず、中分類・小分類には上位分類が必要です。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("expiry_action__in", ["dispose", "transfer"])),
                        name="doc_fileplan_expiry_action_valid",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="document",
            name="file_plan_class",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.fileplanclass",
                verbose_name="文書分類",
            ),
        ),
        migrations.CreateModel(
            name="FormalAddition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("field", models.CharField(max_length=40, verbose_name="項目")),
                ("before", models.TextField(blank=True, verbose_name="補正前")),
                ("after", models.TextField(blank=True, verbose_name="補正後")),
                ("reason", models.CharField(max_length=200, verbose_name="理由")),
                ("made_at", models.DateTimeField(auto_now_add=True, verbose_name="補正日時")),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="additions",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name="補正者"
                    ),
                ),
            ],
            options={
                "verbose_name": "原議の補正",
                "verbose_name_plural": "原議の補正",
                "ordering": ["-made_at"],
            },
        ),
        migrations.CreateModel(
            name="MatterKind",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=30, unique=True, verbose_name="コード")),
                ("name", models.CharField(max_length=50, verbose_name="名称")),
                ("amount_based", models.BooleanField(default=False, verbose_name="金額で決裁区分が変わる")),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="表示順")),
                (
                    "consult_units",
                    models.ManyToManyField(
                        blank=True,
                        help_text="この種類の文書に必ず合議する課（例: 予備費充用の財政課）。起案者は外せません。",
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="必須合議先",
                    ),
                ),
            ],
            options={
                "verbose_name": "事案の種類",
                "verbose_name_plural": "事案の種類",
                "ordering": ["sort_order", "code"],
            },
        ),
        migrations.AddField(
            model_name="document",
            name="matter_kind",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.matterkind",
                verbose_name="事案の種類",
            ),
        ),
        migrations.AddField(
            model_name="delegationrule",
            name="matter_kind",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="delegation_rules",
                to="documents.matterkind",
                verbose_name="事案の種類",
            ),
        ),
        migrations.CreateModel(
            name="PendingFileDeletion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=255, unique=True, verbose_name="保存名")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="登録日時")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="削除の試行回数")),
                (
                    "disposal_list",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.document",
                        verbose_name="廃棄・移管リスト",
                    ),
                ),
            ],
            options={
                "verbose_name": "削除待ちのファイル",
                "verbose_name_plural": "削除待ちのファイル",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Receipt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("number", models.PositiveIntegerField(verbose_name="収受番号（番号）")),
                ("number_label", models.CharField(max_length=40, verbose_name="収受番号")),
                ("received_on", models.DateField(verbose_name="収受日")),
                (
                    "channel",
                    models.CharField(
                        choices=[("paper", "紙"), ("electronic", "電子（メール等）"), ("online", "オンライン申請")],
                        default="paper",
                        max_length=12,
                        verbose_name="収受の方法",
                    ),
                ),
                ("sender", models.CharField(max_length=100, verbose_name="発信者")),
                ("sender_address", models.CharField(blank=True, max_length=200, verbose_name="発信者の住所")),
                ("sender_number", models.CharField(blank=True, max_length=60, verbose_name="相手方文書番号")),
                ("title", models.CharField(max_length=200, verbose_name="件名")),
                ("addressee", models.CharField(blank=True, max_length=100, verbose_name="宛先")),
                ("has_personal_info", models.BooleanField(default=False, verbose_name="個人情報あり")),
                ("procedure", models.CharField(blank=True, max_length=100, verbose_name="手続名")),
                ("application_number", models.CharField(blank=True, max_length=60, verbose_name="申請番号")),
                ("applied_at", models.DateTimeField(blank=True, null=True, verbose_name="申請日時")),
                ("reply_needed", models.BooleanField(default=False, verbose_name="回答要")),
                ("reply_deadline", models.DateField(blank=True, null=True, verbose_name="回答期限")),
                ("circulated_at", models.DateTimeField(blank=True, null=True, verbose_name="供覧日時")),
                ("circulation_done_at", models.DateTimeField(blank=True, null=True, verbose_name="供覧完了日時")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answered_receipts",
                        to="documents.document",
                        verbose_name="回答文書",
                    ),
                ),
                (
                    "registered_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登録者",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="収受した課",
                    ),
                ),
            ],
            options={
                "verbose_name": "収受",
                "verbose_name_plural": "収受簿",
                "ordering": ["-received_on", "-pk"],
                "indexes": [models.Index(fields=["section", "received_on"], name="doc_receipt_section_day")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("reply_deadline__isnull", True),
                            ("reply_deadline__gte", models.F("received_on")),
                            _connector="OR",
                        ),
                        name="doc_receipt_deadline_after_received",
                        violation_error_message="回答期限は収受日以降の日付にしてください。",
                    ),
                    models.UniqueConstraint(
                        fields=("section", "fiscal_year", "number"),
                        name="doc_receipt_number_unique",
                        violation_error_message="この収受番号は既に使われています。",
                    ),
                    models.CheckConstraint(condition=models.Q(("number__gte", 1)), name="doc_receipt_number_positive"),
                    models.CheckConstraint(
                        condition=models.Q(("channel__in", ["paper", "electronic", "online"])),
                        name="doc_receipt_channel_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("channel", "online"), models.Q(("application_number", ""), _negated=True)),
                            models.Q(models.Q(("channel", "online"), _negated=True), ("application_number", "")),
                            _connector="OR",
                        ),
                        name="doc_receipt_online_has_application",
                        violation_error_message="オンライン申請の収受には申請番号が必要です（それ以外には付けません）。",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("application_number", ""), _negated=True),
                        fields=("application_number",),
                        name="doc_receipt_application_unique",
                        violation_error_message="この申請番号の申請は既に収受されています。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("circulation_done_at__isnull", True), ("circulated_at__isnull", False), _connector="OR"
                        ),
                        name="doc_receipt_done_after_circulated",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ReceiptFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.FileField(max_length=255, upload_to="documents/receipts/%Y/%m/", verbose_name="ファイル"),
                ),
                ("name", models.CharField(max_length=255, verbose_name="ファイル名")),
                (
                    "origin",
                    models.CharField(
                        choices=[("scan", "紙の写し（スキャン）"), ("original", "電子の原本")],
                        default="original",
                        max_length=10,
                        verbose_name="種別",
                    ),
                ),
                ("content_type", models.CharField(max_length=100, verbose_name="種類")),
                ("size", models.PositiveBigIntegerField(verbose_name="サイズ")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("extracted_text", models.TextField(blank=True, verbose_name="抽出テキスト")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "receipt",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="files",
                        to="documents.receipt",
                        verbose_name="収受文書",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登録者",
                    ),
                ),
            ],
            options={
                "verbose_name": "収受文書のファイル",
                "verbose_name_plural": "収受文書のファイル",
                "ordering": ["receipt_id", "uploaded_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("size__gt", 0)),
                        name="doc_receipt_file_not_empty",
                        violation_error_message="空のファイルです。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("origin__in", ["scan", "original"])), name="doc_receipt_file_origin_valid"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ReceiptNumberCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("last_number", models.PositiveIntegerField(default=0, verbose_name="最終番号")),
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
                "verbose_name": "収受番号",
                "verbose_name_plural": "収受番号",
                "constraints": [
                    models.UniqueConstraint(fields=("section", "fiscal_year"), name="doc_receipt_counter_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="ReceiptReader",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "post_name",
                    models.CharField(
                        help_text="供覧した日の所属と職（例: 総務課長）。", max_length=100, verbose_name="職"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="順")),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="供覧日時")),
                ("seen_at", models.DateTimeField(blank=True, null=True, verbose_name="閲覧日時")),
                (
                    "reader",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="供覧先",
                    ),
                ),
                (
                    "receipt",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="readers",
                        to="documents.receipt",
                        verbose_name="収受文書",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="供覧した職員",
                    ),
                ),
            ],
            options={
                "verbose_name": "供覧先",
                "verbose_name_plural": "供覧先",
                "ordering": ["receipt_id", "position", "pk"],
                "indexes": [models.Index(fields=["reader", "seen_at"], name="doc_receipt_reader_open")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("receipt", "reader"),
                        name="doc_receipt_reader_once",
                        violation_error_message="同じ職員に二度供覧することはできません。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RecordLoan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("purpose", models.CharField(max_length=200, verbose_name="借覧の目的")),
                ("lent_on", models.DateField(verbose_name="貸出日")),
                ("due_on", models.DateField(verbose_name="返却期限")),
                ("returned_on", models.DateField(blank=True, null=True, verbose_name="返却日")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "borrower",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="借受者",
                    ),
                ),
                (
                    "borrower_section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="借受者の課",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="loans",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "lent_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="貸出の処理者",
                    ),
                ),
                (
                    "returned_to",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="返却の処理者",
                    ),
                ),
            ],
            options={
                "verbose_name": "借覧",
                "verbose_name_plural": "借覧",
                "ordering": ["-lent_on", "-pk"],
                "indexes": [
                    models.Index(fields=["returned_on", "due_on"], name="doc_loan_open_due"),
                    models.Index(fields=["borrower", "returned_on"], name="doc_loan_borrower_open"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("returned_on__isnull", True)),
                        fields=("document",),
                        name="doc_loan_one_open",
                        violation_error_message="この文書は貸出中です。返却されてから貸し出してください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("due_on__gte", models.F("lent_on"))),
                        name="doc_loan_due_after_lent",
                        violation_error_message="返却期限は貸出日以降の日付にしてください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("returned_on__isnull", True), ("returned_to__isnull", True)),
                            models.Q(("returned_on__gte", models.F("lent_on")), ("returned_to__isnull", False)),
                            _connector="OR",
                        ),
                        name="doc_loan_returned_after_lent",
                        violation_error_message="返却日は貸出日以降の日付にしてください。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="RetentionExtension",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("previous_years", models.PositiveSmallIntegerField(verbose_name="延長前の保存期間")),
                ("new_years", models.PositiveSmallIntegerField(verbose_name="延長後の保存期間")),
                ("previous_expires_on", models.DateField(blank=True, null=True, verbose_name="延長前の満了日")),
                ("new_expires_on", models.DateField(blank=True, null=True, verbose_name="延長後の満了日")),
                ("reason", models.CharField(max_length=200, verbose_name="理由")),
                ("extended_at", models.DateTimeField(auto_now_add=True, verbose_name="延長日時")),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="extensions",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "extended_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name="延長者"
                    ),
                ),
            ],
            options={
                "verbose_name": "保存期間の延長",
                "verbose_name_plural": "保存期間の延長",
                "ordering": ["-extended_at"],
            },
        ),
        migrations.CreateModel(
            name="RouteStep",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("round", models.PositiveSmallIntegerField(verbose_name="回")),
                ("order", models.PositiveSmallIntegerField(verbose_name="順")),
                ("stage", models.PositiveSmallIntegerField(verbose_name="段")),
                (
                    "kind",
                    models.CharField(
                        choices=[("review", "回議"), ("consult", "合議"), ("decide", "決裁")],
                        max_length=10,
                        verbose_name="種別",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("waiting", "待機"),
                            ("pending", "処理待ち"),
                            ("approved", "承認"),
                            ("agreed", "合意"),
                            ("objected", "異議"),
                            ("sent_back", "差戻し"),
                            ("rejected", "却下"),
                            ("skipped", "後閲待ち"),
                            ("decided", "決裁"),
                            ("cancelled", "取消"),
                        ],
                        default="waiting",
                        max_length=10,
                        verbose_name="状態",
                    ),
                ),
                ("acted_at", models.DateTimeField(blank=True, null=True, verbose_name="処理日時")),
                ("by_proxy", models.BooleanField(default=False, verbose_name="代")),
                ("comment", models.TextField(blank=True, verbose_name="意見")),
                (
                    "acted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="処理者",
                    ),
                ),
                (
                    "assignee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="route_steps",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="担当者",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="steps",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="org.post",
                        verbose_name="職",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="org.orgunit",
                        verbose_name="組織",
                    ),
                ),
            ],
            options={
                "verbose_name": "回議の段",
                "verbose_name_plural": "回議ルート",
                "ordering": ["document_id", "round", "order"],
                "indexes": [
                    models.Index(fields=["assignee", "state"], name="doc_step_assignee_state"),
                    models.Index(fields=["acted_by", "document"], name="doc_step_acted_by_document"),
                    models.Index(fields=["document", "round", "state"], name="doc_step_doc_round_state"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("document", "round", "order"), name="doc_step_order_unique"),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "state__in",
                                [
                                    "waiting",
                                    "pending",
                                    "approved",
                                    "agreed",
                                    "objected",
                                    "sent_back",
                                    "rejected",
                                    "skipped",
                                    "decided",
                                    "cancelled",
                                ],
                            )
                        ),
                        name="doc_step_state_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["review", "consult", "decide"])), name="doc_step_kind_valid"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("state__in", ["waiting", "pending", "cancelled"]),
                            ("acted_at__isnull", False),
                            _connector="OR",
                        ),
                        name="doc_step_acted_has_time",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PostReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="後閲日時")),
                ("comment", models.TextField(blank=True, verbose_name="意見")),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="post_reviews",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="post_reviews",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="後閲者",
                    ),
                ),
                (
                    "step",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="post_review",
                        to="documents.routestep",
                        verbose_name="段",
                    ),
                ),
            ],
            options={
                "verbose_name": "後閲",
                "verbose_name_plural": "後閲",
                "ordering": ["-created_at"],
                "indexes": [models.Index(fields=["reviewer", "done_at"], name="doc_postreview_reviewer")],
            },
        ),
        migrations.CreateModel(
            name="DocumentEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("round", models.PositiveSmallIntegerField(default=0, verbose_name="回")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("submit", "回議開始"),
                            ("resubmit", "再回議"),
                            ("approve", "承認"),
                            ("decide", "決裁"),
                            ("decide_proxy", "代決"),
                            ("agree", "合議（合意）"),
                            ("object", "合議（異議）"),
                            ("send_back", "差戻し"),
                            ("reject", "却下"),
                            ("pull_back", "引戻し"),
                            ("pull_back_approval", "承認の引戻し"),
                            ("withdraw", "取下げ"),
                            ("skip", "不在のため後閲へ"),
                            ("post_review", "後閲"),
                            ("comment", "コメント"),
                            ("issue", "施行"),
                            ("close", "完結"),
                        ],
                        max_length=20,
                        verbose_name="処理",
                    ),
                ),
                ("post", models.CharField(blank=True, max_length=200, verbose_name="職")),
                ("at", models.DateTimeField(verbose_name="日時")),
                ("comment", models.TextField(blank=True, verbose_name="意見")),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="処理者",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "step",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="documents.routestep",
                        verbose_name="回議の段",
                    ),
                ),
                (
                    "target_step",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.routestep",
                        verbose_name="差戻し先",
                    ),
                ),
            ],
            options={
                "verbose_name": "履歴",
                "verbose_name_plural": "履歴",
                "ordering": ["document_id", "at", "pk"],
                "indexes": [models.Index(fields=["document", "at"], name="doc_event_document_at")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "submit",
                                    "resubmit",
                                    "approve",
                                    "decide",
                                    "decide_proxy",
                                    "agree",
                                    "object",
                                    "send_back",
                                    "reject",
                                    "pull_back",
                                    "pull_back_approval",
                                    "withdraw",
                                    "skip",
                                    "post_review",
                                    "comment",
                                    "issue",
                                    "close",
                                ],
                            )
                        ),
                        name="doc_event_kind_valid",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SavedRoute",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, verbose_name="名称")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                (
                    "consult_units",
                    models.ManyToManyField(blank=True, related_name="+", to="org.orgunit", verbose_name="合議先"),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_routes",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="所有者",
                    ),
                ),
                (
                    "reviewers",
                    models.ManyToManyField(
                        blank=True, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="追加の回議者"
                    ),
                ),
            ],
            options={
                "verbose_name": "マイルート",
                "verbose_name_plural": "マイルート",
                "ordering": ["owner_id", "name"],
                "constraints": [models.UniqueConstraint(fields=("owner", "name"), name="doc_savedroute_unique_name")],
            },
        ),
        migrations.CreateModel(
            name="StorageBox",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.CharField(max_length=40, verbose_name="箱番号")),
                ("shelf", models.CharField(blank=True, max_length=40, verbose_name="棚")),
                ("fiscal_year", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="年度")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="備考")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登録者",
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
                "verbose_name": "文書保存箱",
                "verbose_name_plural": "文書保存箱",
                "ordering": ["storeroom__name", "shelf", "label"],
            },
        ),
        migrations.CreateModel(
            name="StoredRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("placed_at", models.DateTimeField(verbose_name="収納日時")),
                (
                    "box",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="documents.storagebox",
                        verbose_name="文書保存箱",
                    ),
                ),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="storage",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "placed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="収納者",
                    ),
                ),
            ],
            options={
                "verbose_name": "書庫への収納",
                "verbose_name_plural": "書庫への収納",
            },
        ),
        migrations.CreateModel(
            name="Storeroom",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="書庫名")),
                (
                    "place",
                    models.CharField(blank=True, help_text="例: 本庁舎 地下1階", max_length=200, verbose_name="所在"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
            ],
            options={
                "verbose_name": "書庫",
                "verbose_name_plural": "書庫",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("name",),
                        name="doc_storeroom_name_unique",
                        violation_error_message="同じ名前の書庫があります。",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="storagebox",
            name="storeroom",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="boxes",
                to="documents.storeroom",
                verbose_name="書庫",
            ),
        ),
        migrations.CreateModel(
            name="DisposalListItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "action",
                    models.CharField(
                        choices=[("dispose", "廃棄"), ("transfer", "移管")], max_length=10, verbose_name="措置"
                    ),
                ),
                ("expires_on", models.DateField(verbose_name="保存期間満了日（作成時）")),
                (
                    "outcome",
                    models.CharField(
                        choices=[("pending", "決裁待ち"), ("done", "実施済"), ("skipped", "除外")],
                        default="pending",
                        max_length=10,
                        verbose_name="結果",
                    ),
                ),
                ("done_on", models.DateField(blank=True, null=True, verbose_name="実施日")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="備考")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="作成日時")),
                (
                    "disposal_list",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disposal_items",
                        to="documents.document",
                        verbose_name="廃棄・移管リスト",
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.document",
                        verbose_name="対象文書",
                    ),
                ),
            ],
            options={
                "verbose_name": "廃棄・移管リストの明細",
                "verbose_name_plural": "廃棄・移管リストの明細",
                "ordering": ["disposal_list_id", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("disposal_list", "record"), name="doc_disposal_item_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("action__in", ["dispose", "transfer"])), name="doc_disposal_action_valid"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("outcome__in", ["pending", "done", "skipped"])),
                        name="doc_disposal_outcome_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("outcome", "done"), _negated=True), ("done_on__isnull", False), _connector="OR"
                        ),
                        name="doc_disposal_done_has_date",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DisposalList",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("due_by", models.DateField(verbose_name="保存期間満了日（この日まで）")),
                ("generated", models.BooleanField(default=False, verbose_name="文書主管による作成")),
                ("carried_out_at", models.DateTimeField(blank=True, null=True, verbose_name="実施日時")),
                (
                    "package",
                    models.FileField(
                        blank=True, max_length=255, upload_to="documents/transfers/%Y/", verbose_name="移管パッケージ"
                    ),
                ),
                ("package_sha256", models.CharField(blank=True, max_length=64, verbose_name="移管パッケージのSHA-256")),
                (
                    "package_size",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="移管パッケージのサイズ"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name="作成者"
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disposal_lists",
                        to="org.orgunit",
                        verbose_name="対象の課",
                    ),
                ),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disposal_list_row",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
            ],
            options={
                "verbose_name": "廃棄・移管リスト",
                "verbose_name_plural": "廃棄・移管リスト",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("package", ""),
                            models.Q(models.Q(("package_sha256", ""), _negated=True), ("package_size__gt", 0)),
                            _connector="OR",
                        ),
                        name="doc_disposal_package_has_hash",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Attachment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.FileField(max_length=255, upload_to="documents/attachments/%Y/%m/", verbose_name="ファイル"),
                ),
                ("name", models.CharField(max_length=255, verbose_name="ファイル名")),
                ("content_type", models.CharField(max_length=100, verbose_name="種類")),
                ("size", models.PositiveBigIntegerField(verbose_name="サイズ")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("extracted_text", models.TextField(blank=True, verbose_name="抽出テキスト")),
                ("added_after_decision", models.BooleanField(default=False, verbose_name="決裁後の追加")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name="登録者"
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attachments",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
            ],
            options={
                "verbose_name": "添付ファイル",
                "verbose_name_plural": "添付ファイル",
                "ordering": ["document_id", "uploaded_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("size__gt", 0)),
                        name="doc_attachment_not_empty",
                        violation_error_message="空のファイルです。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DocumentNumberCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fiscal_year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("last_number", models.PositiveIntegerField(default=0, verbose_name="最終番号")),
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
                "verbose_name": "文書番号",
                "verbose_name_plural": "文書番号",
                "constraints": [models.UniqueConstraint(fields=("section", "fiscal_year"), name="doc_counter_unique")],
            },
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["drafter", "status"], name="doc_drafter_status"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["section", "fiscal_year", "status"], name="doc_section_year_status"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["expires_on"], name="doc_expires_on"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["decided_at"], name="doc_decided_at"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["updated_at"], name="doc_updated_at"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("section", "fiscal_year", "number", "sub_number"),
                name="doc_number_unique",
                violation_error_message="この文書番号は既に使われています。",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__isnull", True), ("amount__gte", 0), _connector="OR"),
                name="doc_amount_not_negative",
                violation_error_message="金額は0円以上にしてください。",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(condition=models.Q(("number__gte", 1)), name="doc_number_positive"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(condition=models.Q(("version__gte", 1)), name="doc_version_positive"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["draft", "circulating", "sent_back", "decided", "rejected", "withdrawn", "closed"])
                ),
                name="doc_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("retention_years__in", [1, 3, 5, 10, 30, 0])),
                name="doc_retention_valid",
                violation_error_message="保存期間は1・3・5・10・30年または永年から選んでください。",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("medium", "electronic"),
                    models.Q(("medium", "paper"), models.Q(("paper_reason", ""), _negated=True)),
                    _connector="OR",
                ),
                name="doc_paper_needs_reason",
                violation_error_message="紙で決裁する場合は理由を入力してください。",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decided_at__isnull", False), ("status__in", ["decided", "closed"])),
                    models.Q(
                        models.Q(("status__in", ["decided", "closed"]), _negated=True), ("decided_at__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="doc_decided_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "closed"), _negated=True), ("closed_on__isnull", False), _connector="OR"
                ),
                name="doc_closed_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("disposition", ""), ("disposed_on__isnull", True)),
                    models.Q(
                        ("disposition__in", ["disposed", "transferred"]),
                        ("status", "closed"),
                        ("disposed_on__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="doc_disposition_closed_with_date",
            ),
        ),
        migrations.AddIndex(
            model_name="delegationrule",
            index=models.Index(fields=["matter_kind", "valid_from"], name="doc_delegation_kind_from"),
        ),
        migrations.AddConstraint(
            model_name="delegationrule",
            constraint=models.UniqueConstraint(
                models.F("matter_kind"),
                django.db.models.functions.comparison.Coalesce("unit", models.Value(0)),
                models.F("budget_setsu"),
                django.db.models.functions.comparison.Coalesce("amount_below", models.Value(0)),
                condition=models.Q(("valid_to__isnull", True)),
                name="doc_delegation_one_open_slot",
                violation_error_message="同じ種類・対象・金額の行が既にあります。",
            ),
        ),
        migrations.AddConstraint(
            model_name="delegationrule",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount_below__isnull", True), ("amount_below__gt", 0), _connector="OR"),
                name="doc_delegation_amount_positive",
                violation_error_message="金額は1円以上にしてください。",
            ),
        ),
        migrations.AddConstraint(
            model_name="delegationrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("valid_to__isnull", True), ("valid_to__gte", models.F("valid_from")), _connector="OR"
                ),
                name="doc_delegation_dates_ordered",
                violation_error_message="廃止日は施行日以降の日付にしてください。",
            ),
        ),
        migrations.AddConstraint(
            model_name="storagebox",
            constraint=models.UniqueConstraint(
                fields=("storeroom", "label"),
                name="doc_box_label_unique",
                violation_error_message="この書庫には同じ箱番号の箱があります。",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL}),
            _run({"postgresql": PG_REMOVE, "sqlite": SQLITE_REMOVE}),
        ),
    ]
