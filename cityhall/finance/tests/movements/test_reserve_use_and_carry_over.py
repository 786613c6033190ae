"""予備費充用 and 繰越 (繰越明許・事故繰越): rules, hard stop on the source, effect once decided."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.japanese import closing_period_end, fiscal_year_start
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.models import (
    BudgetKind,
    BudgetLine,
    BudgetTransfer,
    BudgetVersion,
    CarryAllowance,
    TransferKind,
)
from cityhall.finance.services.carry_overs import carry_over_draft
from cityhall.finance.services.movements import CARRY_TYPE, RESERVE_TYPE, reserve_use_draft
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import approve_to_decision, decide
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _drafter_in_accounting(city, budget):
    """The drafter holds the 会計 role, as the 財政課 clerk who drafts budget movements."""
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)


def _use(city, source, target, amount, **kw):
    return reserve_use_draft(
        actor=kw.pop("by", city.drafter), title="予備費の充用について", source=source, target=target,
        amount=amount, reason=kw.pop("reason", "台風被害の復旧に要する消耗品"), **kw,
    )  # fmt: skip


def _allowance_for(city, line):
    """A 繰越明許費 of ¥10,000,000 for the line's 項 in its year's 当初予算, made once."""
    version = BudgetVersion.objects.get(account=line.account, fiscal_year=line.fiscal_year, number=0)
    found = CarryAllowance.objects.filter(version=version, kou=line.moku.parent).first()
    return found or services.carry_allowance_create(
        actor=city.drafter, version=version, kou=line.moku.parent, project="庁舎改修事業", amount=10_000_000
    )


def _carry(city, source, amount, kind="carry_explicit", **kw):
    if kind == "carry_explicit" and "allowance" not in kw and not (source.is_reserve or source.is_carried):
        kw["allowance"] = _allowance_for(city, source)
    return carry_over_draft(
        actor=kw.pop("by", city.drafter), title="繰越について", source=source, kind=kind, amount=amount,
        reason=kw.pop("reason", "資材の納期遅延により年度内に完了しないため"), **kw,
    )  # fmt: skip


def test_decided_reserve_use_moves_budget_across_kan(city, budget, reserve):
    use = _use(city, reserve, budget.line, 400_000)
    assert use.kind == TransferKind.RESERVE and use.document.doc_type == RESERVE_TYPE
    assert AuditEntry.objects.filter(action="finance.reserve_use.create", object_id=str(use.pk)).exists()
    doc = decide(use)
    assert doc.status == DocumentStatus.DECIDED
    assert (balance.line_amount(reserve), balance.line_amount(budget.line)) == (600_000, 5_400_000)
    allotment = services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.soumu, amount=5_400_000)
    assert allotment.amount == 5_400_000


def test_reserve_use_over_the_reserve_is_refused_at_draft_and_at_submit(city, budget, reserve):
    before = Document.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _use(city, reserve, budget.line, 1_000_001)
    assert caught.value.message == (
        "予備費の残額が不足しています（予算科目: 一般会計 14款予備費 1項予備費 1目予備費、"
        "予備費残額: 1,000,000円、充用額: 1,000,001円）。"
    )
    assert caught.value.extra == {"available": 1_000_000, "requested": 1_000_001}
    assert Document.objects.count() == before and not BudgetTransfer.objects.exists()
    first, second = _use(city, reserve, budget.line, 700_000), _use(city, reserve, budget.line, 400_000)
    decide(first)
    doc = Document.objects.get(pk=second.document_id)
    with pytest.raises(ValidationFailed, match="予備費残額: 300,000円、充用額: 400,000円"):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)


def test_reserve_use_needs_the_reserve_as_source_and_another_line_as_target(city, budget, reserve):
    other = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    with pytest.raises(ValidationFailed, match="充用元には予備費の明細を選んで") as caught:
        _use(city, budget.line, other, 1_000)
    assert caught.value.field == "source"
    with pytest.raises(ValidationFailed, match="充用先には予備費以外"):
        _use(city, reserve, reserve, 1_000)
    with pytest.raises(ValidationFailed, match="予備費充用で使ってください"):
        services.transfer_draft(
            actor=city.drafter, title="流用", source=reserve, target=budget.line, amount=1_000, reason="x"
        )
    with pytest.raises(ValidationFailed, match="年度外"):
        _use(city, reserve, budget.line, 1_000, on=closing_period_end(FY))
    with pytest.raises(ValidationFailed, match="予備費充用の理由"):
        _use(city, reserve, budget.line, 1_000, reason=" ")
    with pytest.raises(PermissionDenied):
        _use(city, reserve, budget.line, 1_000, by=city.outsider)
    assert not BudgetTransfer.objects.exists()


def test_the_reserve_is_never_allotted(city, budget, reserve):
    with pytest.raises(ValidationFailed, match="予備費は配当できません") as caught:
        services.allotment_set(actor=budget.staff, line=reserve, section=city.units.soumu, amount=1)
    assert caught.value.field == "line"
    assert not reserve.allotments.exists()


def _next_year_line(budget):
    return BudgetLine.objects.filter(
        account=budget.account, fiscal_year=FY + 1, moku=budget.moku, setsu=budget.setsu["10"]
    ).first()


def test_carry_explicit_creates_the_next_year_line_and_moves_the_amount_once_decided(city, budget):
    carry = _carry(city, budget.line, 900_000)
    target = _next_year_line(budget)
    assert carry.target == target and carry.kind == TransferKind.CARRY_EXPLICIT
    assert carry.document.doc_type == CARRY_TYPE
    assert target.budget_kind == BudgetKind.CARRY_EXPLICIT and target.is_carried
    assert target.label == f"{budget.line.label}（繰越明許費繰越分）"
    assert AuditEntry.objects.filter(action="finance.line.create", object_id=str(target.pk)).exists()
    assert AuditEntry.objects.filter(action="finance.carry_over.create", object_id=str(carry.pk)).exists()
    assert (balance.line_amount(budget.line), balance.line_amount(target)) == (5_000_000, 0)
    doc = decide(carry)
    assert doc.status == DocumentStatus.DECIDED
    assert (balance.line_amount(budget.line), balance.line_amount(target)) == (4_100_000, 900_000)


def test_second_carry_within_the_balance_goes_into_the_same_line(city, budget):
    first = _carry(city, budget.line, 900_000)
    decide(first)
    second = _carry(city, budget.line, 600_000)
    assert first.target_id == second.target_id
    assert BudgetLine.objects.filter(fiscal_year=FY + 1).count() == 1
    doc = Document.objects.get(pk=second.document_id)
    docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    with pytest.raises(ValidationFailed) as caught:
        _carry(city, budget.line, 500_001)
    assert caught.value.message == (
        "繰越元の未配当額が不足しています（予算科目: 一般会計 2款総務費 1項総務管理費 1目一般管理費 10節需用費、"
        "未配当額: 500,000円、繰越額: 500,001円）。課に配当したままの額は、配当額を減らしてから繰り越してください。"
    )
    approve_to_decision(Document.objects.get(pk=second.document_id))
    assert balance.line_amount(first.target) == 1_500_000
    assert balance.line_amount(budget.line) == 3_500_000


def test_carry_outside_the_period_or_without_reason_is_refused_and_saves_nothing(city, budget):
    before = Document.objects.count()
    for day in (fiscal_year_start(FY) - dt.timedelta(days=1), closing_period_end(FY) + dt.timedelta(days=1)):
        with pytest.raises(ValidationFailed, match=f"{FY}年度の予算は.*には繰り越せません"):
            _carry(city, budget.line, 1_000, on=day)
    with pytest.raises(ValidationFailed, match="繰越明許の理由"):
        _carry(city, budget.line, 1_000, reason="")
    with pytest.raises(ValidationFailed, match="繰越の種類"):
        _carry(city, budget.line, 1_000, kind="transfer")
    with pytest.raises(PermissionDenied):
        _carry(city, budget.line, 1_000, by=city.outsider)
    assert Document.objects.count() == before
    assert not BudgetTransfer.objects.exists() and _next_year_line(budget) is None
    last_day = _carry(city, budget.line, 1_000, on=closing_period_end(FY))
    assert last_day.document.amount == 1_000


def test_the_reserve_is_not_carried(city, budget, reserve):
    with pytest.raises(ValidationFailed, match="予備費は繰り越せません"):
        _carry(city, reserve, 1_000)


def test_the_period_is_checked_again_when_the_carry_is_submitted(city, budget):
    """Drafted on the last day of last year's closing period, submitted today: too late."""
    last_year = FY - 1
    old = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=last_year, moku=budget.moku, setsu=budget.setsu["10"]
    )
    services.budget_version_create(
        actor=budget.staff, account=budget.account, fiscal_year=last_year, name="当初予算", amounts=[(old, 50_000)]
    )
    carry = _carry(city, old, 50_000, on=closing_period_end(last_year))
    assert carry.target != budget.line  # kept apart from this year's own budget of the same 節
    assert (carry.target.fiscal_year, carry.target.budget_kind) == (FY, BudgetKind.CARRY_EXPLICIT)
    doc = Document.objects.get(pk=carry.document_id)
    with pytest.raises(ValidationFailed, match=f"{last_year}年度の予算は.*には繰り越せません"):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.DRAFT
    assert balance.line_amount(old) == 50_000


