"""The staff survey (テレワーク環境の調査) and the eligibility rules (対象要件) the personnel/IT side sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

MAX_COMMUTE_MINUTES = 600


class SurveyAnswer(models.Model):
    """One official's own answers: home PC and network, a private space, care duties (育児・介護), commute."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="職員", on_delete=models.PROTECT, related_name="+"
    )
    has_home_pc = models.BooleanField("自宅で使えるパソコンがある", default=False)
    has_home_network = models.BooleanField("自宅にインターネット回線がある", default=False)
    has_private_space = models.BooleanField("自宅に一人で作業できる場所がある", default=False)
    has_care_duty = models.BooleanField("育児・介護がある", default=False)
    care_detail = models.CharField("育児・介護の内容", max_length=200, blank=True)
    commute_minutes = models.PositiveSmallIntegerField("通勤時間（分）", null=True, blank=True)
    updated_at = models.DateTimeField("回答日時", auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("テレワーク環境の回答")
        verbose_name_plural = gettext_lazy("テレワーク環境の調査")
        constraints = [
            models.CheckConstraint(
                condition=Q(has_care_duty=False, care_detail="") | (Q(has_care_duty=True) & ~Q(care_detail="")),
                name="telework_survey_care_detail",
                violation_error_message="育児・介護があるときはその内容を、ないときは空欄にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(commute_minutes__isnull=True) | Q(commute_minutes__lte=MAX_COMMUTE_MINUTES),
                name="telework_survey_commute_bounded",
                violation_error_message=f"通勤時間は0分から{MAX_COMMUTE_MINUTES}分の間で入力してください。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}"


class EligibilityRules(models.Model):
    """The eligibility rules (テレワークの対象要件): one row (pk 1), set on the rules screen."""

    exclude_probation = models.BooleanField("条件付採用期間中の職員は対象外", default=True)
    probation_months = models.PositiveSmallIntegerField(
        "条件付採用期間（月）", default=6, help_text="最初の発令からこの月数の間を条件付採用期間とみなします。"
    )
    require_home_pc = models.BooleanField("自宅のパソコンが必要", default=True)
    require_home_network = models.BooleanField("自宅の回線が必要", default=True)
    require_private_space = models.BooleanField("一人で作業できる場所が必要", default=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("テレワークの対象要件")
        verbose_name_plural = gettext_lazy("テレワークの対象要件")
        constraints = [
            models.CheckConstraint(
                condition=Q(probation_months__gte=1, probation_months__lte=24),
                name="telework_rules_probation_months",
                violation_error_message="条件付採用期間は1か月から24か月の間で入力してください。",
            ),
        ]

    def __str__(self) -> str:
        return "テレワークの対象要件"
