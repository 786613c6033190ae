"""The state of each long-kept signed PDF (長期署名の状態), so the renewal finds its work without reading files.

Document-agnostic: the owner is named by a label (``documents.document``) and
an id; the owning app writes the state through :mod:`cityhall.signing.services`
in the same transaction as the file it stores, and selects what needs an
archive timestamp by ``proof_until``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class LongTermSignature(models.Model):
    """A signed PDF's PAdES level and the date up to which it proves its integrity."""

    owner_type = models.CharField("所有者の種類", max_length=60)
    owner_id = models.PositiveBigIntegerField("所有者のID")
    level = models.CharField("署名レベル", max_length=5)
    proof_until = models.DateTimeField("完全性を証明できる期限", null=True, blank=True)
    sha256 = models.CharField("PDF の SHA-256", max_length=64)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("長期署名の状態")
        verbose_name_plural = gettext_lazy("長期署名の状態")
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id"], name="signing_lts_owner_unique"),
            models.CheckConstraint(
                condition=models.Q(level__in=["B-B", "B-T", "B-LT", "B-LTA"]), name="signing_lts_level_valid"
            ),
        ]
        indexes = [models.Index(fields=["owner_type", "level", "proof_until"], name="signing_lts_due")]

    def __str__(self) -> str:
        return f"{self.owner_type}:{self.owner_id} {self.level}"
