"""The remote-access policy as IT configures it (リモートアクセスの方針): one rule per data class and role."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from cityhall.core.remote_policy import DataClass, Mode
from cityhall.org.models import Role


class RemoteRule(models.Model):
    """What remote sessions may do with a data class: for holders of ``role``, or for everyone (role blank)."""

    data_class = models.CharField("データの区分", max_length=20, choices=DataClass.choices)
    role = models.CharField(
        "権限", max_length=20, choices=Role.choices, blank=True, default="", help_text="空欄は全職員（既定）。"
    )
    mode = models.CharField("庁外からの表示", max_length=10, choices=Mode.choices)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("リモートアクセスの規則")
        verbose_name_plural = gettext_lazy("リモートアクセスの規則")
        ordering = ["data_class", "role"]
        constraints = [
            models.UniqueConstraint(fields=["data_class", "role"], name="telework_remoterule_one_per_class_role"),
            models.CheckConstraint(
                condition=Q(data_class__in=DataClass.values), name="telework_remoterule_data_class_known"
            ),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="telework_remoterule_mode_known"),
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=Role.values), name="telework_remoterule_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_data_class_display()} / {self.role or '既定'}: {self.get_mode_display()}"


class TeleworkLimits(models.Model):
    """The city's rules for telework days (テレワークの上限): one row, set by the 情報政策 role.

    ``max_days_per_week`` days a week per person (月曜から日曜), ``max_section_percent`` of a 課's staff
    on one day (at least one person may always telework), and ``approved_days_only``: remote sessions
    see classified data only on a day of a decided telework request (承認されたテレワーク日のみ).
    """

    max_days_per_week = models.PositiveSmallIntegerField("1週間の上限（日）", default=2)
    max_section_percent = models.PositiveSmallIntegerField("1日に課の職員の何％まで", default=50)
    approved_days_only = models.BooleanField("承認されたテレワーク日のみ庁外から利用できる", default=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("テレワークの上限")
        verbose_name_plural = gettext_lazy("テレワークの上限")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_days_per_week__gte=1, max_days_per_week__lte=7), name="telework_limits_week_range"
            ),
            models.CheckConstraint(
                condition=Q(max_section_percent__gte=1, max_section_percent__lte=100),
                name="telework_limits_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"週{self.max_days_per_week}日・課の{self.max_section_percent}%"

    @classmethod
    def current(cls) -> TeleworkLimits:
        """The city's limits, or the defaults (週2日・課の50%) while none are saved."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
