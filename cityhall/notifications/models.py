"""The in-app notification (お知らせ)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Notification(models.Model):
    """One message to one person (お知らせ), e.g. 「決裁の依頼」 for a document; unread while ``read_at`` is empty.

    ``target`` names what it is about as ``"<app_label>.<model>:<pk>"`` (e.g.
    ``"documents.document:12"``), so the app knows no other module's models.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="宛先", on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField("件名", max_length=300)
    url = models.CharField("リンク先", max_length=300, blank=True)
    target = models.CharField("対象", max_length=80, blank=True)
    created_at = models.DateTimeField("通知日時", auto_now_add=True)
    read_at = models.DateTimeField("既読日時", null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("お知らせ")
        verbose_name_plural = gettext_lazy("お知らせ")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.subject}"

    @property
    def is_read(self) -> bool:
        """Whether the recipient has read it (既読)."""
        return self.read_at is not None
