"""``core.errors.clean`` checks each constraint on its own fields and still says what Django's ``full_clean`` says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cityhall.core.errors import ValidationFailed, clean
from cityhall.documents.models import Document, DocumentStatus, MatterKind
from cityhall.finance.models import PaymentOrderLine

pytestmark = pytest.mark.django_db

EXCLUDE = ["number", "number_label", "section", "fiscal_year"]


def _first(error: ValidationError) -> tuple[str | None, str]:
    field, messages = next(iter(error.message_dict.items()))
    return (None if field == "__all__" else field), messages[0]


def _document(city, **values) -> Document:
    kind = MatterKind.objects.order_by("pk").first()
    base = {"title": "予算の執行について", "matter_kind": kind, "drafter": city.drafter, "drafted_on": dt.date.today()}
    return Document(fiscal_year=dt.date.today().year, number=1, **(base | values))


@pytest.mark.parametrize(
    "values",
    [
        {"status": DocumentStatus.DECIDED},  # decided without a date
        {"medium": "paper", "paper_reason": ""},
        {"amount": -1, "status": DocumentStatus.CLOSED},  # two constraints and a field
        {"retention_years": 7},
    ],
    ids=["decided-without-date", "paper-without-reason", "negative-closed", "retention"],
)
def test_a_bad_document_gets_djangos_first_error(city, values):
    document = _document(city, **values)
    with pytest.raises(ValidationError) as django_says:
        document.full_clean(exclude=EXCLUDE)
    with pytest.raises(ValidationFailed) as ours:
        clean(document, exclude=EXCLUDE)
    assert (ours.value.field, ours.value.message) == _first(django_says.value)


def test_a_constraint_between_two_fields_is_still_checked(budget):
    line = PaymentOrderLine(position=1, creditor=budget.creditor, amount=1_000, tax_amount=1_000, tax_rate=10)
    with pytest.raises(ValidationError) as django_says:
        line.full_clean(exclude=["order"])
    with pytest.raises(ValidationFailed) as ours:
        clean(line, exclude=["order"])
    assert (ours.value.field, ours.value.message) == _first(django_says.value)
    valid = PaymentOrderLine(position=1, creditor=budget.creditor, amount=1_000, tax_amount=90, tax_rate=10)
    clean(valid, exclude=["order"])


def test_a_passed_check_is_remembered_by_its_values_and_a_failure_is_checked_again(budget):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def line(tax_amount: int) -> PaymentOrderLine:
        return PaymentOrderLine(position=1, creditor=budget.creditor, amount=7_777, tax_amount=tax_amount, tax_rate=10)

    with CaptureQueriesContext(connection) as first:
        clean(line(707), exclude=["order"])
    with CaptureQueriesContext(connection) as again:
        clean(line(707), exclude=["order"])
    assert len(again) < len(first)  # the check constraints' verdicts are not asked for again
    for _ in range(2):
        with pytest.raises(ValidationFailed):
            clean(line(7_777), exclude=["order"])
