"""The dashboard's monthly rollups (月次集計): figures derived from the register, never entered by anyone.

Rows are rebuilt whole for a month by ``rollup.rebuild``; nothing else writes them. Durations are kept
at three grains so that a page reads a few thousand rows whatever the spread of the durations: by 課
and kind of matter (a 課's page), by 課 alone and by kind alone (the city's page).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class RollupMonth(models.Model):
    """A month whose rollup rows exist (集計済みの月): when they were built and when last found unchanged."""

    month = models.DateField("月", unique=True)
    computed_at = models.DateTimeField("集計日時")
    checked_at = models.DateTimeField("変更の確認日時")

    class Meta:
        verbose_name = gettext_lazy("集計済みの月")
        verbose_name_plural = gettext_lazy("集計済みの月")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class DecisionRollup(models.Model):
    """Decided documents of one month, section, kind of matter and medium (決裁件数・紙の削減)."""

    month = models.DateField("月")
    section = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    matter_kind = models.ForeignKey("documents.MatterKind", on_delete=models.CASCADE, related_name="+")
    medium = models.CharField("媒体", max_length=10)
    documents = models.PositiveIntegerField("決裁件数")
    attachments = models.PositiveIntegerField("添付ファイル数")

    class Meta:
        verbose_name = gettext_lazy("決裁の月次集計")
        verbose_name_plural = gettext_lazy("決裁の月次集計")
        constraints = [
            models.UniqueConstraint(fields=["month", "section", "matter_kind", "medium"], name="dash_decision_key")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.section_id} {self.matter_kind_id} {self.medium} {self.documents}"


class DurationRollup(models.Model):
    """How many documents of one month, section and kind took a duration in ``bucket`` (決裁までの時間の分布)."""

    month = models.DateField("月")
    section = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    matter_kind = models.ForeignKey("documents.MatterKind", on_delete=models.CASCADE, related_name="+")
    bucket = models.PositiveIntegerField("区間の上限（時間）")
    documents = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = gettext_lazy("決裁までの時間の月次集計")
        verbose_name_plural = gettext_lazy("決裁までの時間の月次集計")
        constraints = [
            models.UniqueConstraint(fields=["month", "section", "matter_kind", "bucket"], name="dash_duration_key")
        ]
        indexes = [models.Index(fields=["section", "month"], name="dash_duration_section")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.section_id} {self.matter_kind_id} ≤{self.bucket}h {self.documents}"


class SectionDurationRollup(models.Model):
    """``DurationRollup`` summed over the kinds of matter: one month and 課 (課別の決裁までの時間)."""

    month = models.DateField("月")
    section = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    bucket = models.PositiveIntegerField("区間の上限（時間）")
    documents = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = gettext_lazy("課別の決裁までの時間の月次集計")
        verbose_name_plural = gettext_lazy("課別の決裁までの時間の月次集計")
        constraints = [models.UniqueConstraint(fields=["month", "section", "bucket"], name="dash_section_duration_key")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.section_id} ≤{self.bucket}h {self.documents}"


class KindDurationRollup(models.Model):
    """``DurationRollup`` summed over the 課: one month and kind of matter (事案の種類別の決裁までの時間)."""

    month = models.DateField("月")
    matter_kind = models.ForeignKey("documents.MatterKind", on_delete=models.CASCADE, related_name="+")
    bucket = models.PositiveIntegerField("区間の上限（時間）")
    documents = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = gettext_lazy("事案の種類別の決裁までの時間の月次集計")
        verbose_name_plural = gettext_lazy("事案の種類別の決裁までの時間の月次集計")
        constraints = [
            models.UniqueConstraint(fields=["month", "matter_kind", "bucket"], name="dash_kind_duration_key")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.matter_kind_id} ≤{self.bucket}h {self.documents}"
