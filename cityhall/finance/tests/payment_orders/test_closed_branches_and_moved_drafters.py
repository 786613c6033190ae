"""A draft when the world changes under it: its payee's bank branch closes, its drafter moves to another section."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cityhall.core.errors import ValidationFailed
from cityhall.finance import banks, services
from cityhall.finance.models import Allotment, CreditorBankAccount, PaymentOrder
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_update
from cityhall.org import services as org_services
from cityhall.testing.city import SETUP
from cityhall.testing.finance import collective_lines

pytestmark = pytest.mark.django_db


# --- a payee's bank branch that no longer exists ---------------------------------------------

GONE_BRANCH = "998"


def _drop_branch(creditor) -> None:
    """The branch of the creditor's account is closed: its stored code is no longer in zengin-code."""
    with pytest.raises(ValidationFailed):
        banks.branch("0001", GONE_BRANCH)
    CreditorBankAccount.objects.filter(creditor=creditor).update(branch_code=GONE_BRANCH)


def test_drafting_to_an_account_at_a_closed_branch_is_refused_naming_line_and_creditor(
    city, budget, second_creditor, draft_order
):
    _drop_branch(second_creditor)
    count = PaymentOrder.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        draft_order(kind="collective", lines=collective_lines(budget, second_creditor))
    assert caught.value.message.startswith(
        f"明細2行目: 債権者「鈴木一郎」の振込口座（{second_creditor.bank_accounts.get().bank_name}"
    )
    assert f"支店コード{GONE_BRANCH}）の金融機関・支店は現在ありません" in caught.value.message
    assert caught.value.field == "lines.2.bank_account"
    assert PaymentOrder.objects.count() == count
    cash = draft_order(kind="collective", lines=collective_lines(budget, second_creditor), payment_method="cash")
    assert cash.total_amount == 438_000  # 窓口払 pays no account


def test_updating_a_draft_whose_payee_branch_closed_is_refused(city, budget, draft_order):
    order = draft_order()
    _drop_branch(budget.creditor)
    with pytest.raises(ValidationFailed, match="明細1行目: 債権者「株式会社ヤマダ商事」の振込口座"):
        payment_order_update(actor=city.drafter, order=order, description="4月分")


# --- a drafter who changes section ----------------------------------------------------------


def test_a_draft_stays_charged_to_its_section_after_the_drafter_moves(city, budget, draft_order):
    zaisei = services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.zaisei, amount=1_000_000)
    order = draft_order()
    assert (order.section, order.allotment) == (city.units.soumu, budget.allotment)
    org_services.assignment_create(
        actor=SETUP,
        user=city.drafter,
        unit=city.units.zaisei,
        post=city.posts["shuji"],
        valid_from=timezone.localdate(),
    )
    changed = payment_order_update(
        actor=city.drafter, order=order, lines=[OrderLineInput(creditor=budget.creditor, amount=220_000)]
    )
    changed = PaymentOrder.objects.get(pk=changed.pk)
    assert (changed.section, changed.allotment_id, changed.total_amount) == (
        city.units.soumu,
        budget.allotment.pk,
        220_000,
    )
    assert changed.allotment_id != zaisei.pk
    assert Allotment.objects.get(pk=zaisei.pk).section == city.units.zaisei
