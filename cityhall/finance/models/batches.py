"""Payment batches (支払データ): the approved orders of one payment date, 会計 and 年度, exported as one 全銀 file."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.core.japanese.display import shown_date
from cityhall.finance.models.budget import Account


class BatchStatus(models.TextChoices):
    """State of a payment batch (支払データ)."""

    OPEN = "open", _("作成中")
    EXPORTED = "exported", _("振込データ出力済")
    PAID = "paid", _("支払済")


class PaymentBatch(models.Model):
    """A payment batch (支払データ): approved orders of one payment date, one 会計 and one 年度.

    One open batch per (date, 会計, 年度) collects orders as the accounting manager approves them,
    so a 全銀 file is paid from one 会計's paying account and, during the 出納整理期間
    (地方自治法第235条の5), never mixes the old and the new year's 歳計現金;
    exporting writes the 全銀 総合振込 file; marking it paid (支払済) records the payment.
    ``total_amount`` is the sum paid out (振込額 + 窓口払), fixed at export.
    """

    payment_date = models.DateField("支払日")
    # Blank only on batches exported before batches were kept per 会計 and 年度 (they could mix both).
    account = models.ForeignKey(
        Account, verbose_name="会計", null=True, blank=True, on_delete=models.PROTECT, related_name="batches"
    )
    fiscal_year = models.PositiveIntegerField("年度", null=True, blank=True)
    status = models.CharField("状態", max_length=10, choices=BatchStatus.choices, default=BatchStatus.OPEN)
    record_count = models.PositiveIntegerField("件数", default=0)
    total_amount = models.BigIntegerField("合計金額", default=0)
    file_name = models.CharField("振込データファイル", max_length=300, blank=True)
    # The file's bytes, committed with the status: an exported batch always has its file, even when a
    # crash came between the commit and the copy in storage (written after commit, restored on demand).
    file_content = models.BinaryField("振込データ", blank=True, default=b"", editable=False)
    file_sha256 = models.CharField("振込データのSHA-256", max_length=64, blank=True, editable=False)
    exported_at = models.DateTimeField("出力日時", null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="出力者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField("支払日時", null=True, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = _("支払データ")
        verbose_name_plural = _("支払データ")
        ordering = ["-payment_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment_date", "account", "fiscal_year"],
                condition=Q(status="open"),
                name="fin_batch_one_open_per_date_account_year",
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(account__isnull=False, fiscal_year__isnull=False),
                name="fin_batch_open_has_account_and_year",
            ),
            models.CheckConstraint(condition=Q(status__in=BatchStatus.values), name="fin_batch_status_valid"),
            models.CheckConstraint(condition=Q(total_amount__gte=0), name="fin_batch_total_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(file_name="", file_sha256=""), name="fin_batch_open_has_no_file"
            ),
        ]

    def __str__(self) -> str:
        scope = f" {self.account} {self.fiscal_year}年度" if self.account is not None else ""
        return f"支払データ {shown_date(self.payment_date)}{scope} ({self.get_status_display()})"

    @property
    def download_name(self) -> str:
        """The file's name as it is downloaded, without the storage folder: 「sogo-furikomi-20261208-01-2026-2.txt」."""
        return PurePosixPath(self.file_name).name if self.file_name else ""
