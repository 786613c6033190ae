"""Delinquent taxpayers (滞納者) with their former addresses (旧住所) and delinquent tax items (滞納税目)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cityhall.org.models import OrgUnit

OLDEST_BIRTH_DATE = dt.date(1900, 1, 1)


class DelinquentPerson(models.Model):
    """A delinquent taxpayer (滞納者) of one tax collection section, as the tax system knows them.

    ``resident_number`` (宛名番号) is unique within the section (a section belongs to one
    municipality); ``kana`` is full-width katakana (the services normalise it, as banks match on
    it); ``amount`` is the whole-yen total still owed; ``delinquent_since`` is the due date of the
    oldest unpaid item, from which the age of the debt (滞納期間) is counted.
    """

    section = models.ForeignKey(OrgUnit, verbose_name="担当課", on_delete=models.PROTECT, related_name="+")
    resident_number = models.CharField("宛名番号", max_length=20)
    name = models.CharField("氏名", max_length=100)
    kana = models.CharField("フリガナ", max_length=100)
    birth_date = models.DateField("生年月日")
    address = models.CharField("住所", max_length=300)
    amount = models.BigIntegerField("滞納額")
    delinquent_since = models.DateField("最も古い滞納の納期限")
    area = models.CharField("地区", max_length=50, blank=True)
    payment_banks = models.CharField(
        "納付の確認された金融機関",
        max_length=60,
        blank=True,
        help_text="口座振替や納付で取引が確認された金融機関の銀行コード（4桁、空白区切り）。",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = _("滞納者")
        verbose_name_plural = _("滞納者")
        ordering = ["section_id", "kana", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "resident_number"],
                name="inq_person_number_unique",
                violation_error_message="この宛名番号の滞納者は既に登録されています。",
            ),
            models.CheckConstraint(condition=~Q(resident_number=""), name="inq_person_number_given"),
            models.CheckConstraint(condition=~Q(kana=""), name="inq_person_kana_given"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="inq_person_amount_not_negative"),
            models.CheckConstraint(condition=Q(birth_date__gte=OLDEST_BIRTH_DATE), name="inq_person_birth_date_real"),
        ]
        indexes = [
            models.Index(fields=["section", "kana", "birth_date"], name="inq_person_match_idx"),
            models.Index(fields=["section", "amount"], name="inq_person_amount_idx"),
            models.Index(fields=["section", "delinquent_since"], name="inq_person_age_idx"),
        ]

    def __str__(self) -> str:
        # Also the person's label in the audit trail, which is read outside the section: the number, never the name.
        return f"宛名番号 {self.resident_number}"


class FormerAddress(models.Model):
    """A former address (旧住所) of a person, newest first (``position`` 1): banks may know them by it."""

    person = models.ForeignKey(
        DelinquentPerson, verbose_name="滞納者", on_delete=models.CASCADE, related_name="former_addresses"
    )
    position = models.PositiveSmallIntegerField("順序")
    address = models.CharField("旧住所", max_length=300)
    moved_out_on = models.DateField("転出日", null=True, blank=True)

    class Meta:
        verbose_name = _("旧住所")
        verbose_name_plural = _("旧住所")
        ordering = ["person_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["person", "position"], name="inq_former_address_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="inq_former_address_position_from_one"),
            models.CheckConstraint(condition=~Q(address=""), name="inq_former_address_given"),
        ]

    def __str__(self) -> str:
        return self.address


class TaxItem(models.Model):
    """One delinquent item (滞納税目): the tax, its fiscal year, the amount owed and its due date."""

    person = models.ForeignKey(
        DelinquentPerson, verbose_name="滞納者", on_delete=models.CASCADE, related_name="tax_items"
    )
    tax = models.CharField("税目", max_length=40)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    amount = models.BigIntegerField("金額")
    due_on = models.DateField("納期限", null=True, blank=True)

    class Meta:
        verbose_name = _("滞納税目")
        verbose_name_plural = _("滞納税目")
        ordering = ["person_id", "fiscal_year", F("due_on").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="inq_tax_item_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=1989, fiscal_year__lte=2200), name="inq_tax_item_year_valid"
            ),
            models.CheckConstraint(condition=~Q(tax=""), name="inq_tax_item_tax_given"),
        ]

    def __str__(self) -> str:
        return f"{self.tax}（{self.fiscal_year}年度）"
