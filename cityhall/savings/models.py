"""One row of the hours-saved ledger (削減時間): what the system produced for a section, and the minutes saved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SavedTime(models.Model):
    """``count`` slips, letters or rows of ``kind`` produced for ``section`` at ``occurred_at``, saving ``minutes``.

    ``object_type``/``object_id`` name the record behind the figure (an import, an inquiry batch), so a
    figure drills down to it.
    """

    section = models.ForeignKey("org.OrgUnit", verbose_name=_("課"), on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("日時"))
    kind = models.CharField(_("種類"), max_length=40)
    count = models.PositiveIntegerField(_("件数"))
    minutes = models.PositiveIntegerField(_("削減時間（分）"))
    object_type = models.CharField(_("対象の種類"), max_length=100)
    object_id = models.CharField(_("対象のID"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("職員"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("削減時間")
        verbose_name_plural = _("削減時間")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["occurred_at", "section"], name="savings_when_section")]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="savings_count_positive")]

    def __str__(self) -> str:
        return f"{self.kind} {self.count}件 {self.minutes}分"
