"""The disposal/transfer list (廃棄・移管リスト) of a section: the list, its items and the files it leaves to delete.

The list itself is a typed document (``documents.disposal_list``); ``DisposalList`` is its own row
beside that document (the section whose records it lists, the date their retention ended by, the
transfer package), ``DisposalListItem`` one record on it (or one receipt closed on its own, 収受文書)
with the action chosen for it (廃棄, or 移管 for one selected as 歴史公文書), and
``PendingFileDeletion`` a stored file of a disposed record that is still to be deleted from
storage: written in the transaction that disposes the record, removed once the file is gone (so a
crash between the commit and the deletion leaves a row that the retry finds, never a file nobody
knows about).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from cityhall.documents.models.register import Document, ExpiryAction
from cityhall.org.models import OrgUnit


class DisposalList(models.Model):
    """A disposal/transfer list (廃棄・移管リスト) beside its document: whose records, and what it left behind."""

    document = models.OneToOneField(
        Document, verbose_name="文書", on_delete=models.PROTECT, related_name="disposal_list_row"
    )
    section = models.ForeignKey(
        OrgUnit, verbose_name="対象の課", on_delete=models.PROTECT, related_name="disposal_lists"
    )
    due_by = models.DateField("保存期間満了日（この日まで）")
    generated = models.BooleanField("文書主管による作成", default=False)
    carried_out_at = models.DateTimeField("実施日時", null=True, blank=True)
    package = models.FileField("移管パッケージ", upload_to="documents/transfers/%Y/", max_length=255, blank=True)
    package_sha256 = models.CharField("移管パッケージのSHA-256", max_length=64, blank=True)
    package_size = models.PositiveBigIntegerField("移管パッケージのサイズ", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="作成者", on_delete=models.PROTECT)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("廃棄・移管リスト")
        verbose_name_plural = gettext_lazy("廃棄・移管リスト")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(package="") | (~Q(package_sha256="") & Q(package_size__gt=0)),
                name="doc_disposal_package_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.section_id} {self.due_by}"


class DisposalOutcome(models.TextChoices):
    """What became of one item once the list was decided (廃棄・移管の結果)."""

    PENDING = "pending", pgettext_lazy("disposal outcome", "決裁待ち")
    DONE = "done", pgettext_lazy("disposal outcome", "実施済")
    SKIPPED = "skipped", pgettext_lazy("disposal outcome", "除外")


class DisposalListItem(models.Model):
    """One record on a disposal/transfer list (廃棄・移管リストの明細); the list itself is a typed document."""

    disposal_list = models.ForeignKey(
        Document, verbose_name="廃棄・移管リスト", on_delete=models.PROTECT, related_name="disposal_items"
    )
    record = models.ForeignKey(
        Document, verbose_name="対象文書", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt = models.ForeignKey(
        "documents.Receipt",
        verbose_name="対象の収受文書",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("措置", max_length=10, choices=ExpiryAction.choices)
    expires_on = models.DateField("保存期間満了日（作成時）")
    outcome = models.CharField("結果", max_length=10, choices=DisposalOutcome.choices, default=DisposalOutcome.PENDING)
    done_on = models.DateField("実施日", null=True, blank=True)
    note = models.CharField("備考", max_length=200, blank=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("廃棄・移管リストの明細")
        verbose_name_plural = gettext_lazy("廃棄・移管リストの明細")
        ordering = ["disposal_list_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["disposal_list", "record"], name="doc_disposal_item_unique"),
            models.UniqueConstraint(fields=["disposal_list", "receipt"], name="doc_disposal_item_receipt_unique"),
            models.CheckConstraint(
                condition=(Q(record__isnull=False) & Q(receipt__isnull=True))
                | (Q(record__isnull=True) & Q(receipt__isnull=False)),
                name="doc_disposal_item_one_target",
            ),
            models.CheckConstraint(condition=Q(action__in=ExpiryAction.values), name="doc_disposal_action_valid"),
            models.CheckConstraint(condition=Q(outcome__in=DisposalOutcome.values), name="doc_disposal_outcome_valid"),
            models.CheckConstraint(
                condition=~Q(outcome="done") | Q(done_on__isnull=False), name="doc_disposal_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        target = self.record_id if self.record_id is not None else f"receipt {self.receipt_id}"
        return f"{self.disposal_list_id}: {target} {self.get_action_display()}"

    @property
    def number_label(self) -> str:
        """The listed record's 文書番号, or the receipt's 収受番号."""
        target = self.record or self.receipt
        return target.number_label if target is not None else ""

    @property
    def is_receipt(self) -> bool:
        """Whether the item lists a receipt closed on its own (収受文書) rather than a record."""
        return self.receipt_id is not None

    def title_shown(self, secret: str) -> str:
        """The title as lists show it: ``secret`` for a 秘 record (a receipt's title is its 件名 as received)."""
        if self.record is not None:
            return secret if self.record.is_confidential else self.record.title
        return self.receipt.title if self.receipt is not None else ""


class PendingFileDeletion(models.Model):
    """A stored file of a disposed record still to be deleted (削除待ちのファイル): the storage name only."""

    name = models.CharField("保存名", max_length=255, unique=True)
    disposal_list = models.ForeignKey(
        Document, verbose_name="廃棄・移管リスト", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", default=timezone.now)
    attempts = models.PositiveSmallIntegerField("削除の試行回数", default=0)

    class Meta:
        verbose_name = gettext_lazy("削除待ちのファイル")
        verbose_name_plural = gettext_lazy("削除待ちのファイル")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
