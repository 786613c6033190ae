"""Received documents (収受): the register row with its 収受番号, its files and its circulation (供覧・閲).

A received document is numbered per section and fiscal year like a document (収受番号, from its own
counter in the same numbering module), keeps its scanned or electronic files, and is circulated to
named superiors (供覧先), each of whom marks it seen (閲) with the date. One arriving from an online
procedure (オンライン申請) keeps its application number (申請番号), which no second receipt may have.
A receipt answered by a record is filed with it (編てつ) and ends with it: disposed of (its files go,
its 収受簿 row stays 廃棄済) or transferred in the record's package (移管済). A receipt that needs no
answer is closed on its own (完結) under a file-plan class, which gives it its retention (保存期間満了日)
and what happens then; it is listed on a disposal list as a record is. A receipt registered by mistake
is cancelled (取消) with a reason before anyone has seen or answered it: its 収受番号 stays in the
register, marked 取消, so the numbers keep no gap.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from cityhall.documents.models.attachments import IMAGE_TYPES, PDF_TYPE
from cityhall.documents.models.register import RETENTION_CHOICES, Disposition, Document, ExpiryAction, FilePlanClass
from cityhall.org.models import OrgUnit


class ReceiptChannel(models.TextChoices):
    """How the document arrived (収受の方法)."""

    PAPER = "paper", pgettext_lazy("receipt channel", "紙")
    ELECTRONIC = "electronic", pgettext_lazy("receipt channel", "電子（メール等）")
    ONLINE = "online", pgettext_lazy("receipt channel", "オンライン申請")


class ReceiptNumberCounter(models.Model):
    """The running 収受番号 of a section in a fiscal year; locked while numbering (``numbering``)."""

    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    last_number = models.PositiveIntegerField("最終番号", default=0)

    class Meta:
        verbose_name = gettext_lazy("収受番号")
        verbose_name_plural = gettext_lazy("収受番号")
        constraints = [models.UniqueConstraint(fields=["section", "fiscal_year"], name="doc_receipt_counter_unique")]

    def __str__(self) -> str:
        return f"{self.section} {self.fiscal_year}年度 {self.last_number}"


class Receipt(models.Model):
    """A received document (収受) with its 収受番号, circulated to superiors (供覧) or answered by a draft."""

    section = models.ForeignKey(OrgUnit, verbose_name="収受した課", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("収受番号（番号）")
    number_label = models.CharField("収受番号", max_length=40)
    received_on = models.DateField("収受日")
    channel = models.CharField(
        "収受の方法", max_length=12, choices=ReceiptChannel.choices, default=ReceiptChannel.PAPER
    )
    sender = models.CharField("発信者", max_length=100)
    sender_address = models.CharField("発信者の住所", max_length=200, blank=True)
    sender_number = models.CharField("相手方文書番号", max_length=60, blank=True)
    title = models.CharField("件名", max_length=200)
    addressee = models.CharField("宛先", max_length=100, blank=True)
    has_personal_info = models.BooleanField("個人情報あり", default=False)
    procedure = models.CharField("手続名", max_length=100, blank=True)
    application_number = models.CharField("申請番号", max_length=60, blank=True)
    applied_at = models.DateTimeField("申請日時", null=True, blank=True)
    reply_needed = models.BooleanField("回答要", default=False)
    reply_deadline = models.DateField("回答期限", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登録者", on_delete=models.PROTECT, related_name="+"
    )
    circulated_at = models.DateTimeField("供覧日時", null=True, blank=True)
    circulation_done_at = models.DateTimeField("供覧完了日時", null=True, blank=True)
    answered_by = models.ForeignKey(
        Document,
        verbose_name="回答文書",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_receipts",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    disposition = models.CharField(
        "廃棄・移管", max_length=12, choices=Disposition.choices, default=Disposition.NONE, blank=True
    )
    disposed_on = models.DateField("廃棄・移管日", null=True, blank=True)
    file_plan_class = models.ForeignKey(
        FilePlanClass, verbose_name="文書分類", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField("完結日", null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField("保存期間", choices=RETENTION_CHOICES, null=True, blank=True)
    expires_on = models.DateField("保存期間満了日", null=True, blank=True)
    expiry_action = models.CharField(
        "保存期間満了時の措置", max_length=10, choices=ExpiryAction.choices, default=ExpiryAction.DISPOSE
    )
    cancelled_at = models.DateTimeField("取消日時", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取消者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.CharField("取消の理由", max_length=200, blank=True)

    class Meta:
        verbose_name = gettext_lazy("収受")
        verbose_name_plural = gettext_lazy("収受簿")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_deadline__isnull=True) | Q(reply_deadline__gte=models.F("received_on")),
                name="doc_receipt_deadline_after_received",
                violation_error_message="回答期限は収受日以降の日付にしてください。",
            ),
            models.UniqueConstraint(
                fields=["section", "fiscal_year", "number"],
                name="doc_receipt_number_unique",
                violation_error_message="この収受番号は既に使われています。",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="doc_receipt_number_positive"),
            models.CheckConstraint(condition=Q(channel__in=ReceiptChannel.values), name="doc_receipt_channel_valid"),
            models.CheckConstraint(
                condition=(Q(channel=ReceiptChannel.ONLINE) & ~Q(application_number=""))
                | (~Q(channel=ReceiptChannel.ONLINE) & Q(application_number="")),
                name="doc_receipt_online_has_application",
                violation_error_message="オンライン申請の収受には申請番号が必要です（それ以外には付けません）。",
            ),
            models.UniqueConstraint(
                fields=["application_number"],
                condition=~Q(application_number=""),
                name="doc_receipt_application_unique",
                violation_error_message="この申請番号の申請は既に収受されています。",
            ),
            models.CheckConstraint(
                condition=Q(circulation_done_at__isnull=True) | Q(circulated_at__isnull=False),
                name="doc_receipt_done_after_circulated",
            ),
            models.CheckConstraint(
                condition=(Q(disposition=Disposition.NONE) & Q(disposed_on__isnull=True))
                | (Q(disposition__in=[Disposition.DISPOSED, Disposition.TRANSFERRED]) & Q(disposed_on__isnull=False)),
                name="doc_receipt_disposition_dated",
            ),
            models.CheckConstraint(
                condition=(
                    Q(closed_on__isnull=True)
                    & Q(file_plan_class__isnull=True)
                    & Q(retention_years__isnull=True)
                    & Q(expires_on__isnull=True)
                )
                | (Q(closed_on__isnull=False) & Q(file_plan_class__isnull=False) & Q(retention_years__isnull=False)),
                name="doc_receipt_closed_has_class",
            ),
            models.CheckConstraint(
                condition=Q(expiry_action__in=ExpiryAction.values), name="doc_receipt_expiry_action_valid"
            ),
            models.CheckConstraint(
                condition=(Q(cancelled_at__isnull=True) & Q(cancelled_by__isnull=True) & Q(cancel_reason=""))
                | (Q(cancelled_at__isnull=False) & Q(cancelled_by__isnull=False) & ~Q(cancel_reason="")),
                name="doc_receipt_cancel_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["section", "received_on"], name="doc_receipt_section_day"),
            models.Index(fields=["expires_on"], name="doc_receipt_expires_on"),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} {self.title}"


class FileOrigin(models.TextChoices):
    """What a receipt's file is (ファイルの種別): the scan of a paper original or the electronic original."""

    SCAN = "scan", pgettext_lazy("file origin", "紙の写し（スキャン）")
    ORIGINAL = "original", pgettext_lazy("file origin", "電子の原本")


