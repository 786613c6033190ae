"""Receipts that replace paper: 収受番号 (numbered per section and fiscal year), files, 供覧先 and 閲.

Receipts registered before get their 収受番号 in the order they were received (then registered),
and each section's counter is set past the last of them, so numbers taken afterwards have no gap.
"""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _fiscal_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def number_existing(apps, schema_editor):
    Receipt = apps.get_model("documents", "Receipt")
    Counter = apps.get_model("documents", "ReceiptNumberCounter")
    last: dict[tuple[int, int], int] = {}
    rows = Receipt.objects.select_related("section__municipality").order_by("received_on", "pk")
    for receipt in rows.iterator():
        year = _fiscal_year(receipt.received_on)
        key = (receipt.section_id, year)
        last[key] = last.get(key, 0) + 1
        section = receipt.section
        receipt.fiscal_year = year
        receipt.number = last[key]
        receipt.number_label = f"{section.municipality.symbol}{section.symbol}収第{last[key]}号"
        receipt.save(update_fields=["fiscal_year", "number", "number_label"])
    Counter.objects.bulk_create(
        Counter(section_id=section_id, fiscal_year=year, last_number=top) for (section_id, year), top in last.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_decided_at_index"),
        ("org", "0003_executive_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
        migrations.AddField(
            model_name="receipt",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="年度"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="number",
            field=models.PositiveIntegerField(null=True, verbose_name="収受番号（番号）"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="number_label",
            field=models.CharField(default="", max_length=40, verbose_name="収受番号"),
            preserve_default=False,
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="receipt",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(verbose_name="年度"),
        ),
        migrations.AlterField(
            model_name="receipt",
            name="number",
            field=models.PositiveIntegerField(verbose_name="収受番号（番号）"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="channel",
            field=models.CharField(
                choices=[("paper", "紙"), ("electronic", "電子（メール等）"), ("online", "オンライン申請")],
                default="paper",
                max_length=12,
                verbose_name="収受の方法",
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="sender_address",
            field=models.CharField(blank=True, max_length=200, verbose_name="発信者の住所"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="has_personal_info",
            field=models.BooleanField(default=False, verbose_name="個人情報あり"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="procedure",
            field=models.CharField(blank=True, max_length=100, verbose_name="手続名"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="application_number",
            field=models.CharField(blank=True, max_length=60, verbose_name="申請番号"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="applied_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="申請日時"),
        ),
        migrations.AddField(
            model_name="receipt",
            name="circulation_done_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="供覧完了日時"),
        ),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.UniqueConstraint(
                fields=("section", "fiscal_year", "number"),
                name="doc_receipt_number_unique",
                violation_error_message="この収受番号は既に使われています。",
            ),
        ),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.CheckConstraint(condition=models.Q(number__gte=1), name="doc_receipt_number_positive"),
        ),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.CheckConstraint(
                condition=models.Q(channel__in=["paper", "electronic", "online"]), name="doc_receipt_channel_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("channel", "online"), models.Q(("application_number", ""), _negated=True)),
                    models.Q(models.Q(("channel", "online"), _negated=True), ("application_number", "")),
                    _connector="OR",
                ),
                name="doc_receipt_online_has_application",
                violation_error_message="オンライン申請の収受には申請番号が必要です（それ以外には付けません）。",
            ),
        ),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("application_number", ""), _negated=True),
                fields=("application_number",),
                name="doc_receipt_application_unique",
                violation_error_message="この申請番号の申請は既に収受されています。",
            ),
        ),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("circulation_done_at__isnull", True), ("circulated_at__isnull", False), _connector="OR"
                ),
                name="doc_receipt_done_after_circulated",
            ),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["section", "received_on"], name="doc_receipt_section_day"),
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
    ]
