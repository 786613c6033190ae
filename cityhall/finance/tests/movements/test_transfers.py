"""Budget transfer (流用): same 項 only, locked 節 refused, unallotted balance as a hard stop."""

from __future__ import annotations

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.models import BudgetTransfer, Level, TransferKind
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import approve_to_decision, submit
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(city, budget):
    """需用費 (¥5,000,000, ¥3,000,000 allotted) and 役務費 (¥0) of 一般管理費; ``drafter`` holds the 会計 role."""
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    target = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    return budget.line, target


def _transfer(city, source, target, amount, **kw):
    return services.transfer_draft(
        actor=kw.pop("by", city.drafter), title="需用費から役務費への流用", source=source, target=target,
        amount=amount, reason=kw.pop("reason", "通信運搬費の不足"),
    )  # fmt: skip


def test_decided_transfer_moves_budget_and_the_source_is_held_from_submission(city, budget, lines):
    source, target = lines
    transfer = _transfer(city, source, target, 500_000)
    assert transfer.kind == TransferKind.TRANSFER and transfer.document.doc_type == services.TRANSFER_TYPE
    assert AuditEntry.objects.filter(action="finance.transfer.create", object_id=str(transfer.pk)).exists()
    doc = submit(transfer)
    assert doc.decision_label == "部長専決"  # its own row of the 事務決裁規程, not the 支出 tiers
    assert (balance.line_amount(source), balance.line_amount(target)) == (4_500_000, 0)
    doc = approve_to_decision(doc)
    assert doc.status == DocumentStatus.DECIDED
    assert (balance.line_amount(source), balance.line_amount(target)) == (4_500_000, 500_000)
    allotment = services.allotment_set(actor=budget.staff, line=target, section=city.units.soumu, amount=500_000)
    assert allotment.amount == 500_000


def test_a_circulating_transfer_blocks_allotting_the_same_yen(city, budget, lines):
    source, target = lines
    submit(_transfer(city, source, target, 1_500_000))
    with pytest.raises(ValidationFailed, match="予算額を超えます"):
        services.allotment_set(actor=budget.staff, line=source, section=city.units.soumu, amount=3_600_000)


def test_over_the_unallotted_amount_is_refused_at_draft_and_saves_nothing(city, lines):
    source, target = lines
    before = Document.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _transfer(city, source, target, 2_000_001)
    assert caught.value.message == (
        "流用元の予算残額が不足しています（予算科目: 一般会計 2款総務費 1項総務管理費 1目一般管理費 10節需用費、"
        "未配当額: 2,000,000円、流用額: 2,000,001円）。"
    )
    assert Document.objects.count() == before and not BudgetTransfer.objects.exists()


def test_hard_stop_at_submit_and_at_decision(city, budget, lines):
    source, target = lines
    first, second = _transfer(city, source, target, 900_000), _transfer(city, source, target, 1_200_000)
    doc = submit(first)
    with pytest.raises(ValidationFailed, match="未配当額: 1,100,000円、流用額: 1,200,000円"):
        submit(second)
    doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    services.setsu_lock(actor=budget.staff, heading=budget.setsu["11"], locked=True)
    with pytest.raises(ValidationFailed, match="11節役務費は流用禁止"):
        approve_to_decision(doc)
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.CIRCULATING


def test_locked_setsu_and_other_kou_are_refused(city, budget, lines):
    source, _target = lines
    staff = budget.staff
    entertainment = services.budget_line_create(
        actor=staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["9"]
    )
    services.setsu_lock(actor=staff, heading=budget.setsu["9"], locked=True)
    with pytest.raises(ValidationFailed, match="9節交際費は流用禁止") as caught:
        _transfer(city, source, entertainment, 1_000)
    assert caught.value.field == "target"
    kou = services.heading_create(
        actor=staff, level=Level.KOU, code="2", name="徴税費", account=budget.account, parent=budget.kan
    )
    moku = services.heading_create(
        actor=staff, level=Level.MOKU, code="1", name="税務総務費", account=budget.account, parent=kou
    )
    other = services.budget_line_create(
        actor=staff, account=budget.account, fiscal_year=FY, moku=moku, setsu=budget.setsu["10"]
    )
    with pytest.raises(ValidationFailed, match=r"項を超える流用はできません.*地方自治法第220条第2項"):
        _transfer(city, source, other, 1_000)
    with pytest.raises(ValidationFailed, match="同じ予算科目"):
        _transfer(city, source, source, 1_000)
    assert not BudgetTransfer.objects.exists()


def test_transfers_need_the_accounting_role(city, lines):
    source, target = lines
    with pytest.raises(PermissionDenied):
        _transfer(city, source, target, 1_000, by=city.outsider)
    assert not BudgetTransfer.objects.exists()


def test_a_locked_setsu_still_moves_between_its_own_saisetsu(city, budget):
    """流用禁止 guards the 節's total; a move between two 細節 of that 節 leaves it unchanged."""
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    staff, setsu = budget.staff, budget.setsu["10"]
    paper, fuel = (
        services.heading_create(actor=staff, level=Level.SAISETSU, code=code, name=name, parent=setsu)
        for code, name in (("1", "消耗品費"), ("2", "燃料費"))
    )
    source, target = (
        services.budget_line_create(
            actor=staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=setsu, saisetsu=sai
        )
        for sai in (paper, fuel)
    )
    services.budget_version_create(
        actor=staff, account=budget.account, fiscal_year=FY, name="補正予算（第1号）", amounts=[(source, 100_000)]
    )
    services.setsu_lock(actor=staff, heading=setsu, locked=True)
    transfer = _transfer(city, source, target, 50_000)
    assert (transfer.source_id, transfer.target_id, transfer.amount) == (source.pk, target.pk, 50_000)
    services_line = services.budget_line_create(
        actor=staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    with pytest.raises(ValidationFailed, match="10節需用費は流用禁止"):
        _transfer(city, source, services_line, 1_000)  # out of the 節: its total would change
