"""Writes of the staff survey (テレワーク環境の回答) and the eligibility rules (対象要件の設定), audited.

Each official answers for themselves only; impossible answers (a negative or implausible commute, a
care duty without its detail, a detail without a care duty) are refused with the field, nothing saved.
The rules are set by the 情報政策 role (the personnel/IT side).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.errors import PermissionDenied, ValidationFailed, clean
from cityhall.telework.models import EligibilityRules, SurveyAnswer
from cityhall.telework.models.survey import MAX_COMMUTE_MINUTES
from cityhall.telework.scopes import require_it

ANSWER = "telework.survey.answer"
RULES = "telework.rules.change"


@dataclass(frozen=True)
class SurveyInput:
    """An official's answers as given."""

    has_home_pc: bool
    has_home_network: bool
    has_private_space: bool
    has_care_duty: bool
    care_detail: str = ""
    commute_minutes: int | None = None


def _check_answer(data: SurveyInput) -> None:
    if data.commute_minutes is not None and not 0 <= data.commute_minutes <= MAX_COMMUTE_MINUTES:
        raise ValidationFailed(
            f"通勤時間は0分から{MAX_COMMUTE_MINUTES}分の間で入力してください（入力: {data.commute_minutes}分）。",
            field="commute_minutes",
        )
    if data.has_care_duty and not data.care_detail.strip():
        raise ValidationFailed(
            "育児・介護があるときは、その内容（例: 小学生の子の送迎）を入力してください。", field="care_detail"
        )
    if not data.has_care_duty and data.care_detail.strip():
        raise ValidationFailed("育児・介護がないときは、内容を空欄にしてください。", field="care_detail")


def survey_answer_set(*, actor: User, data: SurveyInput) -> SurveyAnswer:
    """Save the official's own answers (調査への回答); refused when impossible, audited."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("ページが見つかりません。")
    _check_answer(data)
    with transaction.atomic(durable=True):
        answer = SurveyAnswer.objects.select_for_update().filter(user=actor).first() or SurveyAnswer(user=actor)
        before = _answer_dict(answer) if answer.pk else None
        for name, value in asdict(data).items():
            setattr(answer, name, value.strip() if isinstance(value, str) else value)
        clean(answer)
        answer.save()
        record(
            actor=actor,
            action=ANSWER,
            obj=answer,
            object_repr=actor.username,
            before=before,
            after=_answer_dict(answer),
        )
    return answer


def _answer_dict(answer: SurveyAnswer) -> dict[str, object]:
    return {name: getattr(answer, name) for name in SurveyInput.__dataclass_fields__}


@dataclass(frozen=True)
class RulesInput:
    """The eligibility rules as given."""

    exclude_probation: bool
    probation_months: int
    require_home_pc: bool
    require_home_network: bool
    require_private_space: bool


def eligibility_rules_set(*, actor: User, data: RulesInput) -> EligibilityRules:
    """Set the eligibility rules (対象要件の設定); 情報政策 only, audited with before and after."""
    require_it(actor)
    if not 1 <= data.probation_months <= 24:
        raise ValidationFailed("条件付採用期間は1か月から24か月の間で入力してください。", field="probation_months")
    with transaction.atomic(durable=True):
        rules = EligibilityRules.objects.select_for_update().filter(pk=1).first() or EligibilityRules(pk=1)
        before = {name: getattr(rules, name) for name in RulesInput.__dataclass_fields__} if rules.updated_at else None
        for name, value in asdict(data).items():
            setattr(rules, name, value)
        clean(rules)
        rules.save()
        record(
            actor=actor, action=RULES, obj=rules, object_repr="テレワークの対象要件", before=before, after=asdict(data)
        )
    return rules
