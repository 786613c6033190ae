"""Reads of the staff survey and eligibility (テレワークの対象判定): each official's own, a section's summary.

**Eligibility (対象).** An official is eligible when they answered the survey and meet every rule the
personnel/IT side set (``EligibilityRules``): not on probation (条件付採用期間: their first assignment
(発令) is less than ``probation_months`` months ago), a home PC, a home network and a private space,
as the rules require. The reasons are in Japanese; care duties (育児・介護) never exclude anyone, they
are shown to the section head to plan days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Min, Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.org.models import Assignment, OrgUnit
from cityhall.telework.models import EligibilityRules, SurveyAnswer
from cityhall.telework.scopes import section_for


def rules() -> EligibilityRules:
    """The rules in force (the defaults until the rules screen saves them)."""
    return EligibilityRules.objects.filter(pk=1).first() or EligibilityRules(pk=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class Eligibility:
    """Whether an official may telework (対象／対象外／未回答) and why."""

    eligible: bool
    answered: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """対象, 対象外 or 未回答."""
        if not self.answered:
            return "未回答"
        return "対象" if self.eligible else "対象外"


def judge(answer: SurveyAnswer | None, first_day: dt.date | None, rule: EligibilityRules, day: dt.date) -> Eligibility:
    """The eligibility from an answer, the first assignment's day and the rules (no query)."""
    reasons = []
    if rule.exclude_probation and first_day is not None and day < add_months(first_day, rule.probation_months):
        until = add_months(first_day, rule.probation_months) - dt.timedelta(days=1)
        reasons.append(
            f"条件付採用期間中です（{first_day:%Y年%m月%d日}の発令から{rule.probation_months}か月、{until:%Y年%m月%d日}まで）。"
        )
    if answer is None:
        return Eligibility(False, False, [*reasons, "調査に回答していません。"])
    if rule.require_home_pc and not answer.has_home_pc:
        reasons.append("自宅で使えるパソコンがありません。")
    if rule.require_home_network and not answer.has_home_network:
        reasons.append("自宅にインターネット回線がありません。")
    if rule.require_private_space and not answer.has_private_space:
        reasons.append("自宅に一人で作業できる場所がありません。")
    return Eligibility(not reasons, True, reasons or ["対象要件をすべて満たしています。"])


def _first_days(user_ids: list[int]) -> dict[int, dt.date]:
    rows = (
        Assignment.objects.filter(user_id__in=user_ids).values("user_id").annotate(first=Min("valid_from")).order_by()
    )
    return {r["user_id"]: r["first"] for r in rows}


def own_answer(user: User) -> SurveyAnswer | None:
    """The official's own survey answer, if any."""
    return SurveyAnswer.objects.filter(user=user).first()


def eligibility_of(user: User, *, on: dt.date | None = None) -> Eligibility:
    """The official's own eligibility with reasons (本人の対象判定)."""
    day = on or timezone.localdate()
    return judge(own_answer(user), _first_days([user.pk]).get(user.pk), rules(), day)


@dataclass(frozen=True)
class MemberRow:
    """One member of a section with their answer (if any) and eligibility."""

    user: Any
    answer: SurveyAnswer | None
    eligibility: Eligibility


@dataclass(frozen=True)
class SectionSummary:
    """A section's staff and their eligibility (課の集計)."""

    section: OrgUnit
    members: list[MemberRow]

    def count(self, label: str) -> int:
        """Members whose eligibility reads ``label`` (対象, 対象外, 未回答)."""
        return sum(1 for m in self.members if m.eligibility.label == label)

    @property
    def care_duties(self) -> int:
        """Members who declared care duties (育児・介護)."""
        return sum(1 for m in self.members if m.answer is not None and m.answer.has_care_duty)


def section_summary(user: Any, section_pk: int, *, on: dt.date | None = None) -> SectionSummary:
    """The staff of a section (and its 係) with eligibility; its head or 情報政策 only, else 404."""
    day = on or timezone.localdate()
    section = section_for(user, section_pk)
    held = Assignment.objects.on(day).filter(Q(unit=section) | Q(unit__parent=section))
    members = list(User.objects.filter(pk__in=held.values("user_id")).order_by(F("last_name"), "username"))
    ids = [m.pk for m in members]
    answers = {a.user_id: a for a in SurveyAnswer.objects.filter(user_id__in=ids)}
    firsts, rule = _first_days(ids), rules()
    rows = [MemberRow(m, answers.get(m.pk), judge(answers.get(m.pk), firsts.get(m.pk), rule, day)) for m in members]
    return SectionSummary(section, rows)
