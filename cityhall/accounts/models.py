"""The staff user account (職員アカウント)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy


class User(AbstractUser):
    """A member of staff who signs in (職員). Posts and sections are in ``org``."""

    employee_number = models.CharField("職員番号", max_length=20, unique=True, null=True, blank=True)
    family_name_kana = models.CharField("姓（カナ）", max_length=50, blank=True)
    given_name_kana = models.CharField("名（カナ）", max_length=50, blank=True)

    class Meta:
        verbose_name = gettext_lazy("職員")
        verbose_name_plural = gettext_lazy("職員")

    @property
    def full_name(self) -> str:
        """Family name first, as Japanese names are written."""
        return f"{self.last_name} {self.first_name}".strip() or self.username

    def __str__(self) -> str:
        return self.full_name


class EnrolmentCode(models.Model):
    """A one-time code from IT that lets a user enrol an authenticator from outside (登録コード).

    Only a SHA-256 hash is kept: the code is shown once to the IT officer who issues it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes", verbose_name="職員")
    code_hash = models.CharField("コードのハッシュ", max_length=64, unique=True)
    issued_by = models.CharField("発行者", max_length=150)
    issued_at = models.DateTimeField("発行日時")
    expires_at = models.DateTimeField("有効期限")
    used_at = models.DateTimeField("使用日時", null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("登録コード")
        verbose_name_plural = gettext_lazy("登録コード")

    def __str__(self) -> str:
        return f"登録コード（{self.user}）"
