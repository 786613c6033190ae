"""The task inventory (業務棚卸し): a section's tasks with their hours, systems and obstacles to telework."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from cityhall.documents.models import MatterKind
from cityhall.org.models import OrgUnit


class Obstacle(models.TextChoices):
    """An obstacle to doing a task from home (テレワークの支障), as the inventory declares it."""

    PERSONAL_DATA = "personal_data", pgettext_lazy("obstacle", "個人情報を扱う")
    PAPER_ORIGINALS = "paper_originals", pgettext_lazy("obstacle", "紙の原本が必要")
    SEALS = "seals", pgettext_lazy("obstacle", "押印・紙の決裁が必要")
    LARGE_DRAWINGS = "large_drawings", pgettext_lazy("obstacle", "大きな図面が必要")
    COUNTER_WORK = "counter_work", pgettext_lazy("obstacle", "窓口業務")
    FIELD_WORK = "field_work", pgettext_lazy("obstacle", "現場業務")


class InventoryTask(models.Model):
    """One task of a section (業務): hours per year, systems, obstacles, and the kind of matter it decides."""

    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("業務名", max_length=100)
    hours_per_year = models.PositiveIntegerField("年間業務時間")
    systems = models.CharField("使用するシステム", max_length=200, blank=True)
    obstacles = models.JSONField("支障", default=list, blank=True, help_text="Obstacle の値の一覧。")
    matter_kind = models.ForeignKey(
        MatterKind, verbose_name="決裁する事案の種類", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("棚卸しの業務")
        verbose_name_plural = gettext_lazy("業務棚卸し")
        ordering = ["section_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "name"],
                name="telework_task_one_name_per_section",
                violation_error_message="この課には同じ業務名が既にあります。",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_year__lte=1_000_000),
                name="telework_task_hours_bounded",
                violation_error_message="年間業務時間は1,000,000時間以下にしてください。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_id} {self.name}"
