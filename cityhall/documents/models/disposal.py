"""Items of the yearly disposal/transfer list (廃棄・移管リスト) of a section."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from cityhall.documents.models.register import Document, ExpiryAction


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
    record = models.ForeignKey(Document, verbose_name="対象文書", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("措置", max_length=10, choices=ExpiryAction.choices)
    expires_on = models.DateField("保存期間満了日（作成時）")
    outcome = models.CharField("結果", max_length=10, choices=DisposalOutcome.choices, default=DisposalOutcome.PENDING)
    done_on = models.DateField("実施日", null=True, blank=True)
    note = models.CharField("備考", max_length=200, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("廃棄・移管リストの明細")
        verbose_name_plural = gettext_lazy("廃棄・移管リストの明細")
        ordering = ["disposal_list_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["disposal_list", "record"], name="doc_disposal_item_unique"),
            models.CheckConstraint(condition=Q(action__in=ExpiryAction.values), name="doc_disposal_action_valid"),
            models.CheckConstraint(condition=Q(outcome__in=DisposalOutcome.values), name="doc_disposal_outcome_valid"),
            models.CheckConstraint(
                condition=~Q(outcome="done") | Q(done_on__isnull=False), name="doc_disposal_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disposal_list_id}: {self.record_id} {self.get_action_display()}"
