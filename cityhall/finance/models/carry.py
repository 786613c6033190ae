"""What the council gives for spending beyond the year: 繰越明許費 (法213条) and 継続費 (法212条).

Both are entered with the budget version that the council decided (予算の第2表・第3表): a
繰越明許費 is a 款・項 and 事業名 with the limit up to which it may be carried; a 継続費 is a
事業 of a 款・項 with its total (総額) and an amount per year (年割額) over several years.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cityhall.finance.models.budget import Account, BudgetClassification, BudgetLine, BudgetVersion


class CarryAllowance(models.Model):
    """A 繰越明許費 of the budget (地方自治法第213条): what may be carried into next year, up to ``amount``."""

    version = models.ForeignKey(
        BudgetVersion, verbose_name="議決した予算", on_delete=models.PROTECT, related_name="carry_allowances"
    )
    account = models.ForeignKey(Account, verbose_name="会計", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveIntegerField("年度")
    kou = models.ForeignKey(BudgetClassification, verbose_name="項", on_delete=models.PROTECT, related_name="+")
    project = models.CharField("事業名", max_length=100)
    amount = models.BigIntegerField("繰越明許費の額")
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = _("繰越明許費")
        verbose_name_plural = _("繰越明許費")
        ordering = ["account", "fiscal_year", "kou__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_carry_allowance_positive"),
            models.UniqueConstraint(fields=["version", "kou", "project"], name="fin_carry_allowance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}年度 {self.project}（{self.amount:,}円）"


class ContinuingExpense(models.Model):
    """A 継続費 (地方自治法第212条): a 事業 paid over several years, with its total and 年割額.

    Each year's 年割額 is spent on that year's line of the 継続費's 目・節 (``moku``, ``setsu``). The unspent
    part of a year's 年割額 is carried to the following years up to the last year of the 継続費
    without a new decision of the council (逓次繰越, 施行令第145条第1項).
    """

    version = models.ForeignKey(
        BudgetVersion, verbose_name="議決した予算", on_delete=models.PROTECT, related_name="continuing_expenses"
    )
    account = models.ForeignKey(Account, verbose_name="会計", on_delete=models.PROTECT, related_name="+")
    moku = models.ForeignKey(BudgetClassification, verbose_name="目", on_delete=models.PROTECT, related_name="+")
    setsu = models.ForeignKey(BudgetClassification, verbose_name="節", on_delete=models.PROTECT, related_name="+")
    project = models.CharField("事業名", max_length=100)
    total = models.BigIntegerField("総額")
    first_year = models.PositiveIntegerField("初年度")
    last_year = models.PositiveIntegerField("最終年度")
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = _("継続費")
        verbose_name_plural = _("継続費")
        ordering = ["account", "first_year", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="fin_continuing_total_positive"),
            models.CheckConstraint(condition=Q(last_year__gt=F("first_year")), name="fin_continuing_years"),
        ]

    def __str__(self) -> str:
        return f"{self.project}（{self.first_year}〜{self.last_year}年度）"

    def covers(self, line: BudgetLine) -> bool:
        """Whether the line is this 継続費's own line of one of its years (現年度分)."""
        return (
            (line.account_id, line.moku_id, line.setsu_id) == (self.account_id, self.moku_id, self.setsu_id)
            and self.first_year <= line.fiscal_year <= self.last_year
            and not line.is_carried
        )


class ContinuingInstallment(models.Model):
    """The 年割額 of a 継続費 for one year."""

    expense = models.ForeignKey(
        ContinuingExpense, verbose_name="継続費", on_delete=models.PROTECT, related_name="installments"
    )
    fiscal_year = models.PositiveIntegerField("年度")
    amount = models.BigIntegerField("年割額")

    class Meta:
        verbose_name = _("継続費の年割額")
        verbose_name_plural = _("継続費の年割額")
        ordering = ["expense", "fiscal_year"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_installment_positive"),
            models.UniqueConstraint(fields=["expense", "fiscal_year"], name="fin_installment_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.expense.project} {self.fiscal_year}年度 {self.amount:,}円"
