"""Audit entry model (監査ログ)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One audited event. Append-only: saving an existing entry or deleting one fails."""

    seq = models.PositiveBigIntegerField("通番", unique=True)
    created_at = models.DateTimeField("日時")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("操作者名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("対象種別", max_length=100, blank=True)
    object_id = models.CharField("対象ID", max_length=64, blank=True)
    object_repr = models.CharField("対象", max_length=255, blank=True)
    before = models.TextField("変更前", blank=True)
    after = models.TextField("変更後", blank=True)
    source_ip = models.CharField("接続元", max_length=45, blank=True)
    is_office = models.BooleanField("庁内", default=True)
    prev_hash = models.CharField("前ハッシュ", max_length=64)
    entry_hash = models.CharField("ハッシュ", max_length=64, unique=True)

    class Meta:
        app_label = "core"
        verbose_name = "監査ログ"
        verbose_name_plural = "監査ログ"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The audit room's filters (a date range alone, or with a person or an action) and remote access.
            models.Index(fields=["created_at"], name="core_audit_created"),
            models.Index(fields=["actor", "created_at"], name="core_audit_actor_created"),
            models.Index(fields=["action", "created_at"], name="core_audit_action_created"),
            models.Index(fields=["seq"], condition=models.Q(is_office=False), name="core_audit_remote"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("監査ログは変更できません。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("監査ログは削除できません。")
