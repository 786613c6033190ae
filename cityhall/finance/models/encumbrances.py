"""Encumbrance (支出負担行為): the typed document that commits budget."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.documents.models import Document
from cityhall.finance.models.budget import Allotment, BudgetLine
from cityhall.finance.models.creditors import Creditor
from cityhall.org.models import OrgUnit


class ContractMethod(models.TextChoices):
    """Contract method (契約方法)."""

    TENDER = "tender", _("入札")
    NEGOTIATED = "negotiated", _("随意契約")
    UNIT_PRICE = "unit_price", _("単価契約")


class Encumbrance(models.Model):
    """An encumbrance (支出負担行為) linked one-to-one to its document.

    Its state follows the document (起案中, 回議中, 決裁済 …); ``cancelled_at``
    marks a decided encumbrance that was cancelled (取消) and releases its budget.
    ``amount`` is the current amount; ``original_amount`` the amount decided first.
    """

    document = models.OneToOneField(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="encumbrance")
    fiscal_year = models.PositiveIntegerField("年度")
    line = models.ForeignKey(BudgetLine, verbose_name="予算明細", on_delete=models.PROTECT, related_name="encumbrances")
    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    allotment = models.ForeignKey(Allotment, verbose_name="配当", on_delete=models.PROTECT, related_name="encumbrances")
    creditor = models.ForeignKey(Creditor, verbose_name="債権者", on_delete=models.PROTECT, related_name="encumbrances")
    amount = models.BigIntegerField("金額")
    original_amount = models.BigIntegerField("当初金額")
    contract_method = models.CharField("契約方法", max_length=12, choices=ContractMethod.choices)
    deadline = models.DateField("履行期限", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消日時", null=True, blank=True)
    cancel_reason = models.CharField("取消理由", max_length=200, blank=True)

    class Meta:
        verbose_name = _("支出負担行為")
        verbose_name_plural = _("支出負担行為")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fin_encumbrance_amount_positive",
                violation_error_message="金額は1円以上にしてください。",
            ),
            models.CheckConstraint(condition=Q(original_amount__gt=0), name="fin_encumbrance_original_positive"),
            models.CheckConstraint(
                condition=Q(contract_method__in=ContractMethod.values), name="fin_encumbrance_method_valid"
            ),
        ]
        indexes = [models.Index(fields=["allotment", "cancelled_at"], name="fin_enc_allotment")]

    def __str__(self) -> str:
        return f"支出負担行為 {self.document_id} {self.amount}円"
