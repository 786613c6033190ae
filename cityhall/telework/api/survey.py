"""REST API of the staff survey and eligibility (テレワーク環境の調査 API), mounted at /api/telework."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.core.http import ERRORS
from cityhall.telework.scopes import require_it
from cityhall.telework.selectors.survey import eligibility_of, own_answer, rules
from cityhall.telework.services import survey as services

router = Router(auth=django_auth, tags=["テレワーク環境の調査"])


class AnswerIO(Schema):
    """The official's own answers."""

    has_home_pc: bool
    has_home_network: bool
    has_private_space: bool
    has_care_duty: bool
    care_detail: str = Field("", max_length=200)
    commute_minutes: int | None = None


class SurveyOut(Schema):
    """The answers (null before the first) and the eligibility with its reasons."""

    answer: AnswerIO | None
    eligibility: str = Field(description="対象, 対象外, 未回答")
    reasons: list[str]


class RulesIO(Schema):
    """The eligibility rules."""

    exclude_probation: bool
    probation_months: int
    require_home_pc: bool
    require_home_network: bool
    require_private_space: bool


def _survey(request: HttpRequest) -> SurveyOut:
    user = user_of(request)
    answer = own_answer(user)
    fields = services.SurveyInput.__dataclass_fields__
    judged = eligibility_of(user)
    return SurveyOut(
        answer=AnswerIO(**{n: getattr(answer, n) for n in fields}) if answer else None,
        eligibility=judged.label,
        reasons=judged.reasons,
    )


@router.get("/survey/me", response={200: SurveyOut, **ERRORS}, summary="自分の回答と対象判定")
def survey_get(request: HttpRequest) -> SurveyOut:
    """The official's own answers and eligibility."""
    return _survey(request)


@router.put("/survey/me", response={200: SurveyOut, **ERRORS}, summary="調査への回答")
def survey_put(request: HttpRequest, payload: AnswerIO) -> SurveyOut:
    """Save the official's own answers; impossible answers refused with the field (audited)."""
    services.survey_answer_set(actor=user_of(request), data=services.SurveyInput(**payload.dict()))
    return _survey(request)


def _rules() -> RulesIO:
    current = rules()
    return RulesIO(**{n: getattr(current, n) for n in services.RulesInput.__dataclass_fields__})


@router.get("/eligibility-rules", response={200: RulesIO, **ERRORS}, summary="対象要件の取得")
def rules_get(request: HttpRequest) -> RulesIO:
    """The eligibility rules (情報政策)."""
    require_it(user_of(request))
    return _rules()


@router.put("/eligibility-rules", response={200: RulesIO, **ERRORS}, summary="対象要件の変更")
def rules_put(request: HttpRequest, payload: RulesIO) -> RulesIO:
    """Set the eligibility rules (情報政策, audited)."""
    services.eligibility_rules_set(actor=user_of(request), data=services.RulesInput(**payload.dict()))
    return _rules()
