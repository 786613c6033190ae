"""The staff user account (職員アカウント)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of staff who signs in (職員). Posts and sections are in ``org``."""

    employee_number = models.CharField("職員番号", max_length=20, unique=True, null=True, blank=True)
    family_name_kana = models.CharField("姓（カナ）", max_length=50, blank=True)
    given_name_kana = models.CharField("名（カナ）", max_length=50, blank=True)

    class Meta:
        verbose_name = "職員"
        verbose_name_plural = "職員"

    @property
    def full_name(self) -> str:
        """Family name first, as Japanese names are written."""
        return f"{self.last_name} {self.first_name}".strip() or self.username

    def __str__(self) -> str:
        return self.full_name
