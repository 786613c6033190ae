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
