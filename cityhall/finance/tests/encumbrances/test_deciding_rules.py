"""Rules of the deciding act (決裁時の規則): the fiscal year at decision, and who may undo a decision.

A. After 31 March nothing new is committed against the old year (出納整理期間, 法235条の5):
   the year is checked again in the deciding transaction, on the acting day (処理日),
   for encumbrances, 流用 and 予備費充用; a 繰越 keeps its own period (to 31 May of FY+1).
B. A decided encumbrance is amended (減額) or cancelled (取消) only by the authority that
   decided it: the 専決者 of its original amount, a higher post in the section's chain of
   command, or the person who decided it (also a 代決者); not by the section's clerks.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import closing_period_end, next_bank_business_day
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.demo import engine as demo_engine
from cityhall.finance.models import Encumbrance, PaymentOrder
from cityhall.finance.selectors.encumbrances import can_amend_encumbrance
from cityhall.finance.services import acting_on
from cityhall.finance.services.carry_overs import carry_over_draft
from cityhall.finance.services.movements import reserve_use_draft
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE, absent
from cityhall.testing.engine import decide, document_of, submit, up_to_decider
from cityhall.testing.finance import FY, available, make_carry_allowance

pytestmark = pytest.mark.django_db

MARCH_31 = dt.date(FY + 1, 3, 31)
APRIL_1 = dt.date(FY + 1, 4, 1)
LATE = "年度外の日付です。3月31日を過ぎると旧年度の予算で新たな支出負担行為はできません"


# --- A. the fiscal year at the decision ------------------------------------------------------


def test_an_encumbrance_submitted_on_31_march_is_not_decided_in_april(city, budget, encumber):
    enc = encumber(amount=800_000, on=MARCH_31)
    doc, step = up_to_decider(submit(enc, on=MARCH_31), on=MARCH_31)
    assert available(budget) == 2_200_000  # held from submission
    with acting_on(APRIL_1), pytest.raises(ValidationFailed) as caught:
        docs.approve(actor=step.assignee, document=doc, expected_version=doc.version, on=APRIL_1)
    assert caught.value.field == "line"
    assert caught.value.message == (
        f"{FY}年度の予算による支出負担行為は{APRIL_1:%Y年%m月%d日}には決裁できません（{LATE}）。"
        "取り下げて、新年度の予算で起案し直してください。"
    )
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.CIRCULATING and doc.decided_at is None
    assert not AuditEntry.objects.filter(action__startswith="document.decide", object_id=str(doc.pk)).exists()
    # The drafter withdraws it, and the old year's budget is free again.
    docs.withdraw(actor=city.drafter, document=doc, expected_version=doc.version, reason="年度内に決裁されなかった")
    assert available(budget) == 3_000_000


def test_a_combined_order_submitted_in_march_meets_the_closing_period_rules_when_decided(city, budget):
    """A 兼 order decided in April charges the old year only for a debt fixed by 31 March (検収日)."""
    paid_on = next_bank_business_day(dt.date(FY + 1, 4, 10))

    def combined(inspection_date: dt.date | None) -> PaymentOrder:
        with acting_on(MARCH_31):
            return payment_order_draft(
                actor=city.drafter,
                title="消耗品の代金の支払について",
                kind="combined",
                line=budget.line,
                lines=[OrderLineInput(creditor=budget.creditor, amount=10_000)],
                payment_date=paid_on,
                inspection_date=inspection_date,
                on=MARCH_31,
            )

    unfixed = combined(None)
    doc, step = up_to_decider(submit(unfixed, on=MARCH_31), on=MARCH_31)
    with acting_on(APRIL_1), pytest.raises(ValidationFailed, match=r"検収日（令和\d+年3月31日以前）が必要です"):
        docs.approve(actor=step.assignee, document=doc, expected_version=doc.version, on=APRIL_1)
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.CIRCULATING

    fixed = combined(dt.date(FY + 1, 3, 25))
    doc, step = up_to_decider(submit(fixed, on=MARCH_31), on=MARCH_31)
    with acting_on(APRIL_1):
        doc = docs.approve(actor=step.assignee, document=doc, expected_version=doc.version, on=APRIL_1)
    assert doc.status == DocumentStatus.DECIDED


def test_an_encumbrance_decided_on_31_march_commits_the_old_year(budget, encumber):
    enc = encumber(amount=800_000, on=MARCH_31)
    decide(enc, on=MARCH_31)
    assert available(budget) == 2_200_000


def test_without_a_back_dated_day_the_decision_judges_by_today(city, budget):
    """Last year's encumbrance, submitted within last year, cannot be decided today (the screens' path)."""
    staff, last_year = budget.staff, FY - 1
    old = services.budget_line_create(
        actor=staff, account=budget.account, fiscal_year=last_year, moku=budget.moku, setsu=budget.setsu["10"]
    )
    services.budget_version_create(
        actor=staff, account=budget.account, fiscal_year=last_year, name="当初予算", amounts=[(old, 1_000_000)]
    )
    march = dt.date(FY, 3, 31)
    services.allotment_set(actor=staff, line=old, section=city.units.soumu, amount=1_000_000, on=march)
    enc = services.encumbrance_draft(
        actor=city.drafter, title="旧年度の購入", line=old, creditor=budget.creditor, amount=500_000,
        contract_method="negotiated", negotiated_ground="2", on=march,
    )  # fmt: skip
    doc, step = up_to_decider(submit(enc, on=march), on=march)
    with pytest.raises(ValidationFailed, match="決裁できません"):
        docs.approve(actor=step.assignee, document=doc, expected_version=doc.version)
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.CIRCULATING


def test_the_demo_engine_decides_on_its_own_day(city, encumber):
    """``demo.engine.advance`` judges the year as of the day it replays, not today."""
    enc = encumber(amount=300_000, on=MARCH_31)
    doc = demo_engine.submit(city.drafter, document_of(enc), MARCH_31)
    with pytest.raises(ValidationFailed, match="決裁できません"):
        demo_engine.advance(doc, None, APRIL_1)
    doc = demo_engine.advance(Document.objects.get(pk=doc.pk), None, MARCH_31)
    assert doc.status == DocumentStatus.DECIDED


@pytest.fixture
def accounting_drafter(city, budget):
    """The drafter holds the 会計 role, as the clerk who drafts budget movements."""
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    return city.drafter


@pytest.fixture
def other_line(budget):
    """11節役務費 of the same 目, the target of a 流用."""
    line = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    return line


def test_a_transfer_submitted_on_31_march_is_not_decided_in_april(city, budget, accounting_drafter, other_line):
    transfer = services.transfer_draft(
        actor=accounting_drafter, title="予算流用について", source=budget.line, target=other_line,
        amount=200_000, reason="執行見込みによる", on=MARCH_31,
    )  # fmt: skip
    doc, step = up_to_decider(submit(transfer, on=MARCH_31), on=MARCH_31)
    with acting_on(APRIL_1), pytest.raises(ValidationFailed) as caught:
        docs.approve(actor=step.assignee, document=doc, expected_version=doc.version, on=APRIL_1)
    assert caught.value.message == f"{FY}年度の予算は{APRIL_1:%Y年%m月%d日}に流用できません。"
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.CIRCULATING
    assert balance.line_amount(other_line) == 0
    with acting_on(MARCH_31):
        docs.approve(actor=step.assignee, document=doc, expected_version=doc.version, on=MARCH_31)
    assert balance.line_amount(other_line) == 200_000


def test_a_reserve_use_submitted_on_31_march_is_not_decided_in_april(city, budget, accounting_drafter, reserve):
    use = reserve_use_draft(
        actor=accounting_drafter, title="予備費の充用について", source=reserve, target=budget.line,
        amount=300_000, reason="台風被害の復旧", on=MARCH_31,
    )  # fmt: skip
    doc, step = up_to_decider(submit(use, on=MARCH_31), on=MARCH_31)
    with acting_on(APRIL_1), pytest.raises(ValidationFailed, match=r"予備費は.*に充用できません（年度外の日付です）"):
        docs.approve(actor=step.assignee, document=doc, expected_version=doc.version, on=APRIL_1)
    assert balance.line_amount(budget.line) == 5_000_000


def test_a_carry_over_is_decided_in_the_closing_period_but_not_after_it(city, budget, accounting_drafter):
    """A 繰越 is by nature decided around the year end: allowed to 31 May of FY+1, refused from 1 June."""
    allowance = make_carry_allowance(budget)
    carries = [
        carry_over_draft(
            actor=accounting_drafter,
            title="繰越について",
            source=budget.line,
            kind="carry_explicit",
            amount=100_000,
            reason="資材の納期遅延",
            allowance=allowance,
            on=MARCH_31,
        )
        for _ in range(2)
    ]
    end = closing_period_end(FY)
    first, step = up_to_decider(submit(carries[0], on=MARCH_31), on=MARCH_31)
    with acting_on(end):
        first = docs.approve(actor=step.assignee, document=first, expected_version=first.version, on=end)
    assert first.status == DocumentStatus.DECIDED
    second, step = up_to_decider(submit(carries[1], on=MARCH_31), on=MARCH_31)
    after = end + dt.timedelta(days=1)
    with acting_on(after), pytest.raises(ValidationFailed, match="には繰り越せません"):
        docs.approve(actor=step.assignee, document=second, expected_version=second.version, on=after)
    assert balance.line_amount(carries[0].target) == 100_000


# --- B. who may amend or cancel a decided encumbrance ------------------------------------------


def _refused_to(user, enc, *, amount: int = 100_000) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as caught:
        services.encumbrance_amend(actor=user, encumbrance=enc, amount=amount, reason="数量の減少")
    with pytest.raises(PermissionDenied):
        services.encumbrance_cancel(actor=user, encumbrance=enc, reason="契約の解除")
    return caught.value


def test_a_clerk_cannot_undo_the_section_heads_decision(city, budget, encumber):
    enc = encumber(amount=800_000)  # 課長専決
    decide(enc)
    audit_before = AuditEntry.objects.count()
    for clerk in (city.drafter, city.drafter2, city.kakaricho, city.hosa):
        error = _refused_to(clerk, enc)
        assert error.message == (
            "決裁済みの支出負担行為の減額・取消は、総務課の課長以上の職員（課長専決）、"
            "または決裁した課山 太郎さんだけが行えます。"
        )
        assert not can_amend_encumbrance(clerk, enc)
    enc.refresh_from_db()
    assert (enc.amount, enc.cancelled_at, available(budget)) == (800_000, None, 2_200_000)
    assert AuditEntry.objects.count() == audit_before
    # Another section's head neither sees it nor may touch it; 会計 sees it but holds no authority over it.
    assert _refused_to(city.jinji_kacho, enc).message == "支出負担行為が見つかりません。"
    assert "だけが行えます" in _refused_to(budget.staff, enc).message


def test_the_decider_and_posts_above_in_the_chain_may_amend_and_cancel(city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    for user in (city.kacho, city.bucho, city.fukushicho, city.shicho):
        assert can_amend_encumbrance(user, enc), user
    enc = services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=600_000, reason="数量の減少")
    enc = services.encumbrance_amend(actor=city.bucho, encumbrance=enc, amount=500_000, reason="単価の見直し")
    entry = AuditEntry.objects.filter(action="finance.encumbrance.amend", object_id=str(enc.pk)).latest("seq")
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert (entry.actor_label, before["amount"], after["amount"]) == (city.bucho.username, 600_000, 500_000)
    assert after["reason"] == "単価の見直し"
    services.encumbrance_cancel(actor=city.fukushicho, encumbrance=enc, reason="事業の中止")
    assert available(budget) == 3_000_000
    assert AuditEntry.objects.get(action="finance.encumbrance.cancel", object_id=str(enc.pk)).actor_label == (
        city.fukushicho.username
    )
    enc.refresh_from_db()
    assert not can_amend_encumbrance(city.kacho, enc)  # cancelled: nothing left to change


def test_the_authority_follows_the_original_amount(city, budget, encumber):
    """¥1,500,000 of a contract is 部長専決: the 課長 may not undo it, even after it was reduced below ¥1,300,000."""
    enc = encumber(amount=1_500_000)
    doc = decide(enc)
    assert (doc.decision_label, doc.decided_by) == ("部長専決", city.bucho)
    error = _refused_to(city.kacho, enc)
    assert error.message == (
        "決裁済みの支出負担行為の減額・取消は、総務部の部長以上の職員（部長専決）、"
        "または決裁した部田 太郎さんだけが行えます。"
    )
    services.encumbrance_amend(actor=city.bucho, encumbrance=enc, amount=700_000, reason="数量の減少")
    _refused_to(city.kacho, enc)
    services.encumbrance_cancel(actor=city.shicho, encumbrance=enc, reason="事業の中止")
    assert Encumbrance.objects.get(pk=enc.pk).cancelled_at is not None


def test_a_proxy_who_decided_keeps_no_authority_to_undo_it(city, budget, encumber):
    """代決: the 課長補佐 decided for the absent 課長; undoing it is for the 課長 (or the 部長), not the proxy."""
    absent(city.kacho, proxy=city.hosa)
    enc = encumber(amount=300_000)
    doc = submit(enc)
    doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = docs.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    assert (doc.status, doc.decided_by, doc.decided_by_proxy) == (DocumentStatus.DECIDED, city.hosa, True)
    enc.refresh_from_db()
    assert not can_amend_encumbrance(city.hosa, enc)
    with pytest.raises(PermissionDenied, match="課長以上の職員（課長専決）だけが行えます"):
        services.encumbrance_cancel(actor=city.hosa, encumbrance=enc, reason="契約の解除")
    assert can_amend_encumbrance(city.bucho, enc) and can_amend_encumbrance(city.kacho, enc)
    services.encumbrance_cancel(actor=city.bucho, encumbrance=enc, reason="契約の解除")
    assert available(budget) == 3_000_000


def test_an_undecided_encumbrance_follows_the_existing_rules(city, budget, encumber):
    enc = encumber(amount=300_000)
    assert not can_amend_encumbrance(city.kacho, enc)
    with pytest.raises(Conflict, match="決裁前の支出負担行為は変更・取消できません"):
        services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=100_000, reason="減")
    with pytest.raises(Conflict, match="決裁前の支出負担行為は変更・取消できません"):
        services.encumbrance_cancel(actor=city.drafter, encumbrance=enc, reason="取消")
    # The drafter still changes a draft through the update service (起案の修正).
    services.encumbrance_update(actor=city.drafter, encumbrance=enc, amount=200_000)
    assert Encumbrance.objects.get(pk=enc.pk).amount == 200_000


def test_the_screens_offer_reduction_and_cancellation_to_the_authority_only(client, city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    url = reverse("finance:encumbrance", args=[enc.pk])
    client.force_login(city.drafter)  # the clerk may still order against it, not undo it
    page = client.get(url).content.decode()
    assert "支出命令を起こす" in page and "減額する" not in page
    for head in (city.kacho, city.bucho, city.fukushicho):
        client.force_login(head)
        page = client.get(url).content.decode()
        assert "減額する" in page, head
        # Only the section that made it orders against it.
        assert ("支出命令を起こす" in page) == (head == city.kacho), head
    client.force_login(city.bucho)  # the 部長 reaches it from the list and acts on it
    assert enc.document.number_label in client.get(reverse("finance:encumbrances")).content.decode()
    response = client.post(reverse("finance:encumbrance_cancel", args=[enc.pk]), {"cancel-reason": "事業の中止"})
    assert response.status_code == 302
    enc.refresh_from_db()
    assert enc.cancelled_at is not None
    client.force_login(city.jinji_kacho)  # another 部's sections stay out of sight
    assert client.get(url).status_code == 404
