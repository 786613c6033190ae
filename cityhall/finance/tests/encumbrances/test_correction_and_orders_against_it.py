"""Editing an encumbrance (支出負担行為の修正) and how orders against it limit amendment and cancellation."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import next_bank_business_day
from cityhall.documents import services as docs
from cityhall.documents.models import Document
from cityhall.finance import services
from cityhall.finance.models import Encumbrance, Level
from cityhall.finance.services.encumbrances import encumbrance_update
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY, available

pytestmark = pytest.mark.django_db


def _order(city, budget, enc, amount):
    return payment_order_draft(
        actor=city.drafter,
        title="消耗品の代金の支払について",
        kind="linked",
        encumbrance=enc,
        lines=[OrderLineInput(creditor=budget.creditor, amount=amount)],
        payment_date=next_bank_business_day(timezone.localdate()),
    )


def test_update_changes_the_draft_and_keeps_the_document_amount_in_step(city, budget, encumber):
    enc = encumber(amount=800_000)
    version = enc.document.version
    enc = encumbrance_update(
        actor=city.drafter,
        encumbrance=enc,
        title="コピー用紙の購入について",
        amount=1_500_000,
        contract_method="general_tender",
    )
    doc = Document.objects.get(pk=enc.document_id)
    assert (enc.amount, enc.original_amount, enc.contract_method) == (1_500_000, 1_500_000, "general_tender")
    assert enc.negotiated_ground == ""  # a ground only for a 随意契約
    assert (doc.amount, doc.title, doc.version) == (1_500_000, "コピー用紙の購入について", version + 1)
    entry = AuditEntry.objects.get(action="finance.encumbrance.update", object_id=str(enc.pk))
    assert (json.loads(entry.before)["amount"], json.loads(entry.after)["amount"]) == (800_000, 1_500_000)
    assert AuditEntry.objects.filter(action="documents.document.update", object_id=str(doc.pk)).exists()
    # 1,500,000 is above 課長専決 (契約: under 1,300,000): the route follows the new amount.
    assert submit(enc).decision_label != "課長専決"


def test_update_is_a_hard_stop_and_saves_nothing_on_error(city, budget, encumber):
    decide(encumber(amount=2_500_000))
    enc = encumber(amount=100_000)
    with pytest.raises(ValidationFailed, match="執行可能額: 500,000円、要求額: 600,000円"):
        encumbrance_update(actor=city.drafter, encumbrance=enc, amount=600_000, title="変更")
    with pytest.raises(ValidationFailed, match="円単位の整数"):
        encumbrance_update(actor=city.drafter, encumbrance=enc, amount="1.5")
    with pytest.raises(ValidationFailed, match="契約方法"):
        encumbrance_update(actor=city.drafter, encumbrance=enc, contract_method="unit_price")
    enc.refresh_from_db()
    doc = Document.objects.get(pk=enc.document_id)
    assert (enc.amount, doc.amount, doc.title) == (100_000, 100_000, "消耗品の購入について")


def test_update_only_by_the_drafter_while_draft_or_sent_back(city, budget, encumber):
    enc = encumber(amount=300_000)
    with pytest.raises(PermissionDenied):
        encumbrance_update(actor=city.drafter2, encumbrance=enc, amount=200_000)
    doc = submit(enc)
    with pytest.raises(Conflict, match="回議中の文書は修正できません"):
        encumbrance_update(actor=city.drafter, encumbrance=enc, amount=200_000)
    docs.send_back(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="見積書を添付")
    enc = encumbrance_update(actor=city.drafter, encumbrance=enc, amount=200_000, deadline=None)
    decide(enc)
    assert available(budget) == 2_800_000


def test_amend_cannot_go_below_the_amount_ordered(city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    order = _order(city, budget, enc, 500_000)
    assert available(budget) == 2_200_000
    # The order is only a draft: it holds nothing yet, so the encumbrance may go down to 600,000.
    services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=600_000, reason="減")
    submit(order)
    with pytest.raises(ValidationFailed) as caught:
        services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=499_999, reason="さらに減")
    assert caught.value.message == "支出命令済額（500,000円）を下回る金額には減額できません（変更後: 499,999円）。"
    assert Encumbrance.objects.get(pk=enc.pk).amount == 600_000
    services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=500_000, reason="精算")
    assert available(budget) == 2_500_000


def test_cancel_is_refused_while_orders_hold_budget_against_it(city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    doc = submit(_order(city, budget, enc, 300_000))
    with pytest.raises(
        Conflict, match=r"支出命令（回議中・決裁済）がある支出負担行為は取り消せません（支出命令済額: 300,000円）"
    ):
        services.encumbrance_cancel(actor=city.kacho, encumbrance=enc, reason="契約解除")
    assert Encumbrance.objects.get(pk=enc.pk).cancelled_at is None
    docs.withdraw(actor=city.drafter, document=doc, expected_version=doc.version, reason="取りやめ")
    services.encumbrance_cancel(actor=city.kacho, encumbrance=enc, reason="契約解除")
    assert available(budget) == 3_000_000


def test_no_encumbrance_on_the_reserve_line(city, budget, encumber):
    kan = services.heading_create(actor=budget.staff, level=Level.KAN, code="14", name="予備費", account=budget.account)
    kou = services.heading_create(
        actor=budget.staff, level=Level.KOU, code="1", name="予備費", account=budget.account, parent=kan
    )
    moku = services.heading_create(
        actor=budget.staff, level=Level.MOKU, code="1", name="予備費", account=budget.account, parent=kou
    )
    reserve = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=moku, setsu=None, reserve=True
    )
    with pytest.raises(ValidationFailed, match=r"予備費.*からは直接支出できません") as caught:
        encumber(amount=10_000, line=reserve)
    assert caught.value.field == "line"
    assert not Encumbrance.objects.exists()
