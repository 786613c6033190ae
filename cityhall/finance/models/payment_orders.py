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
    ADVANCE = "advance", _("資金前渡")  # 令161条: cash advanced to a staff member, settled afterwards
    DEBIT = "debit", _("口座振替")  # 令165条の2: the bank debits the city's account on an agreement
    INTERNAL = "internal", _("公金振替")  # 財務規則: between 会計 or to a 基金, no money leaves the city


# Methods that only pay through the creditor's bank account or at the counter: the timings apply to them.
TIMED_METHODS = (PaymentMethod.TRANSFER, PaymentMethod.CASH)


class PaymentTiming(models.TextChoices):
    """When the amount is paid against the debt (支払の時期): the special cases of 令162・163条."""

    REGULAR = "regular", _("確定払")  # after the debt is fixed (債務確定後)
    ESTIMATE = "estimate", _("概算払")  # 令162条: before the amount is fixed, settled afterwards (精算)
    PREPAY = "prepay", _("前金払")  # 令163条: before the delivery, on an allowed ground


class PrepayGround(models.TextChoices):
    """Grounds of 前金払 (地方自治法施行令第163条各号, 附則第7条)."""

    PUBLIC_OFFICE = "public_office", _("官公署に対して支払う経費（令163条1号）")
    SUBSIDY = "subsidy", _("補助金、負担金、交付金及び委託費（令163条2号）")
    CONTRACT = "contract", _("前金で支払をしなければ契約しがたい請負、買入れ又は借入れに要する経費（令163条3号）")
    REMOVAL = "removal", _("土地又は家屋の買収又は収用による家屋又は物件の移転料（令163条4号）")
    PERIODICALS = "periodicals", _("定期刊行物の代価、定額制供給の電灯電力料、日本放送協会の受信料（令163条5号）")
    ABROAD = "abroad", _("外国で研究又は調査に従事する者に支払う経費（令163条6号）")
    FARE = "fare", _("運賃（令163条7号）")
    OTHER = "other", _("経費の性質上前金で支払わなければ事務に支障を及ぼす経費で総務省令で定めるもの（令163条8号）")
    PUBLIC_WORKS = "public_works", _("前払金保証事業会社の保証のある公共工事の前払金（令附則第7条）")


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
    advance_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="資金前渡職員",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="資金前渡（地方自治法施行令第161条）で現金の前渡を受ける職員",
    )
    method_ground = models.CharField(
        "支払方法の根拠", max_length=200, blank=True, help_text="前金払の根拠（令163条各号）、口座振替の契約など"
    )
    transfer_to = models.CharField("振替先の会計・基金", max_length=100, blank=True, help_text="公金振替の振替先")
    prior_fiscal_year = models.PositiveIntegerField(
        "過年度支出の原年度",
        null=True,
        blank=True,
        help_text="出納閉鎖後の過年度の債務を現年度の予算から支払うときの元の年度（令165条の8）",
    )
    payment_timing = models.CharField(
        "支払の時期", max_length=10, choices=PaymentTiming.choices, default=PaymentTiming.REGULAR
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
        verbose_name = _("支出命令")
        verbose_name_plural = _("支出命令")
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
                condition=Q(payment_method__in=PaymentMethod.values), name="fin_order_payment_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(payment_method="advance", advance_holder__isnull=False)
                | Q(~Q(payment_method="advance"), advance_holder__isnull=True),
                name="fin_order_advance_holder_matches_method",
            ),
            models.CheckConstraint(
                condition=Q(payment_timing="regular") | Q(payment_method__in=("transfer", "cash")),
                name="fin_order_timing_with_transfer_or_cash",
            ),
            models.CheckConstraint(
                condition=Q(prior_fiscal_year__isnull=True) | Q(prior_fiscal_year__lt=F("fiscal_year")),
                name="fin_order_prior_year_before",
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

    @property
    def is_settled_later(self) -> bool:
        """Whether the order is settled afterwards (精算を要する): 資金前渡 (令161条) or 概算払 (令162条)."""
        return self.payment_method == PaymentMethod.ADVANCE or self.payment_timing == PaymentTiming.ESTIMATE


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
        verbose_name = _("支出命令明細")
        verbose_name_plural = _("支出命令明細")
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
