"""Payment orders (支出命令), their lines and the state of the accounting manager's review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityhall.documents.models import Document
from cityhall.finance.models.batches import PaymentBatch
from cityhall.finance.models.budget import Allotment, BudgetLine
from cityhall.finance.models.creditors import Creditor, CreditorBankAccount
from cityhall.finance.models.encumbrances import Encumbrance
from cityhall.finance.withholding_tax import kind_name
from cityhall.org.models import OrgUnit


class OrderKind(models.TextChoices):
    """Kind of payment order (支出命令の種類)."""

    LINKED = "linked", pgettext_lazy("order kind", "支出命令")  # against a decided encumbrance
    COMBINED = "combined", _("支出負担行為兼支出命令")  # one document commits and orders
    COLLECTIVE = "collective", _("集合支出命令")  # many creditors, one line and one payment date


# Kinds that commit budget themselves (負担行為を伴わない支出命令): they count in the hard stop.
SELF_COMMITTING_KINDS = (OrderKind.COMBINED, OrderKind.COLLECTIVE)


class PaymentMethod(models.TextChoices):
    """Payment method (支払方法)."""

    TRANSFER = "transfer", _("口座振込")
    CASH = "cash", _("窓口払")


class ReviewStatus(models.TextChoices):
    """State of the accounting manager's review (会計管理者審査)."""

    WAITING = "waiting", _("審査待ち")  # the order document is not decided yet, or decided and queued
    APPROVED = "approved", _("審査済")
    RETURNED = "returned", _("返付")  # returned with a reason; the order no longer holds budget


class TaxRate(models.IntegerChoices):
    """Consumption tax rate (消費税率)."""

    STANDARD = 10, "10%"
    REDUCED = 8, _("8%（軽減税率）")
    EXEMPT = 0, _("対象外・非課税")


class PaymentOrder(models.Model):
    """A payment order (支出命令) linked one-to-one to its document.

    ``LINKED`` orders pay against a decided encumbrance (Σ ordered ≤ encumbered);
    ``COMBINED`` (支出負担行為兼支出命令) and ``COLLECTIVE`` (集合支出命令) commit the
    budget themselves and count in the hard stop from submission, like an encumbrance.
    ``total_amount`` is the sum charged to the budget (税込, before withholding);
    ``payment_amount`` what is paid out (total − 源泉徴収).
    """

    document = models.OneToOneField(
        Document, verbose_name="文書", on_delete=models.PROTECT, related_name="payment_order"
    )
    kind = models.CharField("種類", max_length=12, choices=OrderKind.choices)
    fiscal_year = models.PositiveIntegerField("年度")
    line = models.ForeignKey(
        BudgetLine, verbose_name="予算明細", on_delete=models.PROTECT, related_name="payment_orders"
    )
    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    allotment = models.ForeignKey(
        Allotment, verbose_name="配当", on_delete=models.PROTECT, related_name="payment_orders"
    )
    encumbrance = models.ForeignKey(
        Encumbrance,
        verbose_name="支出負担行為",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_orders",
    )
    # The returned order (返付) this one drafts again (起案し直し): one live copy per returned order.
    redrafted_from = models.ForeignKey(
        "self",
        verbose_name="起案し直した元の支出命令",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="redrafts",
    )
    payment_method = models.CharField(
        "支払方法", max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    payment_date = models.DateField("支払予定日")
    inspection_date = models.DateField("検収日", null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="検査員",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="検収（給付の完了の確認・検査）をした職員。支出負担行為・支出命令の起案者以外（地方自治法第234条の2）",
    )
    invoice_received_on = models.DateField("請求書受理日", null=True, blank=True)
    description = models.CharField("摘要", max_length=200, blank=True)
    total_amount = models.BigIntegerField("支出命令額")
    withholding_amount = models.BigIntegerField("源泉徴収額", default=0)
    payment_amount = models.BigIntegerField("支払額")
    review_status = models.CharField(
        "審査状況", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.WAITING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="審査者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("審査日時", null=True, blank=True)
    review_reason = models.CharField("返付理由", max_length=300, blank=True)
    batch = models.ForeignKey(
        PaymentBatch, verbose_name="支払データ", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )

    class Meta:
        verbose_name = "支出命令"
        verbose_name_plural = "支出命令"
        constraints = [
            models.CheckConstraint(
                condition=Q(total_amount__gt=0),
                name="fin_order_total_positive",
                violation_error_message="支出命令額は1円以上にしてください。",
            ),
            models.CheckConstraint(condition=Q(withholding_amount__gte=0), name="fin_order_withholding_not_negative"),
            models.CheckConstraint(
                condition=Q(payment_amount=F("total_amount") - F("withholding_amount")),
                name="fin_order_payment_is_total_less_withholding",
            ),
            models.CheckConstraint(condition=Q(kind__in=OrderKind.values), name="fin_order_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="linked", encumbrance__isnull=False) | Q(~Q(kind="linked"), encumbrance__isnull=True),
                name="fin_order_encumbrance_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=ReviewStatus.values), name="fin_order_review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(batch__isnull=True) | Q(review_status="approved"), name="fin_order_batched_when_approved"
            ),
        ]
        indexes = [
            models.Index(fields=["allotment", "kind"], name="fin_order_allotment"),
            models.Index(fields=["review_status", "payment_date"], name="fin_order_review_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_id} {self.total_amount}円"


class PaymentOrderLine(models.Model):
    """One line of a payment order (支出命令の明細): a creditor, an amount per tax rate, withholding.

    ``amount`` is tax included (税込) and charged to the budget; ``tax_amount`` is
    the consumption tax within it at ``tax_rate``; ``withholding`` (源泉徴収) is
    kept back from the payment.
    """

    order = models.ForeignKey(PaymentOrder, verbose_name="支出命令", on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField("行番号")
    creditor = models.ForeignKey(Creditor, verbose_name="債権者", on_delete=models.PROTECT, related_name="order_lines")
    bank_account = models.ForeignKey(
        CreditorBankAccount,
        verbose_name="振込口座",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
    )
    description = models.CharField("内容", max_length=200, blank=True)
    tax_rate = models.PositiveSmallIntegerField("税率", choices=TaxRate.choices, default=TaxRate.STANDARD)
    amount = models.BigIntegerField("金額（税込）")
    tax_amount = models.BigIntegerField("うち消費税額", default=0)
    withholding = models.BigIntegerField("源泉徴収額", default=0)
    # 源泉区分 (a code of ``finance.withholding_tax.kinds()``): the withholding is computed from it.
    withholding_kind = models.CharField("源泉区分", max_length=20, blank=True, default="")

    class Meta:
        verbose_name = "支出命令明細"
        verbose_name_plural = "支出命令明細"
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="fin_order_line_position_unique"),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fin_order_line_amount_positive",
                violation_error_message="金額は1円以上にしてください。",
            ),
            models.CheckConstraint(condition=Q(tax_rate__in=TaxRate.values), name="fin_order_line_tax_rate_valid"),
            models.CheckConstraint(
                condition=Q(tax_amount__gte=0, tax_amount__lt=F("amount")), name="fin_order_line_tax_within_amount"
            ),
            models.CheckConstraint(
                condition=Q(withholding__gte=0, withholding__lt=F("amount")),
                name="fin_order_line_withholding_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}-{self.position} {self.amount}円"

    @property
    def withholding_kind_label(self) -> str:
        """The 源泉区分's name, or "" when the line has none."""
        return kind_name(self.withholding_kind) if self.withholding_kind else ""
