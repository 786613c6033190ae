"""Budget: the 27 節, headings, lines, versions (当初・補正) and allotments (配当)."""

from __future__ import annotations

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.finance import balance, services
from cityhall.finance.defaults import EXPENDITURE_SETSU, ensure_finance_defaults
from cityhall.finance.models import Allotment, BudgetAmount, BudgetVersion, Level
from cityhall.finance.selectors.budget import standard_setsu
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db

EXPECTED_SETSU = [
    "報酬", "給料", "職員手当等", "共済費", "災害補償費", "恩給及び退職年金", "報償費", "旅費", "交際費",
    "需用費", "役務費", "委託料", "使用料及び賃借料", "工事請負費", "原材料費", "公有財産購入費", "備品購入費",
    "負担金、補助及び交付金", "扶助費", "貸付金", "補償、補塡及び賠償金", "償還金、利子及び割引料",
    "投資及び出資金", "積立金", "寄附金", "公課費", "繰出金",
]  # fmt: skip


def test_the_27_expenditure_setsu_are_loaded_by_the_migration():
    rows = list(standard_setsu())
    assert [(int(h.code), h.name) for h in rows] == list(enumerate(EXPECTED_SETSU, start=1))
    assert len(EXPENDITURE_SETSU) == 27
    assert "賃金" not in {h.name for h in rows} and "予備費" not in {h.name for h in rows}


def test_ensure_finance_defaults_is_idempotent():
    assert ensure_finance_defaults() == {"accounts": 0, "setsu": 0}
    assert standard_setsu().count() == 27


def test_line_amount_is_the_sum_of_versions(budget):
    services.budget_version_create(
        actor=budget.staff,
        account=budget.account,
        fiscal_year=FY,
        name="6月補正（第1号）",
        amounts=[(budget.line, 1_200_000)],
    )
    version = services.budget_version_create(
        actor=budget.staff,
        account=budget.account,
        fiscal_year=FY,
        name="9月補正（第2号）",
        amounts=[(budget.line, -200_000)],
    )
    assert version.number == 2
    assert balance.line_amount(budget.line) == 6_000_000
    assert AuditEntry.objects.filter(action="finance.version.create", object_id=str(version.pk)).exists()


def test_supplementary_cut_below_allotted_is_refused_and_saves_nothing(budget):
    before = BudgetVersion.objects.count(), BudgetAmount.objects.count()
    with pytest.raises(ValidationFailed, match="配当済額"):
        services.budget_version_create(
            actor=budget.staff,
            account=budget.account,
            fiscal_year=FY,
            name="減額補正",
            amounts=[(budget.line, -2_500_000)],
        )
    assert (BudgetVersion.objects.count(), BudgetAmount.objects.count()) == before


def test_allotment_within_the_line_and_audited(city, budget):
    allotment = services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.jinji, amount=2_000_000)
    assert allotment.amount == 2_000_000
    entry = AuditEntry.objects.filter(action="finance.allotment.set", object_id=str(allotment.pk)).get()
    assert entry.actor_label == budget.staff.username


def test_allotment_over_the_line_is_refused(city, budget):
    with pytest.raises(ValidationFailed, match="予算額を超えます"):
        services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.jinji, amount=2_000_001)
    assert not Allotment.objects.filter(section=city.units.jinji).exists()


def test_allotment_to_a_subsection_or_with_decimals_is_refused(city, budget):
    with pytest.raises(ValidationFailed, match="課を選んで"):
        services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.bunsho, amount=1)
    with pytest.raises(ValidationFailed, match="円単位の整数"):
        services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.jinji, amount="100.5")


def test_allotment_below_encumbered_is_refused(city, budget, encumber):
    from cityhall.documents import services as docs

    enc = encumber(amount=800_000)
    docs.submit(actor=city.drafter, document=enc.document, expected_version=enc.document.version)
    with pytest.raises(ValidationFailed, match="執行済額"):
        services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.soumu, amount=700_000)
    budget.allotment.refresh_from_db()
    assert budget.allotment.amount == 3_000_000


