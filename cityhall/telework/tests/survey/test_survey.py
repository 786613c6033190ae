"""The staff survey: impossible answers refused, eligibility by the configurable rules, audit, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.telework.models import SurveyAnswer
from cityhall.telework.selectors.survey import eligibility_of, section_summary
from cityhall.telework.services.survey import RulesInput, SurveyInput, eligibility_rules_set, survey_answer_set
from cityhall.testing.city import SETUP, SINCE, audit_actions, make_user
from cityhall.testing.web import api_call, client_for

pytestmark = pytest.mark.django_db
HOME = SurveyInput(has_home_pc=True, has_home_network=True, has_private_space=True, has_care_duty=False)


def test_impossible_answers_are_refused_and_nothing_is_saved(city):
    for data, field in [
        (SurveyInput(True, True, True, False, commute_minutes=-5), "commute_minutes"),
        (SurveyInput(True, True, True, True, care_detail=" "), "care_detail"),
        (SurveyInput(True, True, True, False, care_detail="介護"), "care_detail"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            survey_answer_set(actor=city.drafter, data=data)
        assert refused.value.field == field
    refused = api_call(city.drafter, "put", "/api/telework/survey/me", {**vars(HOME), "commute_minutes": 9999})
    assert refused.status_code == 400 and "通勤時間" in refused.json()["detail"]
    page = client_for(city.drafter).post("/telework/survey/", {"has_care_duty": "on", "care_detail": ""})
    assert page.status_code == 400 and "内容" in page.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_eligibility_follows_the_answers_and_the_rules_set_by_it(city):
    today = timezone.localdate()
    newcomer = make_user("shinjin")
    org_services.assignment_create(
        actor=SETUP,
        user=newcomer,
        unit=city.units.bunsho,
        post=city.posts["shuji"],
        valid_from=today - dt.timedelta(days=30),
    )
    assert eligibility_of(city.drafter).label == "未回答"
    survey_answer_set(actor=city.drafter, data=HOME)
    survey_answer_set(actor=newcomer, data=HOME)
    survey_answer_set(actor=city.drafter2, data=SurveyInput(True, True, False, True, care_detail="保育園の送迎"))
    assert eligibility_of(city.drafter).eligible
    assert not eligibility_of(newcomer).eligible and "条件付採用期間" in eligibility_of(newcomer).reasons[0]
    assert "一人で作業できる場所" in eligibility_of(city.drafter2).reasons[0]

    with pytest.raises(PermissionDenied):
        eligibility_rules_set(actor=city.kacho, data=RulesInput(False, 6, True, True, False))
    org_services.role_grant(actor=SETUP, user=city.jinji_kacho, role=Role.IT_ADMIN, valid_from=SINCE)
    with pytest.raises(ValidationFailed):
        eligibility_rules_set(actor=city.jinji_kacho, data=RulesInput(True, 0, True, True, True))
    eligibility_rules_set(actor=city.jinji_kacho, data=RulesInput(False, 6, True, True, False))
    assert eligibility_of(newcomer).eligible and eligibility_of(city.drafter2).eligible

    summary = section_summary(city.kacho, city.units.soumu.pk)
    assert summary.count("対象") == 3 and summary.care_duties == 1
    with pytest.raises(PermissionDenied):
        section_summary(city.zaisei_kacho, city.units.soumu.pk)
    assert client_for(city.kacho).get(f"/telework/survey/sections/{city.units.soumu.pk}/").status_code == 200
    assert client_for(city.kacho).get("/telework/survey/rules/").status_code == 404
    assert audit_actions().count("telework.survey.answer") == 3
    assert audit_actions().count("telework.rules.change") == 1
