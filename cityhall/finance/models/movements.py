"""Budget transfer (流用): moving budget between 目/節 of the same 項, decided through the engine."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cityhall.documents.models import Document
from cityhall.finance.models.budget import BudgetLine
from cityhall.finance.models.carry import CarryAllowance, ContinuingExpense
from cityhall.finance.models.encumbrances import Encumbrance


class TransferKind(models.TextChoices):
    """What moves budget between lines (予算の移動の種類)."""

    TRANSFER = "transfer", _("流用")  # between 目/節 of one 項
    RESERVE = "reserve", _("予備費充用")  # from the 予備費 line to any line of the account and year
    CARRY_EXPLICIT = "carry_explicit", _("繰越明許")  # into the same heading of the next year
    CARRY_ACCIDENT = "carry_accident", _("事故繰越")  # into the same heading of the next year
    CARRY_CONTINUING = "carry_continuing", _("継続費逓次繰越")  # within the years of a 継続費


class BudgetTransfer(models.Model):
    """A movement of budget between lines, linked one-to-one to its document: 流用, 予備費充用 or 繰越.

    Takes effect when the document is decided; the amount is held on the
    source line from submission (回議中) so that it cannot be allotted twice.
    """

    document = models.OneToOneField(
        Document, verbose_name="文書", on_delete=models.PROTECT, related_name="budget_transfer"
    )
    source = models.ForeignKey(
        BudgetLine, verbose_name="流用元", on_delete=models.PROTECT, related_name="transfers_out"
    )
    target = models.ForeignKey(BudgetLine, verbose_name="流用先", on_delete=models.PROTECT, related_name="transfers_in")
    kind = models.CharField("種類", max_length=16, choices=TransferKind.choices, default=TransferKind.TRANSFER)
    amount = models.BigIntegerField("流用額")
    reason = models.CharField("理由", max_length=300)
    # 繰越明許: the council's 繰越明許費 it stays within (法213条).
    allowance = models.ForeignKey(
        CarryAllowance,
        verbose_name="繰越明許費",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carries",
    )
    # 逓次繰越: the 継続費 whose 年割額 it carries (令145条①).
    continuing = models.ForeignKey(
        ContinuingExpense,
        verbose_name="継続費",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carries",
    )
    # 繰越 of an encumbered amount: the encumbrance whose unpaid remainder is paid next year (法220条③ただし書).
    encumbrance = models.ForeignKey(
        Encumbrance, verbose_name="繰り越す支出負担行為", null=True, blank=True, on_delete=models.PROTECT,
        related_name="carries",
    )  # fmt: skip

    class Meta:
        verbose_name = _("流用")
        verbose_name_plural = _("流用")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_transfer_amount_positive"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="fin_transfer_distinct_lines"),
            models.CheckConstraint(condition=Q(kind__in=TransferKind.values), name="fin_transfer_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_id}→{self.target_id} {self.amount}円"
