"""Inquiry batches (預貯金等照会): the decision document, its persons, one letter per institution.

A batch is a typed document on the approval engine (``inquiries.batch``): the ``InquiryBatch`` row
beside its ``Document`` holds what the approver decides (legal basis, purpose, period, base date).
``BatchPerson`` keeps each person as they were asked about (name, kana, birth date, addresses), so a
letter says what was sent even after the person's record changes. ``Letter`` is the batch's
inquiry to one institution (照会書, or the request file of a digital institution) with its number,
sent date, reply deadline and status; ``InquiryItem`` is one person asked of one institution (a
batch may ask different institutions about different persons).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cityhall.documents.models import Document
from cityhall.inquiries.models.institutions import Institution
from cityhall.inquiries.models.persons import DelinquentPerson
from cityhall.org.models import OrgUnit

LEGAL_BASIS = "地方税法第331条第6項等の規定により例によることとされる国税徴収法第141条"
"""The usual legal basis (根拠法令) of a municipal tax's inquiry about a delinquent taxpayer's assets."""


class InquiryBatch(models.Model):
    """An inquiry batch (預貯金等照会の一括): the decision and its terms; the section owns it."""

    document = models.OneToOneField(
        Document, verbose_name="文書", on_delete=models.PROTECT, related_name="inquiry_batch"
    )
    section = models.ForeignKey(OrgUnit, verbose_name="担当課", on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField("根拠法令", max_length=200, default=LEGAL_BASIS)
    purpose = models.TextField("照会の目的", max_length=1000)
    period_from = models.DateField("取引履歴の照会期間（開始）", null=True, blank=True)
    period_to = models.DateField("取引履歴の照会期間（終了）", null=True, blank=True)
    base_date = models.DateField("残高の基準日")
    reply_days = models.PositiveSmallIntegerField("回答期限（送付日から）", default=14)
    criteria = models.JSONField("選定の条件", default=dict, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = _("預貯金等照会")
        verbose_name_plural = _("預貯金等照会")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__isnull=True) | Q(period_to__isnull=True) | Q(period_from__lte=F("period_to")),
                name="inq_batch_period_ordered",
                violation_error_message="照会期間の開始日は終了日以前にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(reply_days__gte=1, reply_days__lte=120), name="inq_batch_reply_days_range"
            ),
            models.CheckConstraint(condition=~Q(purpose=""), name="inq_batch_purpose_given"),
        ]

    def __str__(self) -> str:
        return f"{_('預貯金等照会')} {self.pk}"


class BatchPerson(models.Model):
    """A person in a batch, as they were asked about (照会対象者): the letter's copy of their record."""

    batch = models.ForeignKey(InquiryBatch, verbose_name="照会", on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(
        DelinquentPerson, verbose_name="滞納者", on_delete=models.PROTECT, related_name="inquiries"
    )
    name = models.CharField("氏名", max_length=100)
    kana = models.CharField("フリガナ", max_length=100)
    birth_date = models.DateField("生年月日")
    address = models.CharField("住所", max_length=300)
    former_addresses = models.TextField("旧住所（1行に1件）", blank=True)

    class Meta:
        verbose_name = _("照会対象者")
        verbose_name_plural = _("照会対象者")
        ordering = ["batch_id", "kana", "pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "person"], name="inq_batch_person_unique")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.person_id}"


class LetterStatus(models.TextChoices):
    """Where an institution's inquiry stands (照会書の状況)."""

    PENDING = "pending", _("未送付")
    SENT = "sent", _("回答待ち")
    ANSWERED = "answered", _("回答済")
    CANCELLED = "cancelled", _("取消")


class Letter(models.Model):
    """The batch's inquiry to one institution (照会書・照会ファイル): number, dates and status.

    ``number`` is the letter's number within the batch (照会書番号, given when the letters are made
    after the decision); ``reply_deadline`` is the date the institution is asked to answer by.
    """

    batch = models.ForeignKey(InquiryBatch, verbose_name="照会", on_delete=models.CASCADE, related_name="letters")
    institution = models.ForeignKey(
        Institution, verbose_name="照会先", on_delete=models.PROTECT, related_name="letters"
    )
    number = models.PositiveIntegerField("照会書番号", null=True, blank=True)
    status = models.CharField("状況", max_length=10, choices=LetterStatus.choices, default=LetterStatus.PENDING)
    sent_on = models.DateField("送付日", null=True, blank=True)
    reply_deadline = models.DateField("回答期限", null=True, blank=True)
    answered_on = models.DateField("回答日", null=True, blank=True)
    reminded_on = models.DateField("督促日", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("督促の回数", default=0)

    class Meta:
        verbose_name = _("照会書")
        verbose_name_plural = _("照会書")
        ordering = ["batch_id", F("number").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "institution"], name="inq_letter_institution_unique"),
            models.UniqueConstraint(
                fields=["batch", "number"], condition=Q(number__isnull=False), name="inq_letter_number_unique"
            ),
            models.CheckConstraint(condition=Q(status__in=LetterStatus.values), name="inq_letter_status_valid"),
            models.CheckConstraint(
                condition=Q(status__in=[LetterStatus.PENDING, LetterStatus.CANCELLED]) | Q(sent_on__isnull=False),
                name="inq_letter_sent_has_date",
                violation_error_message="送付済みの照会書には送付日が必要です。",
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True)
                | Q(reply_deadline__isnull=True)
                | Q(reply_deadline__gte=F("sent_on")),
                name="inq_letter_deadline_after_sending",
                violation_error_message="回答期限は送付日以降にしてください。",
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.ANSWERED) | Q(answered_on__isnull=False),
                name="inq_letter_answered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}-{self.number or '—'} {self.institution_id}"


class InquiryItem(models.Model):
    """One person asked of one institution (照会明細): a line of that institution's letter."""

    letter = models.ForeignKey(Letter, verbose_name="照会書", on_delete=models.CASCADE, related_name="items")
    batch_person = models.ForeignKey(
        BatchPerson, verbose_name="照会対象者", on_delete=models.CASCADE, related_name="items"
    )

    class Meta:
        verbose_name = _("照会明細")
        verbose_name_plural = _("照会明細")
        ordering = ["letter_id", "batch_person_id"]
        constraints = [models.UniqueConstraint(fields=["letter", "batch_person"], name="inq_item_unique")]

    def __str__(self) -> str:
        return f"{self.letter_id}:{self.batch_person_id}"
