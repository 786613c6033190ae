"""Invoice imports (請求書の取込): one import of many files, each invoice's outcome, suppliers' defaults.

An import is one unit: its accepted invoices became payment orders in the same transaction as
these rows, or nothing did. ``ImportedInvoice`` keeps each invoice's key fields, its reasons when
refused, the stored original file and the order it became; an invoice (登録番号 + 請求書番号) is
accepted once, whatever the number of imports (a database constraint, so running the same import
again, or two at once, creates no duplicate).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.finance.models import BudgetLine, Creditor, PaymentOrder


class ImportSource(models.TextChoices):
    UPLOAD = "upload", _("画面からのアップロード")
    API = "api", _("API")
    COMMAND = "command", _("コマンド（import_invoices）")
    TEMPLATE = "template", _("定例支払")


class InvoiceKind(models.TextChoices):
    """The form an invoice came in (請求書の形式): what a manual slip of it would have cost differs."""

    JP_PINT = "jp_pint", _("電子請求書（JP PINT）")
    CSV = "csv", _("CSV")
    EXCEL = "excel", _("Excel")
    TEMPLATE = "template", _("定例支払")


class InvoiceImport(models.Model):
    """One import of invoice files by one person (請求書の取込): counts and the time it finished."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("取り込んだ職員"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("取込日時"), auto_now_add=True)
    source = models.CharField(_("取込の方法"), max_length=10, choices=ImportSource.choices)
    total = models.PositiveIntegerField(_("請求書数"), default=0)
    accepted = models.PositiveIntegerField(_("受付数"), default=0)
    rejected = models.PositiveIntegerField(_("不受理数"), default=0)
    # The accepted invoices' original files, in one zip written once per import: one write to the
    # storage (an S3 request) instead of one per invoice.
    archive = models.FileField(_("原本の保管ファイル"), upload_to="imports/%Y/%m/", max_length=255, blank=True)

    class Meta:
        verbose_name = _("請求書の取込")
        verbose_name_plural = _("請求書の取込")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"取込 {self.pk}（{self.accepted}/{self.total}件）"