class ReceiptFile(models.Model):
    """A file of a received document (収受文書のファイル), stored like an attachment with its SHA-256."""

    receipt = models.ForeignKey(Receipt, verbose_name="収受文書", on_delete=models.PROTECT, related_name="files")
    file = models.FileField("ファイル", upload_to="documents/receipts/%Y/%m/", max_length=255)
    name = models.CharField("ファイル名", max_length=255)
    origin = models.CharField("種別", max_length=10, choices=FileOrigin.choices, default=FileOrigin.ORIGINAL)
    content_type = models.CharField("種類", max_length=100)
    size = models.PositiveBigIntegerField("サイズ")
    sha256 = models.CharField("SHA-256", max_length=64)
    extracted_text = models.TextField("抽出テキスト", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登録者", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("収受文書のファイル")
        verbose_name_plural = gettext_lazy("収受文書のファイル")
        ordering = ["receipt_id", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0), name="doc_receipt_file_not_empty", violation_error_message="空のファイルです。"
            ),
            models.CheckConstraint(condition=Q(origin__in=FileOrigin.values), name="doc_receipt_file_origin_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pdf(self) -> bool:
        """A PDF, shown in the page's PDF viewer."""
        return self.content_type == PDF_TYPE

    @property
    def is_image(self) -> bool:
        """A PNG, JPEG or GIF image."""
        return self.content_type in IMAGE_TYPES


class ReceiptReader(models.Model):
    """One superior a received document is circulated to (供覧先), and when they marked it seen (閲)."""

    receipt = models.ForeignKey(Receipt, verbose_name="収受文書", on_delete=models.PROTECT, related_name="readers")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="供覧先", on_delete=models.PROTECT, related_name="+"
    )
    post_name = models.CharField("職", max_length=100, help_text="供覧した日の所属と職（例: 総務課長）。")
    position = models.PositiveSmallIntegerField("順", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="供覧した職員", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("供覧日時", auto_now_add=True)
    seen_at = models.DateTimeField("閲覧日時", null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("供覧先")
        verbose_name_plural = gettext_lazy("供覧先")
        ordering = ["receipt_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt", "reader"],
                name="doc_receipt_reader_once",
                violation_error_message="同じ職員に二度供覧することはできません。",
            )
        ]
        indexes = [models.Index(fields=["reader", "seen_at"], name="doc_receipt_reader_open")]

    def __str__(self) -> str:
        return f"{self.receipt_id} → {self.reader_id}"
