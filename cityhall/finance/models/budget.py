"""Budget (予算): accounts, the classification 款項目節, lines, versions and allotments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityhall.org.models import OrgUnit


class AccountKind(models.TextChoices):
    """Kind of account (会計の種類)."""

    GENERAL = "general", _("一般会計")
    SPECIAL = "special", _("特別会計")


class PayingAccountType(models.TextChoices):
    """預金種目 of a paying account, as the 全銀 header allows it (1 普通, 2 当座, 9 その他)."""

    ORDINARY = "1", _("普通")
    CURRENT = "2", _("当座")
    OTHER = "9", _("その他")


class Account(models.Model):
    """An account (会計): 一般会計 or a 特別会計 such as 国民健康保険.

    The ``payer_*`` fields are the account's paying account (支払口座): the city's account at
    its 指定金融機関 from which this 会計's 歳計現金 is paid, and the 依頼人 code and name the
    bank registered, written in the header of each 全銀 file. All blank: the city-wide paying
    account of ``settings.CITYHALL_ZENGIN`` (as before paying accounts were kept per 会計).
    """

    code = models.CharField("会計コード", max_length=10, unique=True)
    name = models.CharField("会計名", max_length=100, unique=True)
    kind = models.CharField("種類", max_length=10, choices=AccountKind.choices, default=AccountKind.GENERAL)
    sort_order = models.PositiveIntegerField("並び順", default=0)
    payer_requester_code = models.CharField("依頼人コード", max_length=10, blank=True, default="")
    payer_requester_name = models.CharField("依頼人名（半角カナ）", max_length=40, blank=True, default="")
    payer_bank_code = models.CharField("支払口座の金融機関コード", max_length=4, blank=True, default="")
    payer_branch_code = models.CharField("支払口座の支店コード", max_length=3, blank=True, default="")
    payer_account_type = models.CharField(
        "支払口座の預金種目", max_length=1, choices=PayingAccountType.choices, blank=True, default=""
    )
    payer_account_number = models.CharField("支払口座の口座番号", max_length=7, blank=True, default="")

    class Meta:
        verbose_name = _("会計")
        verbose_name_plural = _("会計")
        ordering = ["sort_order", "code"]
        constraints = [
            # The paying account is set whole or not at all (all blank: the city-wide setting).
            models.CheckConstraint(
                condition=Q(
                    payer_requester_code="",
                    payer_requester_name="",
                    payer_bank_code="",
                    payer_branch_code="",
                    payer_account_type="",
                    payer_account_number="",
                )
                | (
                    ~Q(payer_requester_code="")
                    & ~Q(payer_requester_name="")
                    & ~Q(payer_bank_code="")
                    & ~Q(payer_branch_code="")
                    & ~Q(payer_account_type="")
                    & ~Q(payer_account_number="")
                ),
                name="fin_account_payer_whole_or_blank",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_own_paying_account(self) -> bool:
        """Whether this 会計 has its own paying account (else the city-wide setting is used)."""
        return bool(self.payer_account_number)


class Level(models.TextChoices):
    """Level of the budget classification (予算科目の階層)."""

    KAN = "kan", _("款")
    KOU = "kou", _("項")
    MOKU = "moku", _("目")
    SETSU = "setsu", _("節")
    SAISETSU = "saisetsu", _("細節")


# A heading's number with its level, as the budget book writes it (「2款」「10節」); in English
# 「Chapter 2」「Object 10」. Templates use the same messages (context 「budget heading」).
_HEADING_CODES = {
    Level.KAN: pgettext_lazy("budget heading", "%(code)s款"),
    Level.KOU: pgettext_lazy("budget heading", "%(code)s項"),
    Level.MOKU: pgettext_lazy("budget heading", "%(code)s目"),
    Level.SETSU: pgettext_lazy("budget heading", "%(code)s節"),
}


def heading_code(level: str, code: str) -> str:
    """「2款」, 「1項」, 「1目」, 「10節」 in the language of the page (細節 have their bare code)."""
    text = _HEADING_CODES.get(Level(level))
    return str(text) % {"code": code} if text is not None else code


class BudgetKind(models.TextChoices):
    """Where a line's money comes from (予算区分): this year's budget, or a 繰越 from the year before.

    Carried money (繰越明許費繰越分・事故繰越し繰越分) may be spent only on what was carried, so it
    is kept on its own line of the next year rather than merged into that year's ordinary budget.
    """

    CURRENT = "current", _("現年度")
    CARRY_EXPLICIT = "carry_explicit", _("繰越明許費繰越分")
    CARRY_ACCIDENT = "carry_accident", _("事故繰越し繰越分")
    CARRY_CONTINUING = "carry_continuing", _("継続費逓次繰越分")


# Which level each level hangs under; 節 are the national standard list, 細節 hang under a 節.
PARENT_LEVEL = {
    Level.KAN: None,
    Level.KOU: Level.KAN,
    Level.MOKU: Level.KOU,
    Level.SETSU: None,
    Level.SAISETSU: Level.SETSU,
}


class BudgetClassification(models.Model):
    """One budget heading (予算科目): 款 → 項 → 目 of an account, or a standard 節 and its 細節.

    ``transfer_locked`` marks a 節 the city locks against transfers (流用禁止).
    """

    account = models.ForeignKey(
        Account, verbose_name="会計", null=True, blank=True, on_delete=models.PROTECT, related_name="headings"
    )
    level = models.CharField("階層", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上位科目", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField("科目コード", max_length=10)
    name = models.CharField("科目名", max_length=100)
    transfer_locked = models.BooleanField("流用禁止", default=False)
    sort_order = models.PositiveIntegerField("並び順", default=0)

    class Meta:
        verbose_name = _("予算科目")
        verbose_name_plural = _("予算科目")
        ordering = ["level", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "code"], condition=Q(parent__isnull=False), name="fin_heading_code_in_parent"
            ),
            # The standard 節 have no account (NULL): COALESCE makes NULL one value, so the uniqueness holds
            # on SQLite too, which has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                Coalesce("account", Value(0)),
                "level",
                "code",
                condition=Q(parent__isnull=True),
                name="fin_heading_top_code",
            ),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="fin_heading_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetVersion(models.Model):
    """A budget of an account and year (予算の版): number 0 is 当初予算, 1.. are 補正予算."""

    account = models.ForeignKey(Account, verbose_name="会計", on_delete=models.PROTECT, related_name="versions")
    fiscal_year = models.PositiveIntegerField("年度")
    number = models.PositiveIntegerField("補正の号数")
    name = models.CharField("名称", max_length=100)
    decided_on = models.DateField("議決日", null=True, blank=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    personnel_transfer = models.BooleanField(
        "人件費の項間流用",
        default=False,
        help_text="予算で、同一款内の各項に計上した給料・職員手当等・共済費の項間流用を定めた場合"
        "（地方自治法第220条第2項ただし書）。",
    )

    class Meta:
        verbose_name = _("予算の版")
        verbose_name_plural = _("予算の版")
        ordering = ["account", "fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["account", "fiscal_year", "number"], name="fin_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}年度 {self.account} {self.name}"


class BudgetLine(models.Model):
    """A budget line (予算科目の明細): account, year and the path 款/項/目/節(/細節).

    Its amount is the sum of its ``BudgetAmount`` rows over the versions (当初 + 補正).
    A line without 節 is the reserve fund (予備費): never allotted nor charged.
    """

    account = models.ForeignKey(Account, verbose_name="会計", on_delete=models.PROTECT, related_name="lines")
    fiscal_year = models.PositiveIntegerField("年度")
    moku = models.ForeignKey(BudgetClassification, verbose_name="目", on_delete=models.PROTECT, related_name="+")
    # No 節 on the reserve-fund line (予備費 is a 款/目, not a 節): it only gives to other lines.
    setsu = models.ForeignKey(
        BudgetClassification, verbose_name="節", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    saisetsu = models.ForeignKey(
        BudgetClassification, verbose_name="細節", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget_kind = models.CharField(
        "予算区分", max_length=16, choices=BudgetKind.choices, default=BudgetKind.CURRENT, editable=False
    )
    label = models.CharField("表示名", max_length=255, editable=False)

    class Meta:
        verbose_name = _("予算明細")
        verbose_name_plural = _("予算明細")
        ordering = ["account", "fiscal_year", "pk"]
        constraints = [
            # A line without 節 (the 予備費) or 細節 has NULL there; COALESCE makes the uniqueness hold on
            # SQLite too, which has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                "account",
                "fiscal_year",
                "moku",
                Coalesce("setsu", Value(0)),
                Coalesce("saisetsu", Value(0)),
                "budget_kind",
                name="fin_line_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_carried(self) -> bool:
        """Whether this line holds money carried from the year before (繰越分)."""
        return self.budget_kind != BudgetKind.CURRENT

    @property
    def is_reserve(self) -> bool:
        """Whether this is the reserve-fund line (予備費)."""
        return self.setsu_id is None


class BudgetAmount(models.Model):
    """The amount a version gives a line (予算額): 当初 or the change by a 補正 (may be negative)."""

    line = models.ForeignKey(BudgetLine, verbose_name="予算明細", on_delete=models.PROTECT, related_name="amounts")
    version = models.ForeignKey(
        BudgetVersion, verbose_name="予算の版", on_delete=models.PROTECT, related_name="amounts"
    )
    amount = models.BigIntegerField("金額")

    class Meta:
        verbose_name = _("予算額")
        verbose_name_plural = _("予算額")
        constraints = [models.UniqueConstraint(fields=["line", "version"], name="fin_amount_unique")]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.amount}円"


class Allotment(models.Model):
    """An allotment (配当) of a line's budget to a section; the row budget checks lock."""

    line = models.ForeignKey(BudgetLine, verbose_name="予算明細", on_delete=models.PROTECT, related_name="allotments")
    section = models.ForeignKey(OrgUnit, verbose_name="配当先の課", on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField("配当額", default=0)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = _("配当")
        verbose_name_plural = _("配当")
        constraints = [
            models.UniqueConstraint(fields=["line", "section"], name="fin_allotment_unique"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="fin_allotment_not_negative",
                violation_error_message="配当額は0円以上にしてください。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} / {self.section}"
