"""Settlements (精算) of advances and estimates, and refunds (戻入) of paid orders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from cityhall.finance.models.payment_orders import PaymentOrder


class OrderSettlement(models.Model):
    """The settlement (精算) of a 資金前渡 (令161条) or a 概算払 (令162条): what was actually spent.

    ``advanced`` is the order's total; the unused part (``advanced − actual``) comes back as a
    戻入 (``OrderRefund`` with ``settlement``); for a 概算払 an amount above it
    (``additional``) is paid by an additional order.
    """

    order = models.OneToOneField(
        PaymentOrder, verbose_name="支出命令", on_delete=models.PROTECT, related_name="settlement"
    )
    settled_on = models.DateField("精算日")
    advanced = models.BigIntegerField("前渡・概算払額")
    actual = models.BigIntegerField("精算額（実際の支出額）")
    additional = models.BigIntegerField("追加支払額", default=0)
    note = models.CharField("摘要", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="記録者", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("精算")
        verbose_name_plural = gettext_lazy("精算")
        constraints = [
            models.CheckConstraint(condition=Q(actual__gte=0), name="fin_settlement_actual_not_negative"),
            models.CheckConstraint(condition=Q(additional__gte=0), name="fin_settlement_additional_not_negative"),
            models.CheckConstraint(
                condition=Q(additional=0) | Q(actual=F("advanced") + F("additional")),
                name="fin_settlement_additional_is_excess",
            ),
        ]

    def __str__(self) -> str:
        return f"精算 {self.order_id} {self.actual}円"

    @property
    def returned(self) -> int:
        """The unused part returned (戻入額)."""
        return max(self.advanced - self.actual, 0)


class SettlementReceipt(models.Model):
    """One receipt (領収書) behind a settlement: what the advance was spent on."""

    settlement = models.ForeignKey(
        OrderSettlement, verbose_name="精算", on_delete=models.CASCADE, related_name="receipts"
    )
    position = models.PositiveIntegerField("行番号")
    description = models.CharField("内容", max_length=200)
    amount = models.BigIntegerField("金額")

    class Meta:
        verbose_name = gettext_lazy("精算の領収書")
        verbose_name_plural = gettext_lazy("精算の領収書")
        ordering = ["settlement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "position"], name="fin_receipt_position_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount}円"


class OrderRefund(models.Model):
    """A refund (戻入, 令159条) against a paid order: it restores the line's execution (支出済額が減る)."""

    order = models.ForeignKey(PaymentOrder, verbose_name="支出命令", on_delete=models.PROTECT, related_name="refunds")
    settlement = models.OneToOneField(
        OrderSettlement,
        verbose_name="精算",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refund",
    )
    amount = models.BigIntegerField("戻入額")
    refunded_on = models.DateField("戻入日")
    reason = models.CharField("理由", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="記録者", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("戻入")
        verbose_name_plural = gettext_lazy("戻入")
        ordering = ["order", "refunded_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fin_refund_amount_positive",
                violation_error_message="戻入額は1円以上にしてください。",
            ),
        ]

    def __str__(self) -> str:
        return f"戻入 {self.order_id} {self.amount}円"
