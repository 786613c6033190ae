"""Answers (回答) of institutions and the assets they found (判明財産).

An ``Answer`` is one row an institution sent about one person (a line of an answer file, or a
paper reply typed in), with the person as the institution wrote them; matching links it to the
``InquiryItem`` it answers (the person at that institution) or leaves it for a human
(``MatchStatus``). ``AnswerFile`` is an imported file, once per institution's letter (its SHA-256
refuses the same file twice). ``FoundAsset`` is an account, policy or holding the answer reports,
the rows of the seizure-candidate list (差押予定一覧).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.inquiries.models.batches import InquiryItem, Letter
from cityhall.inquiries.models.institutions import Institution


class AnswerLayout(models.Model):
    """Where an institution's answer files hold each field (回答ファイルの列の設定), one per institution.

    ``layout`` is ``cityhall.core.tables.Layout.to_dict()``, checked with ``from_dict`` before it is
    stored; an institution without one is read under the usual headers.
    """

    institution = models.OneToOneField(
        Institution, verbose_name="照会先", on_delete=models.CASCADE, related_name="answer_layout"
    )
    layout = models.JSONField("列の設定")
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = _("回答ファイルの列の設定")
        verbose_name_plural = _("回答ファイルの列の設定")

    def __str__(self) -> str:
        return f"{self.institution_id} の列の設定"


class AnswerFile(models.Model):
    """An answer file imported for one letter (回答ファイル): name, hash, who and when."""

    letter = models.ForeignKey(Letter, verbose_name="照会書", on_delete=models.PROTECT, related_name="answer_files")
    name = models.CharField("ファイル名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows = models.PositiveIntegerField("行数", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="取込者", on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField("取込日時", auto_now_add=True)

    class Meta:
        verbose_name = _("回答ファイル")
        verbose_name_plural = _("回答ファイル")
        ordering = ["letter_id", "imported_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "sha256"],
                name="inq_answer_file_once",
                violation_error_message="この回答ファイルは既に取り込まれています。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MatchStatus(models.TextChoices):
    """How an answer row was matched to a person of the batch (照合の状況)."""

    MATCHED = "matched", _("照合済")
    UNMATCHED = "unmatched", _("該当者なし")
    AMBIGUOUS = "ambiguous", _("複数該当")
    DECIDED = "decided", _("職員が確定")
    NOT_OURS = "not_ours", _("対象外")


OPEN_STATUSES = (MatchStatus.UNMATCHED, MatchStatus.AMBIGUOUS)
"""Rows waiting for a human to decide whose they are (未確定)."""


MATCHED_STATUSES = (MatchStatus.MATCHED, MatchStatus.DECIDED)


class AnswerResult(models.TextChoices):
    """What the institution answered (回答の内容)."""

    FOUND = "found", _("財産あり")
    NONE = "none", _("該当なし")


class Answer(models.Model):
    """One answer row (回答): about one person, from one institution, as the institution wrote it."""

    letter = models.ForeignKey(Letter, verbose_name="照会書", on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey(
        InquiryItem, verbose_name="照会明細", null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    answer_file = models.ForeignKey(
        AnswerFile, verbose_name="回答ファイル", null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    row_number = models.PositiveIntegerField("行番号", null=True, blank=True)
    name = models.CharField("氏名（回答）", max_length=100, blank=True)
    kana = models.CharField("フリガナ（回答）", max_length=100, blank=True)
    birth_date = models.DateField("生年月日（回答）", null=True, blank=True)
    address = models.CharField("住所（回答）", max_length=300, blank=True)
    result = models.CharField("回答の内容", max_length=10, choices=AnswerResult.choices)
    match_status = models.CharField(
        "照合の状況", max_length=10, choices=MatchStatus.choices, default=MatchStatus.UNMATCHED
    )
    received_on = models.DateField("回答日")
    note = models.TextField("備考", max_length=1000, blank=True)
    created_at = models.DateTimeField("登録日時", default=timezone.now, editable=False)  # set in bulk imports too

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["letter_id", "answer_file_id", "row_number", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=AnswerResult.values), name="inq_answer_result_valid"),
            models.CheckConstraint(condition=Q(match_status__in=MatchStatus.values), name="inq_answer_match_valid"),
            models.CheckConstraint(  # a matched row names its person; an unmatched one does not (yet)
                condition=(Q(match_status__in=MATCHED_STATUSES) & Q(item__isnull=False))
                | (~Q(match_status__in=MATCHED_STATUSES) & Q(item__isnull=True)),
                name="inq_answer_matched_has_item",
            ),
            models.UniqueConstraint(
                fields=["answer_file", "row_number"],
                condition=Q(answer_file__isnull=False),
                name="inq_answer_row_once",
            ),
        ]
        indexes = [models.Index(fields=["letter", "match_status"], name="inq_answer_status_idx")]

    def __str__(self) -> str:
        return f"{self.letter_id}:{self.row_number or self.pk}"


class AssetKind(models.TextChoices):
    """What kind of asset an answer reports (財産の種類)."""

    DEPOSIT = "deposit", _("預貯金")
    INSURANCE = "insurance", _("生命保険")
    SECURITIES = "securities", _("有価証券")
    OTHER = "other", _("その他")


class AccountType(models.TextChoices):
    """Type of a deposit account (預金種目), including the post office bank's (貯金)."""

    ORDINARY = "ordinary", _("普通")
    CURRENT = "current", _("当座")
    TIME = "time", _("定期")
    SAVINGS = "savings", _("貯蓄")
    POST_ORDINARY = "post_ordinary", _("通常貯金")
    POST_FIXED = "post_fixed", _("定額貯金")
    OTHER = "other", _("その他")


class FoundAsset(models.Model):
    """An asset an answer reports (判明財産): an account with its balance, or a policy with its value."""

    answer = models.ForeignKey(Answer, verbose_name="回答", on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField("財産の種類", max_length=12, choices=AssetKind.choices, default=AssetKind.DEPOSIT)
    branch_name = models.CharField("支店名", max_length=100, blank=True)
    branch_code = models.CharField("支店番号", max_length=10, blank=True)
    account_type = models.CharField("預金種目", max_length=15, choices=AccountType.choices, blank=True)
    account_number = models.CharField("口座番号", max_length=20, blank=True)
    balance = models.BigIntegerField("残高", null=True, blank=True)
    last_transaction_on = models.DateField("最終取引日", null=True, blank=True)
    policy_number = models.CharField("証券番号", max_length=30, blank=True)
    surrender_value = models.BigIntegerField("解約返戻金", null=True, blank=True)
    note = models.CharField("備考", max_length=300, blank=True)

    class Meta:
        verbose_name = _("判明財産")
        verbose_name_plural = _("判明財産")
        ordering = ["answer_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AssetKind.values), name="inq_asset_kind_valid"),
            models.CheckConstraint(
                condition=Q(account_type="") | Q(account_type__in=AccountType.values), name="inq_asset_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(balance__isnull=True) | Q(balance__gte=0), name="inq_asset_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(surrender_value__isnull=True) | Q(surrender_value__gte=0),
                name="inq_asset_surrender_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.branch_name} {self.account_number or self.policy_number}".strip()
