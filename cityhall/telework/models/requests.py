"""Telework requests (テレワークの申請): a typed document (``telework.request``) and its days.

The request's decision is its document's (起案 → 回議 → 決裁); ``TeleworkDay`` repeats the person and
the 課 of each requested day so the limits and the calendar count days in one query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from cityhall.documents.models import Document
from cityhall.org.models import OrgUnit


class TeleworkRequest(models.Model):
    """A request to work from home (テレワーク申請): tasks to be done and reachable hours, for its days."""

    document = models.OneToOneField(
        Document, verbose_name="文書", on_delete=models.PROTECT, related_name="telework_request"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申請者", on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    tasks = models.TextField("実施する業務", max_length=2000)
    reachable_from = models.TimeField("連絡可能な時間（から）")
    reachable_to = models.TimeField("連絡可能な時間（まで）")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("テレワーク申請")
        verbose_name_plural = gettext_lazy("テレワーク申請")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reachable_to__gt=F("reachable_from")),
                name="telework_request_hours_ordered",
                violation_error_message="連絡可能な時間は開始より後に終わるようにしてください。",
            )
        ]

    def __str__(self) -> str:
        return f"テレワーク申請 {self.pk}"


class TeleworkDay(models.Model):
    """One day of a request (テレワーク日), with the request's person and 課 for counting."""

    request = models.ForeignKey(TeleworkRequest, verbose_name="申請", on_delete=models.CASCADE, related_name="days")
    day = models.DateField("日")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申請者", on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = gettext_lazy("テレワーク日")
        verbose_name_plural = gettext_lazy("テレワーク日")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["request", "day"], name="telework_day_once_per_request")]
        indexes = [
            models.Index(fields=["person", "day"], name="telework_day_person"),
            models.Index(fields=["section", "day"], name="telework_day_section"),
        ]

    def __str__(self) -> str:
        return f"{self.day}"
