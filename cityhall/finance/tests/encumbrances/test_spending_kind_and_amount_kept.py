"""A finance document keeps 支出 and its amount (事案の種類と金額), as its own service set them.

The generic edit refuses to change them, and the finance hooks refuse, at submission and at
the decision, a document whose kind of matter was changed behind the service.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import is_bank_business_day
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, MatterKind
from cityhall.finance import services
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide, document_of
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db


def _make_routine(obj) -> Document:
    """A finance document whose kind of matter was changed behind its service (e.g. by a data fix)."""
    Document.objects.filter(pk=obj.document_id).update(matter_kind=MatterKind.objects.get(code="routine"))
    return document_of(obj)


def test_encumbrance_document_refuses_a_lower_matter_kind_through_the_generic_edit(city, budget, encumber):
    enc = encumber(amount=2_000_000)
    doc = document_of(enc)
    routine = MatterKind.objects.get(code="routine")
    with pytest.raises(ValidationFailed) as caught:
        docs.draft_update(actor=city.drafter, document=doc, expected_version=doc.version, matter_kind=routine)
    assert caught.value.field == "matter_kind"
    with pytest.raises(ValidationFailed):
        docs.draft_update(actor=city.drafter, document=doc, expected_version=doc.version, amount=1)
    doc = decide(enc)
    assert doc.matter_kind.code == "contract" and doc.decided_by == city.bucho  # 契約 部長専決 for ¥2,000,000


def test_encumbrance_update_still_moves_the_document_amount(city, budget, encumber):
    enc = encumber(amount=800_000)
    enc = services.encumbrance_update(actor=city.drafter, encumbrance=enc, amount=1_200_000)
    assert document_of(enc).amount == 1_200_000


def test_finance_hooks_refuse_a_document_that_is_not_spending(city, budget, encumber):
    enc = encumber(amount=800_000)
    doc = _make_routine(enc)
    with pytest.raises(ValidationFailed, match="事案の種類は「契約」") as caught:
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert caught.value.field == "matter_kind"
    order = services.payment_order_draft(
        actor=city.drafter, title="電気料", kind="combined", line=budget.line,
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=10_000)],
        payment_date=_business_day(dt.date.today() + dt.timedelta(days=7)),
        inspection_date=dt.date.today(), invoice_received_on=dt.date.today(),
    )  # fmt: skip
    doc = _make_routine(order)
    with pytest.raises(ValidationFailed, match="支出命令の事案の種類"):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    target = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    transfer = services.transfer_draft(
        actor=city.drafter, title="流用", source=budget.line, target=target, amount=100_000, reason="不足"
    )
    doc = _make_routine(transfer)
    with pytest.raises(ValidationFailed, match="予算流用の事案の種類"):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)


def test_the_decision_hook_refuses_a_document_changed_while_circulating(city, budget, encumber):
    enc = encumber(amount=800_000)
    doc = document_of(enc)
    doc = docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = _make_routine(enc)
    with pytest.raises(ValidationFailed, match="事案の種類"):
        docs.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    assert document_of(enc).status == DocumentStatus.CIRCULATING


def _business_day(day: dt.date) -> dt.date:
    while not is_bank_business_day(day):
        day += dt.timedelta(days=1)
    return day