def test_budget_services_need_the_accounting_role(city, budget):
    with pytest.raises(PermissionDenied):
        services.allotment_set(actor=city.drafter, line=budget.line, section=city.units.jinji, amount=1)
    with pytest.raises(PermissionDenied):
        services.heading_create(actor=city.outsider, level=Level.KAN, code="3", name="民生費", account=budget.account)
    with pytest.raises(PermissionDenied):
        services.budget_version_create(
            actor="script", account=budget.account, fiscal_year=FY, name="x", amounts=[(budget.line, 1)]
        )


def test_heading_rules_and_transfer_lock(budget):
    with pytest.raises(ValidationFailed, match="上位科目には款"):
        services.heading_create(actor=budget.staff, level=Level.KOU, code="9", name="x", account=budget.account)
    with pytest.raises(ValidationFailed, match="既に使われて"):
        services.heading_create(actor=budget.staff, level=Level.KAN, code="2", name="重複", account=budget.account)
    sai = services.heading_create(
        actor=budget.staff, level=Level.SAISETSU, code="1", name="消耗品費", parent=budget.setsu["10"]
    )
    assert sai.account is None
    locked = services.setsu_lock(actor=budget.staff, heading=budget.setsu["9"], locked=True)
    assert locked.transfer_locked
    for action, obj in (("finance.heading.create", sai), ("finance.heading.lock", locked)):
        entry = AuditEntry.objects.get(action=action, object_id=str(obj.pk))
        assert entry.actor_label == budget.staff.username
    with pytest.raises(ValidationFailed):
        services.setsu_lock(actor=budget.staff, heading=budget.moku, locked=True)


def test_duplicate_line_is_refused(budget):
    with pytest.raises(ValidationFailed, match="既にあります"):
        services.budget_line_create(
            actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["10"]
        )
    line = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    assert line.label == "一般会計 2款総務費 1項総務管理費 1目一般管理費 11節役務費"
    assert AuditEntry.objects.filter(action="finance.line.create", object_id=str(line.pk)).exists()


def test_the_reserve_line_has_no_setsu_and_is_one_per_account_and_year(city, budget):
    staff, account = budget.staff, budget.account
    kan = services.heading_create(actor=staff, level=Level.KAN, code="14", name="予備費", account=account)
    kou = services.heading_create(actor=staff, level=Level.KOU, code="1", name="予備費", account=account, parent=kan)
    moku = services.heading_create(actor=staff, level=Level.MOKU, code="1", name="予備費", account=account, parent=kou)
    with pytest.raises(ValidationFailed, match="節を選んでください（節のない明細は予備費としてのみ") as caught:
        services.budget_line_create(actor=staff, account=account, fiscal_year=FY, moku=moku, setsu=None)
    assert caught.value.field == "setsu"
    with pytest.raises(ValidationFailed, match="予備費の明細には節・細節を選ばないで"):
        services.budget_line_create(
            actor=staff, account=account, fiscal_year=FY, moku=moku, setsu=budget.setsu["10"], reserve=True
        )
    line = services.budget_line_create(
        actor=staff, account=account, fiscal_year=FY, moku=moku, setsu=None, reserve=True
    )
    assert line.is_reserve and line.label == "一般会計 14款予備費 1項予備費 1目予備費"
    with pytest.raises(ValidationFailed, match="予備費の明細は既にあります"):
        services.budget_line_create(
            actor=staff, account=account, fiscal_year=FY, moku=budget.moku, setsu=None, reserve=True
        )
    services.budget_version_create(actor=staff, account=account, fiscal_year=FY, name="補正", amounts=[(line, 10_000)])
    with pytest.raises(ValidationFailed, match="予備費は配当できません"):
        services.allotment_set(actor=staff, line=line, section=city.units.soumu, amount=10_000)
    assert balance.line_amount(line) == 10_000 and not Allotment.objects.filter(line=line).exists()


def test_allotment_cannot_be_cut_below_a_combined_order(city, budget, encumber, draft_order):
    decide(encumber(amount=100_000))
    submit(draft_order(amounts=(900_000,), title="電気料"))  # 兼: holds budget without an encumbrance
    with pytest.raises(ValidationFailed) as caught:
        services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.soumu, amount=999_999)
    assert caught.value.message == "配当額を執行済額（1,000,000円）より少なくはできません。"
    allotment = services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.soumu, amount=1_000_000)
    assert balance.available_amount(allotment) == 0
