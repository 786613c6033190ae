"""Imports of the tax system's list of delinquent persons (滞納者一覧の取込) and each section's column layout."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.org.models import OrgUnit


class PersonImportLayout(models.Model):
    """Where each field is in a section's files (滞納者一覧の列の設定): one per tax collection section.

    ``layout`` is ``cityhall.core.tables.Layout.to_dict()``, checked with ``from_dict`` before it is stored.
    """

    section = models.OneToOneField(OrgUnit, verbose_name="担当課", on_delete=models.PROTECT, related_name="+")
    layout = models.JSONField("列の設定")
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = _("滞納者一覧の列の設定")
        verbose_name_plural = _("滞納者一覧の列の設定")

    def __str__(self) -> str:
        return "滞納者一覧の列の設定"


class PersonImport(models.Model):
    """One file of the tax system's list taken in (滞納者一覧の取込), or refused, or tried (試行).

    All rows or none: ``written`` says the persons were stored (never on a dry run); ``report`` names
    every row's reasons and what it became (by 宛名番号, never the name); the counts are the summary.
    """

    section = models.ForeignKey(OrgUnit, verbose_name="担当課", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="取込者", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("取込日時", auto_now_add=True)
    file_name = models.CharField("ファイル名", max_length=255)
    file_sha256 = models.CharField("SHA-256", max_length=64)
    dry_run = models.BooleanField("試行", default=False)
    written = models.BooleanField("登録済", default=False)
    rows = models.PositiveIntegerField("行数", default=0)
    created = models.PositiveIntegerField("新規", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("変更なし", default=0)
    refused = models.PositiveIntegerField("誤りのある行", default=0)
    report = models.JSONField("結果", default=dict)

    class Meta:
        verbose_name = _("滞納者一覧の取込")
        verbose_name_plural = _("滞納者一覧の取込")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["section", "-created_at"], name="inq_person_import_recent_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(dry_run=True, written=True), name="inq_person_import_dry_not_written"),
        ]

    def __str__(self) -> str:
        return f"滞納者一覧の取込 {self.pk}"
