"""One budget line per 科目 and one top heading per code, held by the database on SQLite as on PostgreSQL.

A line without 節 or 細節 has NULL there, and NULL = NULL is unknown in SQL: PostgreSQL needs
NULLS NOT DISTINCT, which SQLite lacks; the constraints now COALESCE the NULL columns instead.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from cityhall.finance import services
from cityhall.finance.models import BudgetClassification, BudgetLine, Level
from cityhall.testing.finance import FY
from cityhall.testing.race import race


@pytest.mark.django_db
def test_a_second_line_without_setsu_is_refused_by_the_database(budget):
    reserve = {"account": budget.account, "fiscal_year": FY, "moku": budget.moku, "setsu": None, "label": "予備費"}
    BudgetLine.objects.create(**reserve)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(**reserve)


@pytest.mark.django_db
def test_a_second_standard_setsu_of_the_same_code_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetClassification.objects.create(level=Level.SETSU, code="10", name="需用費の重複")


@pytest.mark.django_db(transaction=True)
def test_two_clerks_creating_the_same_line_at_once_make_one(city, budget):
    setsu = BudgetClassification.objects.get(level=Level.SETSU, code="11", account__isnull=True)

    def create() -> None:
        services.budget_line_create(
            actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=setsu
        )

    outcomes = race([create, create, create])
    assert sorted(outcomes) == ["ValidationFailed", "ValidationFailed", "ok"]
    assert BudgetLine.objects.filter(moku=budget.moku, setsu=setsu).count() == 1