class ImportedInvoice(models.Model):
    """One invoice of an import: what it says, whether it was accepted and why not, and its order."""

    invoice_import = models.ForeignKey(
        InvoiceImport, verbose_name=_("取込"), on_delete=models.CASCADE, related_name="invoices"
    )
    position = models.PositiveIntegerField(_("順番"))
    file_name = models.CharField(_("ファイル名"), max_length=255)
    file_sha256 = models.CharField(_("ファイルのSHA-256"), max_length=64)
    original = models.CharField(_("原本（保管ファイル内の名前）"), max_length=255, blank=True)
    invoice_number = models.CharField(_("請求書番号"), max_length=100, blank=True)
    registration_number = models.CharField(_("登録番号"), max_length=20, blank=True)
    seller_name = models.CharField(_("請求者"), max_length=200, blank=True)
    payable = models.BigIntegerField(_("請求金額"), null=True, blank=True)
    kind = models.CharField(_("形式"), max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.JP_PINT)
    # What typing the slip by hand would have taken (手入力の削減時間), recorded when the order is made.
    minutes_saved = models.PositiveSmallIntegerField(_("削減時間（分）"), default=0)
    accepted = models.BooleanField(_("受付"), default=False)
    reasons = models.JSONField(_("不受理の理由"), default=list, blank=True)
    creditor = models.ForeignKey(
        Creditor, verbose_name=_("債権者"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Invoices charged alike share one order (one decision document per line and payment date).
    order = models.ForeignKey(
        PaymentOrder,
        verbose_name=_("支出命令"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_invoices",
    )

    class Meta:
        verbose_name = _("取り込んだ請求書")
        verbose_name_plural = _("取り込んだ請求書")
        ordering = ["invoice_import", "position"]
        constraints = [
            # An invoice becomes a payment order once, across every import (二重払いの防止).
            models.UniqueConstraint(
                fields=["registration_number", "invoice_number"],
                condition=Q(accepted=True),
                name="auto_invoice_accepted_once",
            ),
            models.CheckConstraint(
                condition=Q(accepted=False) | Q(order__isnull=False), name="auto_accepted_has_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} {self.invoice_number}"


class SupplierDefault(models.Model):
    """What an invoice of a supplier is charged to when it names no encumbrance (取引先ごとの既定の予算科目).

    Used for recurring bills (utilities, phone) paid by a 支出負担行為兼支出命令 on a 節 that allows it.
    """

    creditor = models.OneToOneField(
        Creditor, verbose_name=_("債権者"), on_delete=models.PROTECT, related_name="invoice_default"
    )
    line = models.ForeignKey(BudgetLine, verbose_name=_("予算科目"), on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("摘要"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("取引先の既定の予算科目")
        verbose_name_plural = _("取引先の既定の予算科目")

    def __str__(self) -> str:
        return f"{self.creditor} → {self.line}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    READING = "reading", _("読み取り中")
    CREATING = "creating", _("支出命令を作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class ImportJob(models.Model):
    """An import run by the background worker for the screen (取込の処理状況): its progress and report.

    The uploaded files wait in storage (``files``: name and storage path) until the worker has
    imported them; the page polls ``processed`` of ``total`` and, when done, shows ``report``.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("取り込んだ職員"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    dry_run = models.BooleanField(_("試行"), default=False)
    status = models.CharField(_("状況"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("ファイル数"), default=0)
    processed = models.PositiveIntegerField(_("読み取り済み"), default=0)
    files = models.JSONField(_("受け付けたファイル"), default=list)
    invoice_import = models.OneToOneField(
        InvoiceImport, verbose_name=_("取込"), null=True, blank=True, on_delete=models.PROTECT, related_name="job"
    )
    mapping = models.ForeignKey(
        "SupplierMapping",
        verbose_name=_("読み取り形式"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report = models.JSONField(_("取込結果"), default=dict, blank=True)
    error = models.CharField(_("失敗の理由"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("取込の処理")
        verbose_name_plural = _("取込の処理")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"取込処理 {self.pk}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(90 * self.processed / self.total) if self.total else 0


class RecurringPayment(models.Model):
    """A recurring payment (定例支払): rent, a lease, a utility, paid every month to one supplier.

    The monthly amount is ``base_amount`` plus the variable part entered when the month is generated
    (the meter reading of a utility, say). Each month's order is recorded like an imported invoice
    under the key 「定例-<id>-<YYYYMM>」, so a month is generated once whatever happens.
    """

    section = models.ForeignKey("org.OrgUnit", verbose_name=_("課"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    creditor = models.ForeignKey(Creditor, verbose_name=_("債権者"), on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(BudgetLine, verbose_name=_("予算科目"), on_delete=models.PROTECT, related_name="+")
    base_amount = models.BigIntegerField(_("定額（税込）"), default=0)
    variable = models.BooleanField(_("変動分あり"), default=False)
    tax_rate = models.PositiveSmallIntegerField(_("税率"), default=10)
    pay_day = models.PositiveSmallIntegerField(_("支払日（毎月）"), default=25)
    is_active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("定例支払")
        verbose_name_plural = _("定例支払")
        ordering = ["section", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(base_amount__gte=0), name="auto_recurring_base_not_negative"),
            models.CheckConstraint(condition=Q(pay_day__gte=1, pay_day__lte=31), name="auto_recurring_pay_day"),
            models.CheckConstraint(condition=Q(tax_rate__in=(0, 8, 10)), name="auto_recurring_tax_rate"),
        ]

    def __str__(self) -> str:
        return self.name


class SupplierMapping(models.Model):
    """How a supplier's CSV or Excel invoices are laid out (取引先ごとの読み取り形式): column → field.

    ``mapping`` is ``tabular.ColumnMapping.to_dict()``; the service checks it with ``from_dict`` before
    it is stored, so a stored mapping is always usable.
    """

    creditor = models.OneToOneField(
        Creditor, verbose_name=_("債権者"), on_delete=models.PROTECT, related_name="invoice_mapping"
    )
    mapping = models.JSONField(_("列の設定"))
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("取引先の読み取り形式")
        verbose_name_plural = _("取引先の読み取り形式")

    def __str__(self) -> str:
        return f"{self.creditor} の読み取り形式"


class SwitchoverStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    READING = "reading", _("読み取り中")
    WRITING = "writing", _("登録中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class SwitchoverImport(models.Model):
    """One switch-over file taken in (移行データの取込): budget book, creditor master or old register.

    All or nothing: ``written`` is true when every row was written, false when any row was refused
    (then nothing was) or on a dry run. The report lists each row's outcome; the file waits in
    storage (``pending``) until the background worker has read it, and is then removed.
    """

    kind = models.CharField(_("種類"), max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("取り込んだ職員"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    source = models.CharField(_("取込の方法"), max_length=10, choices=ImportSource.choices)
    dry_run = models.BooleanField(_("試行"), default=False)
    status = models.CharField(
        _("状況"), max_length=10, choices=SwitchoverStatus.choices, default=SwitchoverStatus.QUEUED
    )
    file_name = models.CharField(_("ファイル名"), max_length=255)
    file_sha256 = models.CharField(_("ファイルのSHA-256"), max_length=64)
    pending = models.CharField(_("処理待ちのファイル"), max_length=255, blank=True)
    layout = models.JSONField(_("列の設定"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("行数"), default=0)
    processed = models.PositiveIntegerField(_("読み取り済み"), default=0)
    accepted = models.PositiveIntegerField(_("受付数"), default=0)
    rejected = models.PositiveIntegerField(_("不受理数"), default=0)
    written = models.BooleanField(_("登録済み"), default=False)
    report = models.JSONField(_("取込結果"), default=dict, blank=True)
    error = models.CharField(_("失敗の理由"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("移行データの取込")
        verbose_name_plural = _("移行データの取込")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"移行データ取込 {self.pk}（{self.file_name}）"

    @property
    def finished(self) -> bool:
        return self.status in (SwitchoverStatus.DONE, SwitchoverStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == SwitchoverStatus.DONE:
            return 100
        return int(80 * self.processed / self.total) if self.total else 0


class SwitchoverMapping(models.Model):
    """Where each field of a switch-over kind is in the city's files (移行データの列の設定), one per kind.

    ``layout`` is ``cityhall.core.tables.Layout.to_dict()``, checked with ``from_dict`` before it is stored.
    """

    kind = models.CharField(_("種類"), max_length=20, unique=True)
    layout = models.JSONField(_("列の設定"))
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("移行データの列の設定")
        verbose_name_plural = _("移行データの列の設定")

    def __str__(self) -> str:
        return f"{self.kind} の列の設定"
