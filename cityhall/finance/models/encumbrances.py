"""Encumbrance (支出負担行為): the typed document that commits budget, and its changes (変更契約)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.documents.models import Document
from cityhall.finance.models.budget import Allotment, BudgetLine
from cityhall.finance.models.creditors import Creditor
from cityhall.org.models import OrgUnit


class ContractMethod(models.TextChoices):
    """Contract method (契約方法, 地方自治法第234条①), or none for a commitment that is not a contract.

    単価契約 is a form of contract (a price per unit), not a method: ``Encumbrance.unit_price``.
    """

    GENERAL_TENDER = "general_tender", _("一般競争入札")
    DESIGNATED_TENDER = "designated_tender", _("指名競争入札")
    NEGOTIATED = "negotiated", _("随意契約")
    AUCTION = "auction", _("せり売り")
    NONE = "none", _("契約によらない（補助金の交付決定・負担金など）")


CONTRACT_METHODS = (
    ContractMethod.GENERAL_TENDER,
    ContractMethod.DESIGNATED_TENDER,
    ContractMethod.NEGOTIATED,
    ContractMethod.AUCTION,
)
"""The methods of 法234条①: an encumbrance with one of them is a contract (契約), routed as such."""


class NegotiatedGround(models.TextChoices):
    """The ground of a 随意契約 (地方自治法施行令第167条の2第1項各号)."""

    SMALL_AMOUNT = "1", _("1号 予定価格が規則で定める額（少額）を超えない")
    NATURE = "2", _("2号 性質又は目的が競争入札に適しない")
    WELFARE = "3", _("3号 障害者支援施設等・シルバー人材センター等からの調達")
    NEW_PRODUCT = "4", _("4号 新商品の生産により新たな事業分野の開拓を図る者からの調達")
    URGENCY = "5", _("5号 緊急の必要により競争入札に付することができない")
    DISADVANTAGE = "6", _("6号 競争入札に付することが不利と認められる")
    FAVOURABLE = "7", _("7号 時価に比して著しく有利な価格で契約できる見込み")
    NO_BIDDER = "8", _("8号 入札者がない・再度の入札に付し落札者がない")
    NO_CONTRACT = "9", _("9号 落札者が契約を締結しない")


class ContractKind(models.TextChoices):
    """The kind of contract (契約の種類) of 施行令別表第5, which sets the 少額随意契約 limits."""

    WORKS = "works", _("工事又は製造の請負")
    PURCHASE = "purchase", _("財産の買入れ")
    LEASE_IN = "lease_in", _("物件の借入れ")
    SALE = "sale", _("財産の売払い")
    LEASE_OUT = "lease_out", _("物件の貸付け")
    OTHER = "other", _("前各号に掲げるもの以外のもの")


class Encumbrance(models.Model):
    """An encumbrance (支出負担行為) linked one-to-one to its document.

    Its state follows the document (起案中, 回議中, 決裁済 …); ``cancelled_at``
    marks a decided encumbrance that was cancelled (取消) and releases its budget.
    ``amount`` is the current amount (after decided 変更契約 and 減額); ``original_amount`` the
    amount decided first. A contract (契約方法 of 法234条) carries its number, date and kind; a
    随意契約 its ground (令167条の2①各号).
    """

    document = models.OneToOneField(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="encumbrance")
    fiscal_year = models.PositiveIntegerField("年度")
    line = models.ForeignKey(BudgetLine, verbose_name="予算明細", on_delete=models.PROTECT, related_name="encumbrances")
    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    allotment = models.ForeignKey(Allotment, verbose_name="配当", on_delete=models.PROTECT, related_name="encumbrances")
    creditor = models.ForeignKey(Creditor, verbose_name="債権者", on_delete=models.PROTECT, related_name="encumbrances")
    amount = models.BigIntegerField("金額")
    original_amount = models.BigIntegerField("当初金額")
    contract_method = models.CharField("契約方法", max_length=20, choices=ContractMethod.choices)
    negotiated_ground = models.CharField(
        "随意契約の理由（令167条の2①）", max_length=2, choices=NegotiatedGround.choices, blank=True
    )
    contract_kind = models.CharField("契約の種類", max_length=12, choices=ContractKind.choices, blank=True)
    unit_price = models.BooleanField("単価契約", default=False)
    contract_number = models.CharField("契約番号", max_length=40, blank=True)
    contract_date = models.DateField("契約日", null=True, blank=True)
    deadline = models.DateField("履行期限", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消日時", null=True, blank=True)
    cancel_reason = models.CharField("取消理由", max_length=200, blank=True)
    # 繰越: the part of this year's amount carried to next year (``amount`` is what is left this year),
    # and on the next year's encumbrance, the one it continues.
    carried_amount = models.BigIntegerField("翌年度繰越額", default=0)
    carried_from = models.OneToOneField(
        "self", verbose_name="繰越元の支出負担行為", null=True, blank=True, on_delete=models.PROTECT,
        related_name="carried_to",
    )  # fmt: skip

    class Meta:
        verbose_name = _("支出負担行為")
        verbose_name_plural = _("支出負担行為")
        constraints = [
            models.CheckConstraint(
                # Only an encumbrance carried whole into next year keeps 0 yen in its own year.
                condition=Q(amount__gt=0) | (Q(amount=0) & Q(carried_amount__gt=0)),
                name="fin_encumbrance_amount_positive",
                violation_error_message="金額は1円以上にしてください。",
            ),
            models.CheckConstraint(condition=Q(original_amount__gt=0), name="fin_encumbrance_original_positive"),
            models.CheckConstraint(
                condition=Q(contract_method__in=ContractMethod.values), name="fin_encumbrance_method_valid"
            ),
            # A ground only for a 随意契約; contract particulars only for a contract.
            models.CheckConstraint(
                condition=Q(negotiated_ground="") | Q(contract_method=ContractMethod.NEGOTIATED),
                name="fin_encumbrance_ground_only_negotiated",
            ),
            models.CheckConstraint(
                condition=Q(negotiated_ground="") | Q(negotiated_ground__in=NegotiatedGround.values),
                name="fin_encumbrance_ground_valid",
            ),
            models.CheckConstraint(
                condition=Q(contract_kind="") | Q(contract_kind__in=ContractKind.values),
                name="fin_encumbrance_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(contract_method=ContractMethod.NONE)
                | (Q(contract_number="") & Q(contract_date__isnull=True) & Q(unit_price=False)),
                name="fin_encumbrance_contract_fields_only_contracts",
            ),
        ]
        indexes = [
            models.Index(fields=["allotment", "cancelled_at"], name="fin_enc_allotment"),
            models.Index(fields=["fiscal_year", "contract_number"], name="fin_enc_contract_number"),
            models.Index(fields=["creditor", "line"], name="fin_enc_creditor_line"),
        ]

    def __str__(self) -> str:
        return f"支出負担行為 {self.document_id} {self.amount}円"

    @property
    def is_contract(self) -> bool:
        """Whether it is a contract (契約方法 of 法234条①), routed by the 契約 rules."""
        return self.contract_method in CONTRACT_METHODS


class EncumbranceChange(models.Model):
    """A change of a decided encumbrance (変更契約・支出負担行為の変更: 増額・減額), a decision of its own.

    Its document is routed by the new total (``new_amount``), never by the difference alone.
    An increase is held against the allotment from submission (回議中) until decided, withdrawn,
    rejected or sent back; the decision sets the encumbrance's amount to ``new_amount`` in the
    deciding transaction. ``previous_amount`` is the encumbrance's amount when it was drafted:
    only one change of an encumbrance is open at a time, and no direct 減額 meanwhile.
    """

    document = models.OneToOneField(
        Document, verbose_name="文書", on_delete=models.PROTECT, related_name="encumbrance_change"
    )
    encumbrance = models.ForeignKey(
        Encumbrance, verbose_name="支出負担行為", on_delete=models.PROTECT, related_name="changes"
    )
    sequence = models.PositiveIntegerField("変更の回数")
    previous_amount = models.BigIntegerField("変更前の金額")
    new_amount = models.BigIntegerField("変更後の金額")
    new_deadline = models.DateField("変更後の履行期限", null=True, blank=True)
    change_date = models.DateField("変更契約日", null=True, blank=True)
    reason = models.CharField("変更の理由", max_length=300)
    applied_at = models.DateTimeField("反映日時", null=True, blank=True)

    class Meta:
        verbose_name = _("変更契約")
        verbose_name_plural = _("変更契約")
        constraints = [
            models.CheckConstraint(condition=Q(new_amount__gt=0), name="fin_enc_change_amount_positive"),
            models.CheckConstraint(condition=Q(previous_amount__gt=0), name="fin_enc_change_previous_positive"),
            models.UniqueConstraint(fields=["encumbrance", "sequence"], name="fin_enc_change_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"変更契約 {self.document_id} {self.previous_amount}円→{self.new_amount}円"

    @property
    def difference(self) -> int:
        """増減額: the new total less the amount before."""
        return self.new_amount - self.previous_amount