def test_carried_money_stays_on_its_own_line_next_to_the_years_own_budget(city, budget):
    """A carry into a year that already has the same 節 does not merge into that year's ordinary line."""
    own = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY + 1, moku=budget.moku, setsu=budget.setsu["10"]
    )
    carry = _carry(city, budget.line, 900_000)
    assert carry.target != own and carry.target.is_carried and not own.is_carried
    decide(carry)
    assert (balance.line_amount(own), balance.line_amount(carry.target)) == (0, 900_000)


def test_carried_money_is_not_moved_by_transfer_nor_carried_twice(city, budget):
    carried = _carry(city, budget.line, 900_000)
    decide(carried)
    line = BudgetLine.objects.get(pk=carried.target_id)
    ordinary = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY + 1, moku=budget.moku, setsu=budget.setsu["11"]
    )
    with pytest.raises(ValidationFailed, match="繰越分のため、流用の対象にできません") as caught:
        services.transfer_draft(
            actor=city.drafter, title="流用", source=line, target=ordinary, amount=1_000, reason="不足"
        )
    assert caught.value.field == "source"
    with pytest.raises(ValidationFailed, match="繰越分のため、再び繰り越せるのは繰越明許費の事故繰越だけです"):
        _carry(city, line, 1_000, on=fiscal_year_start(FY + 1))
    # 事故繰越 of a 繰越明許費 is the one way on, and only for an encumbered amount (法220条③ただし書).
    with pytest.raises(ValidationFailed, match="事故繰越は、年度内に支出負担行為をした経費に限られます"):
        _carry(city, line, 1_000, kind="carry_accident", on=fiscal_year_start(FY + 1))


def test_the_migration_marks_lines_only_carries_made_so_a_carry_in_circulation_still_decides(city, budget):
    """Migration 0006: a next-year line made by a 繰越 before 予算区分 existed becomes its 繰越分 line."""
    from django.apps import apps

    migration = importlib.import_module("cityhall.finance.migrations.0006_budget_line_kind")
    carry = _carry(city, budget.line, 900_000)
    label = carry.target.label.removesuffix("（繰越明許費繰越分）")
    BudgetLine.objects.filter(pk=carry.target_id).update(budget_kind=BudgetKind.CURRENT, label=label)  # as before
    own = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY + 1, moku=budget.moku, setsu=budget.setsu["11"]
    )
    migration.mark_carried_lines(apps, None)
    target = BudgetLine.objects.get(pk=carry.target_id)
    assert (target.budget_kind, target.label) == (BudgetKind.CARRY_EXPLICIT, f"{label}（繰越明許費繰越分）")
    assert BudgetLine.objects.get(pk=own.pk).budget_kind == BudgetKind.CURRENT
    assert decide(carry).status == DocumentStatus.DECIDED
