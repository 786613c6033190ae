"""Creditors (債権者) and their bank accounts (振込口座)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Creditor(models.Model):
    """A creditor (債権者): who the city pays, with the invoice registration number (登録番号)."""

    code = models.CharField("債権者コード", max_length=20, unique=True)
    name = models.CharField("名称", max_length=200)
    kana = models.CharField("フリガナ", max_length=200)
    address = models.CharField("住所", max_length=300, blank=True)
    invoice_registration_number = models.CharField("登録番号", max_length=14, blank=True)
    is_individual = models.BooleanField("個人事業者", default=False)
    is_active = models.BooleanField("有効", default=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = _("債権者")
        verbose_name_plural = _("債権者")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice_registration_number"],
                condition=~Q(invoice_registration_number=""),
                name="fin_creditor_invoice_number_unique",
                violation_error_message="この登録番号の債権者は既に登録されています。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AccountType(models.TextChoices):
    """Deposit type (預金種目) as in the 全銀 data record."""

    ORDINARY = "1", _("普通")
    CURRENT = "2", _("当座")
    SAVINGS = "4", _("貯蓄")
    OTHER = "9", _("その他")


class CreditorBankAccount(models.Model):
    """A creditor's bank account (振込口座): codes checked against zengin-code, holder in 全銀 kana."""

    creditor = models.ForeignKey(
        Creditor, verbose_name="債権者", on_delete=models.PROTECT, related_name="bank_accounts"
    )
    bank_code = models.CharField("銀行コード", max_length=4)
    bank_name = models.CharField("銀行名", max_length=100)
    branch_code = models.CharField("支店コード", max_length=3)
    branch_name = models.CharField("支店名", max_length=100)
    account_type = models.CharField("預金種目", max_length=1, choices=AccountType.choices)
    account_number = models.CharField("口座番号", max_length=7)
    holder_kana = models.CharField("口座名義カナ", max_length=30)
    is_default = models.BooleanField("既定の口座", default=True)
    # A stopped account (停止) stays for the orders that paid to it but is never chosen again.
    is_active = models.BooleanField("有効", default=True)

    class Meta:
        verbose_name = _("振込口座")
        verbose_name_plural = _("振込口座")
        ordering = ["creditor", "-is_default", "pk"]
        constraints = [
            models.UniqueConstraint(  # among accounts in use: a stopped one may be registered again
                fields=["bank_code", "branch_code", "account_number"],
                condition=Q(is_active=True),
                name="fin_bank_account_unique",
                violation_error_message="この口座は既に他の債権者に登録されています。",
            ),
            models.CheckConstraint(condition=Q(account_type__in=AccountType.values), name="fin_account_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.branch_name} {self.get_account_type_display()} {self.account_number}"
