"""Budgets of closed years (年度の締め): no 補正 or 配当 after the closing period, one 当初予算 per year."""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import fiscal_year_label
from cityhall.finance import balance, services
from cityhall.finance.models import Allotment, BudgetVersion
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db

YEAR = fiscal_year_label(FY)


def _supplementary(budget, *, name: str = "補正予算（第1号）", on: dt.date | None = None) -> BudgetVersion:
    return services.budget_version_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, name=name, amounts=[(budget.line, 100_000)], on=on
    )


def test_a_supplementary_budget_is_refused_after_the_closing_period_of_its_year(budget):
    with pytest.raises(ValidationFailed, match=f"{YEAR}の補正予算は、出納整理期間（.*5月31日まで）を過ぎている") as err:
        _supplementary(budget, on=dt.date(FY + 1, 6, 1))
    assert err.value.field == "fiscal_year"
    assert BudgetVersion.objects.count() == 1 and balance.line_amount(budget.line) == 5_000_000
    # A 3月31日付の専決処分 is typed in during the closing period.
    made = _supplementary(budget, name="補正予算（第9号）（3月31日専決処分）", on=dt.date(FY + 1, 5, 31))
    assert made.number == 1 and balance.line_amount(budget.line) == 5_100_000


def test_an_allotment_is_refused_after_the_closing_period(city, budget):
    def allot(on: dt.date) -> Allotment:
        return services.allotment_set(
            actor=budget.staff, line=budget.line, section=city.units.soumu, amount=2_000_000, on=on
        )

    with pytest.raises(
        ValidationFailed, match=f"{YEAR}の予算明細「.*」は出納整理期間（.*5月31日まで）を過ぎている"
    ) as err:
        allot(dt.date(FY + 1, 6, 1))
    assert err.value.field == "line"
    assert Allotment.objects.get(pk=budget.allotment.pk).amount == 3_000_000
    assert allot(dt.date(FY + 1, 5, 31)).amount == 2_000_000  # still in the closing period


def test_a_second_version_named_as_the_initial_budget_is_refused(budget):
    for name in ("当初予算", "当初予算（追加分）"):
        with pytest.raises(
            ValidationFailed, match=f"一般会計の{YEAR}の当初予算は「当初予算」として登録済みです"
        ) as err:
            _supplementary(budget, name=name)
        assert err.value.field == "name"
    assert list(BudgetVersion.objects.values_list("number", "name")) == [(0, "当初予算")]
    assert _supplementary(budget).number == 1
