"""Institutions asked (照会先): banks by their 全銀 code, and the editable master of the others.

A bank (``InstitutionKind.BANK``: 銀行・信用金庫・信用組合・労働金庫・農協) names its 銀行コード, read
from zengin-code (``cityhall.core.banks``) when it is registered, and may name the branch that
answers (照会先の支店, often the head office or an 事務センター). The post office bank (ゆうちょ銀行),
insurers, securities firms and others have no code: their name and address are typed in. Each
says how it answers (``channel``: a paper letter or a digital request file) and what it matches
persons on (``match_on``); ``region`` (地域, e.g. a prefecture) groups institutions so a batch can
ask "every bank of the region" (zengin-code has no branch addresses).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    """What kind of institution is asked (照会先の種類)."""

    BANK = "bank", _("銀行・信用金庫等")
    POST_BANK = "post_bank", _("ゆうちょ銀行")
    INSURER = "insurer", _("生命保険会社")
    SECURITIES = "securities", _("証券会社")
    OTHER = "other", _("その他")


DEPOSIT_KINDS = (InstitutionKind.BANK, InstitutionKind.POST_BANK)
"""Institutions that hold deposits (預貯金): what "every bank of a region" selects."""


class Channel(models.TextChoices):
    """How an institution receives inquiries and answers (照会の方法)."""

    PAPER = "paper", _("郵送（照会書）")
    DIGITAL = "digital", _("電子（照会ファイル）")


class MatchOn(models.TextChoices):
    """What an institution matches persons on (照合の項目)."""

    KANA_BIRTH = "kana_birth", _("カナ氏名と生年月日")
    KANA_BIRTH_ADDRESS = "kana_birth_address", _("カナ氏名、生年月日と住所")


class Institution(models.Model):
    """An institution asked about deposits or assets (照会先), with where its letters go."""

    kind = models.CharField("種類", max_length=20, choices=InstitutionKind.choices)
    name = models.CharField("名称", max_length=100)
    kana = models.CharField("フリガナ", max_length=100, blank=True)
    bank_code = models.CharField("銀行コード", max_length=4, blank=True)
    branch_code = models.CharField("支店コード", max_length=3, blank=True)
    branch_name = models.CharField("支店名", max_length=100, blank=True)
    postal_code = models.CharField("郵便番号", max_length=8, blank=True)
    address = models.CharField("送付先住所", max_length=300)
    addressee = models.CharField("宛先（部署）", max_length=100, blank=True)
    region = models.CharField("地域", max_length=40, blank=True)
    channel = models.CharField("照会の方法", max_length=10, choices=Channel.choices, default=Channel.PAPER)
    match_on = models.CharField("照合の項目", max_length=20, choices=MatchOn.choices, default=MatchOn.KANA_BIRTH)
    is_active = models.BooleanField("有効", default=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = _("照会先")
        verbose_name_plural = _("照会先")
        ordering = ["kind", "bank_code", "kana", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InstitutionKind.values), name="inq_institution_kind_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="inq_institution_channel_valid"),
            models.CheckConstraint(condition=Q(match_on__in=MatchOn.values), name="inq_institution_match_valid"),
            models.CheckConstraint(  # a bank by its code; nobody else has one
                condition=(Q(kind=InstitutionKind.BANK) & ~Q(bank_code=""))
                | (~Q(kind=InstitutionKind.BANK) & Q(bank_code="")),
                name="inq_institution_bank_has_code",
                violation_error_message="銀行・信用金庫等は銀行コードで登録し、その他の照会先には銀行コードを付けません。",
            ),
            models.CheckConstraint(
                condition=Q(branch_code="") | ~Q(bank_code=""), name="inq_institution_branch_of_bank"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="inq_institution_name_given"),
            models.UniqueConstraint(
                fields=["bank_code"],
                condition=~Q(bank_code=""),
                name="inq_institution_bank_unique",
                violation_error_message="この銀行は既に照会先に登録されています。",
            ),
            models.UniqueConstraint(
                fields=["name"],
                name="inq_institution_name_unique",
                violation_error_message="この名称の照会先は既に登録されています。",
            ),
        ]

    def __str__(self) -> str:
        return self.name
