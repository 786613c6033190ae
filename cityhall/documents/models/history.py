"""The history of a document (履歴): every action on it, with person, post, time, comment and round.

Kept for good: an entry is appended in the transaction of the action it records and never
changed or deleted (the route steps of a round change when the route moves on, e.g. an
approval pulled back; the history keeps both the approval and its pull-back).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from cityhall.documents.models.register import Document
from cityhall.documents.models.routing import RouteStep


class EventKind(models.TextChoices):
    """What happened to a document (履歴の処理)."""

    SUBMIT = "submit", pgettext_lazy("document event", "回議開始")
    RESUBMIT = "resubmit", pgettext_lazy("document event", "再回議")
    APPROVE = "approve", pgettext_lazy("document event", "承認")
    DECIDE = "decide", pgettext_lazy("document event", "決裁")
    DECIDE_PROXY = "decide_proxy", pgettext_lazy("document event", "代決")
    AGREE = "agree", pgettext_lazy("document event", "合議（合意）")
    OBJECT = "object", pgettext_lazy("document event", "合議（異議）")
    SEND_BACK = "send_back", pgettext_lazy("document event", "差戻し")
    REJECT = "reject", pgettext_lazy("document event", "却下")
    PULL_BACK = "pull_back", pgettext_lazy("document event", "引戻し")
    PULL_BACK_APPROVAL = "pull_back_approval", pgettext_lazy("document event", "承認の引戻し")
    WITHDRAW = "withdraw", pgettext_lazy("document event", "取下げ")
    SKIP = "skip", pgettext_lazy("document event", "不在のため後閲へ")
    POST_REVIEW = "post_review", pgettext_lazy("document event", "後閲")
    COMMENT = "comment", pgettext_lazy("document event", "コメント")
    ISSUE = "issue", pgettext_lazy("document event", "施行")
    CLOSE = "close", pgettext_lazy("document event", "完結")


class DocumentEvent(models.Model):
    """One entry of a document's history (履歴): who did what, in which post, when, with what comment.

    ``round`` is the submission it belongs to (1 回議, 2 再回議 …; 0 before the first);
    ``post`` the actor's post as it was then (「総務課 課長」), so a later 人事異動 does not
    rewrite it; ``step`` the route step acted on, if any; ``target_step`` the earlier approver's
    step a 差戻し went back to (null: back to the drafter).
    """

    document = models.ForeignKey(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="events")
    round = models.PositiveSmallIntegerField("回", default=0)
    kind = models.CharField("処理", max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="処理者", on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField("職", max_length=200, blank=True)
    step = models.ForeignKey(
        RouteStep, verbose_name="回議の段", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    # A send-back to an earlier approver (差戻し先): the step the route resumes from; null for the drafter.
    target_step = models.ForeignKey(
        RouteStep, verbose_name="差戻し先", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("日時")
    comment = models.TextField("意見", blank=True)

    class Meta:
        verbose_name = gettext_lazy("履歴")
        verbose_name_plural = gettext_lazy("履歴")
        ordering = ["document_id", "at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="doc_event_kind_valid")]
        indexes = [models.Index(fields=["document", "at"], name="doc_event_document_at")]

    def __str__(self) -> str:
        return f"{self.document_id} R{self.round} {self.get_kind_display()} {self.actor_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("履歴は変更できません。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("履歴は削除できません。")
