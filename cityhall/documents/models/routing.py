"""The route of a document (回議・合議ルート): steps, post-reviews, comments and saved routes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from cityhall.documents.models.register import Document
from cityhall.org.models import OrgUnit, Post


class StepKind(models.TextChoices):
    """Kind of a route step."""

    REVIEW = "review", pgettext_lazy("route step kind", "回議")
    CONSULT = "consult", pgettext_lazy("route step kind", "合議")
    DECIDE = "decide", pgettext_lazy("route step kind", "決裁")


class StepState(models.TextChoices):
    """State of a route step."""

    WAITING = "waiting", pgettext_lazy("route step state", "待機")
    PENDING = "pending", pgettext_lazy("route step state", "処理待ち")
    APPROVED = "approved", pgettext_lazy("route step state", "承認")
    AGREED = "agreed", pgettext_lazy("route step state", "合意")
    OBJECTED = "objected", pgettext_lazy("route step state", "異議")
    SENT_BACK = "sent_back", pgettext_lazy("route step state", "差戻し")
    REJECTED = "rejected", pgettext_lazy("route step state", "却下")
    SKIPPED = "skipped", pgettext_lazy("route step state", "後閲待ち")
    DECIDED = "decided", pgettext_lazy("route step state", "決裁")
    CANCELLED = "cancelled", pgettext_lazy("route step state", "取消")


COMMENT_MAX_LENGTH = 2_000
"""意見・理由 and コメント: at most this many characters (forms, API and services alike)."""
OPEN_STEP_STATES = (StepState.WAITING, StepState.PENDING)
DONE_STEP_STATES = (StepState.APPROVED, StepState.AGREED, StepState.OBJECTED, StepState.SKIPPED, StepState.DECIDED)


class RouteStep(models.Model):
    """One step of a document's route in one round (回議の各段).

    ``round`` counts submissions (1 for the first, +1 per resubmission);
    steps of the same ``stage`` run in parallel (合議), stages in order.
    ``assignee`` is resolved from the roster (unit + post) as of the day the
    step becomes pending.
    """

    document = models.ForeignKey(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="steps")
    round = models.PositiveSmallIntegerField("回")
    order = models.PositiveSmallIntegerField("順")
    stage = models.PositiveSmallIntegerField("段")
    kind = models.CharField("種別", max_length=10, choices=StepKind.choices)
    unit = models.ForeignKey(OrgUnit, verbose_name="組織", null=True, blank=True, on_delete=models.PROTECT)
    post = models.ForeignKey(Post, verbose_name="職", null=True, blank=True, on_delete=models.PROTECT)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="担当者", on_delete=models.PROTECT, related_name="route_steps"
    )
    state = models.CharField("状態", max_length=10, choices=StepState.choices, default=StepState.WAITING)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="処理者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acted_at = models.DateTimeField("処理日時", null=True, blank=True)
    by_proxy = models.BooleanField("代", default=False)
    comment = models.TextField("意見", blank=True)

    class Meta:
        verbose_name = gettext_lazy("回議の段")
        verbose_name_plural = gettext_lazy("回議ルート")
        ordering = ["document_id", "round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "round", "order"], name="doc_step_order_unique"),
            models.CheckConstraint(condition=Q(state__in=StepState.values), name="doc_step_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=StepKind.values), name="doc_step_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "pending", "cancelled"]) | Q(acted_at__isnull=False),
                name="doc_step_acted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "state"], name="doc_step_assignee_state"),
            models.Index(fields=["acted_by", "document"], name="doc_step_acted_by_document"),
            models.Index(fields=["document", "round", "state"], name="doc_step_doc_round_state"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} R{self.round} #{self.order} {self.get_kind_display()} {self.get_state_display()}"


class PostReview(models.Model):
    """A post-review task (後閲) for a decider whose proxy decided, or a skipped absent approver."""

    step = models.OneToOneField(RouteStep, verbose_name="段", on_delete=models.PROTECT, related_name="post_review")
    document = models.ForeignKey(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="post_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="後閲者", on_delete=models.PROTECT, related_name="post_reviews"
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    done_at = models.DateTimeField("後閲日時", null=True, blank=True)
    comment = models.TextField("意見", blank=True)

    class Meta:
        verbose_name = pgettext_lazy("object type", "後閲")
        verbose_name_plural = pgettext_lazy("object type", "後閲")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["reviewer", "done_at"], name="doc_postreview_reviewer")]

    def __str__(self) -> str:
        return f"後閲 {self.document_id} {self.reviewer_id}"


class DocumentComment(models.Model):
    """A comment on a document by its drafter or a route member (コメント)."""

    document = models.ForeignKey(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="comments")
    round = models.PositiveSmallIntegerField("回", default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="投稿者", on_delete=models.PROTECT)
    body = models.TextField("コメント")
    created_at = models.DateTimeField("投稿日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("コメント")
        verbose_name_plural = gettext_lazy("コメント")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.author_id}"


class SavedRoute(models.Model):
    """A personal saved route (マイルート): extra approvers and consulted sections to add on submission."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="所有者", on_delete=models.CASCADE, related_name="saved_routes"
    )
    name = models.CharField("名称", max_length=50)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="追加の回議者", blank=True, related_name="+"
    )
    consult_units = models.ManyToManyField(OrgUnit, verbose_name="合議先", blank=True, related_name="+")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("マイルート")
        verbose_name_plural = gettext_lazy("マイルート")
        ordering = ["owner_id", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="doc_savedroute_unique_name")]

    def __str__(self) -> str:
        return self.name
