"""Attachments of a document (添付ファイル), stored through the storage API with a SHA-256."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from cityhall.documents.models.register import Document

PDF_TYPE = "application/pdf"
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
"""Images shown as thumbnails; with PDF, the only types ever served inline (in the page)."""


class Attachment(models.Model):
    """A file attached to a document (添付ファイル); after decision attachments may be added, never removed."""

    document = models.ForeignKey(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("ファイル", upload_to="documents/attachments/%Y/%m/", max_length=255)
    name = models.CharField("ファイル名", max_length=255)
    content_type = models.CharField("種類", max_length=100)
    size = models.PositiveBigIntegerField("サイズ")
    sha256 = models.CharField("SHA-256", max_length=64)
    extracted_text = models.TextField("抽出テキスト", blank=True)
    added_after_decision = models.BooleanField("決裁後の追加", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登録者", on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("添付ファイル")
        verbose_name_plural = gettext_lazy("添付ファイル")
        ordering = ["document_id", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0), name="doc_attachment_not_empty", violation_error_message="空のファイルです。"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pdf(self) -> bool:
        """A PDF, shown in the page's PDF viewer."""
        return self.content_type == PDF_TYPE

    @property
    def is_image(self) -> bool:
        """A PNG, JPEG or GIF image, shown as a thumbnail."""
        return self.content_type in IMAGE_TYPES
