"""Where paper records are kept and who has them (書庫・保存箱・借覧).

A paper original (紙の原議: a paper decision, a record taken over from the old register) sits in a
box (``StorageBox``, 文書保存箱) of its section on a shelf of a storeroom (``Storeroom``, 書庫) that the
document manager (文書主管) keeps; ``StoredRecord`` says which box holds it, and the register's 保管場所
(``Document.location``) is written from the box when it is put there. A record taken out for reading
(借覧) is a ``RecordLoan``: borrower, purpose, lent and due dates, and the return. A record has at
most one loan open at a time (a database constraint), and a loan open after its due date is overdue
(延滞).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from cityhall.core.japanese.display import shown_date
from cityhall.documents.models.register import Document
from cityhall.org.models import OrgUnit

LABEL_MAX_LENGTH = 40
"""箱番号 and 棚: as the models hold them."""


class Storeroom(models.Model):
    """A storeroom of records (書庫) kept by the document manager: its name and where it is."""

    name = models.CharField("書庫名", max_length=100)
    place = models.CharField("所在", max_length=200, blank=True, help_text="例: 本庁舎 地下1階")
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("書庫")
        verbose_name_plural = gettext_lazy("書庫")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], name="doc_storeroom_name_unique", violation_error_message="同じ名前の書庫があります。"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StorageBox(models.Model):
    """A box of one section's paper records (文書保存箱) on a shelf of a storeroom."""

    storeroom = models.ForeignKey(Storeroom, verbose_name="書庫", on_delete=models.PROTECT, related_name="boxes")
    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    label = models.CharField("箱番号", max_length=LABEL_MAX_LENGTH)
    shelf = models.CharField("棚", max_length=LABEL_MAX_LENGTH, blank=True)
    fiscal_year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    note = models.CharField("備考", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登録者", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("文書保存箱")
        verbose_name_plural = gettext_lazy("文書保存箱")
        ordering = ["storeroom__name", "shelf", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["storeroom", "label"],
                name="doc_box_label_unique",
                violation_error_message="この書庫には同じ箱番号の箱があります。",
            )
        ]

    def __str__(self) -> str:
        return self.place_text

    @property
    def place_text(self) -> str:
        """Where the box is, as the register's 保管場所 says it: 「第1書庫 棚3 箱R7-総-01」."""
        shelf = f" 棚{self.shelf}" if self.shelf else ""
        return f"{self.storeroom.name}{shelf} 箱{self.label}"


class StoredRecord(models.Model):
    """Which box holds a paper record (紙の原議の収納先)."""

    document = models.OneToOneField(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="storage")
    box = models.ForeignKey(StorageBox, verbose_name="文書保存箱", on_delete=models.PROTECT, related_name="records")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="収納者", on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField("収納日時")

    class Meta:
        verbose_name = gettext_lazy("書庫への収納")
        verbose_name_plural = gettext_lazy("書庫への収納")

    def __str__(self) -> str:
        return f"{self.document_id} → {self.box_id}"


class RecordLoan(models.Model):
    """A paper record taken out for reading (借覧): borrower, purpose, due date and return."""

    document = models.ForeignKey(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="借受者", on_delete=models.PROTECT, related_name="+"
    )
    borrower_section = models.ForeignKey(OrgUnit, verbose_name="借受者の課", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("借覧の目的", max_length=200)
    lent_on = models.DateField("貸出日")
    due_on = models.DateField("返却期限")
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="貸出の処理者", on_delete=models.PROTECT, related_name="+"
    )
    returned_on = models.DateField("返却日", null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="返却の処理者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("借覧")
        verbose_name_plural = gettext_lazy("借覧")
        ordering = ["-lent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(returned_on__isnull=True),
                name="doc_loan_one_open",
                violation_error_message="この文書は貸出中です。返却されてから貸し出してください。",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("lent_on")),
                name="doc_loan_due_after_lent",
                violation_error_message="返却期限は貸出日以降の日付にしてください。",
            ),
            models.CheckConstraint(
                condition=(Q(returned_on__isnull=True) & Q(returned_to__isnull=True))
                | (Q(returned_on__gte=F("lent_on")) & Q(returned_to__isnull=False)),
                name="doc_loan_returned_after_lent",
                violation_error_message="返却日は貸出日以降の日付にしてください。",
            ),
        ]
        indexes = [
            models.Index(fields=["returned_on", "due_on"], name="doc_loan_open_due"),
            models.Index(fields=["borrower", "returned_on"], name="doc_loan_borrower_open"),
        ]

    def __str__(self) -> str:
        # As the audit room shows it: dates the Japanese way, never ISO (this is read by officials).
        return f"借覧 文書{self.document_id} {shown_date(self.lent_on)}〜{shown_date(self.due_on)}"

    @property
    def is_open(self) -> bool:
        """Whether the record is still out (貸出中)."""
        return self.returned_on is None
