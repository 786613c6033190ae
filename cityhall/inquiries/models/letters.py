"""The files a decided batch sends (照会書・照会ファイル・督促状) and the reminders (督促) of a letter.

``LetterFile`` is one generated file of a letter, stored through Django's storage: the signed
inquiry letter with its reply form (照会書・回答書, PDF), the request file of a digital institution
(照会ファイル, CSV) and the signed reminder of each ``Reminder`` (督促状・再照会, PDF). Files are made
after the decision by a background task, once each (``kind`` and ``reminder`` unique per letter).
``Reminder`` records that an overdue letter was reminded (督促), with the new reply deadline and
the one it replaced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cityhall.inquiries.models.batches import Letter


class Reminder(models.Model):
    """A reminder of an overdue letter (督促・再照会): its number, date and the new reply deadline."""

    letter = models.ForeignKey(Letter, verbose_name="照会書", on_delete=models.CASCADE, related_name="reminder_rows")
    number = models.PositiveSmallIntegerField("督促の回数")
    sent_on = models.DateField("督促日")
    reply_deadline = models.DateField("新しい回答期限")
    previous_deadline = models.DateField("元の回答期限")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督促した職員", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = _("督促")
        verbose_name_plural = _("督促")
        ordering = ["letter_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="inq_reminder_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="inq_reminder_number_positive"),
            models.CheckConstraint(
                condition=Q(reply_deadline__gte=F("sent_on")),
                name="inq_reminder_deadline_after_sending",
                violation_error_message="新しい回答期限は督促日以降にしてください。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id}#{self.number}"


class LetterFileKind(models.TextChoices):
    """Which file of a letter (照会のファイルの種類)."""

    LETTER = "letter", _("照会書・回答書（PDF）")
    REQUEST = "request", _("照会ファイル（CSV）")
    REMINDER = "reminder", _("督促状（PDF）")


class LetterFile(models.Model):
    """A generated file of a letter (照会のファイル), stored once, with its SHA-256 and size."""

    letter = models.ForeignKey(Letter, verbose_name="照会書", on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("種類", max_length=10, choices=LetterFileKind.choices)
    reminder = models.ForeignKey(
        Reminder, verbose_name="督促", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("ファイル", upload_to="inquiries/letters/%Y/%m/", max_length=255)
    name = models.CharField("ファイル名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("サイズ（バイト）")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = _("照会のファイル")
        verbose_name_plural = _("照会のファイル")
        ordering = ["letter_id", "kind", "reminder_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LetterFileKind.values), name="inq_letter_file_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=LetterFileKind.REMINDER, reminder__isnull=False)
                | (~Q(kind=LetterFileKind.REMINDER) & Q(reminder__isnull=True)),
                name="inq_letter_file_reminder_kind",
            ),
            models.UniqueConstraint(
                fields=["letter", "kind"], condition=Q(reminder__isnull=True), name="inq_letter_file_once"
            ),
            models.UniqueConstraint(
                fields=["reminder"], condition=Q(reminder__isnull=False), name="inq_reminder_file_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name
