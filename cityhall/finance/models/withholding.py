"""歳計外現金 (源泉所得税) ledger: withheld tax received on payment and paid to the tax office.

Withheld income tax is not the city's revenue: it is cash the city keeps for the State
(歳計外現金, 地方自治法第235条の4第2項, 施行令第168条の7) until it pays it to the tax office
by the 10th of the following month (所得税法第204条第1項; 給与は第183条). Each row of the ledger
(``WithholdingEntry``) is a receipt (受入: one withheld order line, when its batch is paid)
or a disbursement (払出: one ``WithholdingRemittance``, the month's payment to the tax office).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.finance.models.batches import PaymentBatch
from cityhall.finance.models.creditors import Creditor
from cityhall.finance.models.payment_orders import PaymentOrderLine


class EntryKind(models.TextChoices):
    """Receipt or disbursement (受入・払出) of the 歳計外現金 ledger."""

    RECEIPT = "receipt", _("受入")
    DISBURSEMENT = "disbursement", _("払出")


class WithholdingRemittance(models.Model):
    """The payment of one month's withheld tax to the tax office (源泉所得税の納付, 歳計外現金の払出).

    One per month of withholding (徴収月, stored as its first day); due on the 10th of the
    next month, or the next business day when that is a holiday (国税通則法第10条第2項).
    """

    month = models.DateField("徴収月", unique=True)
    due_date = models.DateField("納期限")
    amount = models.BigIntegerField("納付額")
    line_count = models.PositiveIntegerField("件数")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作成者", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = _("源泉所得税の納付")
        verbose_name_plural = _("源泉所得税の納付")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_remittance_amount_positive"),
            models.CheckConstraint(condition=Q(due_date__gt=models.F("month")), name="fin_remittance_due_after_month"),
        ]

    def __str__(self) -> str:
        return f"源泉所得税の納付 {self.month:%Y年%m月}分 {self.amount}円"


class WithholdingEntry(models.Model):
    """One row of the 歳計外現金 (源泉所得税) ledger: a receipt of one order line or a month's disbursement."""

    kind = models.CharField("区分", max_length=12, choices=EntryKind.choices)
    day = models.DateField("受払日")
    month = models.DateField("徴収月")  # first day of the month the tax was withheld in
    amount = models.BigIntegerField("金額")
    order_line = models.OneToOneField(
        PaymentOrderLine,
        verbose_name="支出命令明細",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withholding_entry",
    )
    batch = models.ForeignKey(
        PaymentBatch, verbose_name="支払データ", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    creditor = models.ForeignKey(
        Creditor, verbose_name="債権者", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withholding_kind = models.CharField("源泉区分", max_length=20, blank=True)
    paid_amount = models.BigIntegerField("支払金額", default=0)  # the line's amount (支払調書の支払金額)
    remittance = models.OneToOneField(
        WithholdingRemittance,
        verbose_name="納付",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entry",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="記録者", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = _("歳計外現金（源泉所得税）の受払")
        verbose_name_plural = _("歳計外現金（源泉所得税）の受払")
        ordering = ["day", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_withholding_entry_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="fin_withholding_entry_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="receipt", order_line__isnull=False, remittance__isnull=True)
                | Q(kind="disbursement", order_line__isnull=True, remittance__isnull=False),
                name="fin_withholding_entry_source_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["month", "kind"], name="fin_withholding_month")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day} {self.amount}円"
