"""流用・予備費充用・繰越 decided by their own rows of the 事務決裁規程, with the 財政課 合議; 人件費 項間流用."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from cityhall.core.errors import ValidationFailed
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, MatterKind, StepKind
from cityhall.finance import balance, services
from cityhall.finance.models import BudgetTransfer, BudgetVersion, Level
from cityhall.finance.services.carry_overs import carry_over_draft
from cityhall.finance.services.movements import reserve_use_draft
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import approve_to_decision, submit
from cityhall.testing.finance import FY, make_carry_allowance
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _drafter_in_accounting(city, budget):
    """The drafter (総務課) holds the 会計 role and drafts the movements of the section."""
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)


def _route(doc: Document) -> list[tuple[str, str]]:
    return [(s.kind, s.assignee.username) for s in doc.steps.filter(round=doc.current_round).order_by("order")]


def test_a_reserve_use_of_900000_yen_goes_to_the_deputy_mayor_with_the_budget_section_consulted(city, budget, reserve):
    use = reserve_use_draft(
        actor=city.drafter, title="予備費の充用について", source=reserve, target=budget.line, amount=900_000,
        reason="台風被害の復旧",
    )  # fmt: skip
    doc = submit(use)
    assert doc.matter_kind.code == "reserve_use"
    assert doc.decision_label == "副市長決裁"  # not 課長専決 as the 支出 tiers would have it for ¥900,000
    route = _route(doc)
    assert (StepKind.CONSULT, "zaisei_kacho") in route
    assert route[-1] == (StepKind.DECIDE, "fukushicho")
    consult = next(i for i, step in enumerate(route) if step[0] == StepKind.CONSULT)
    assert consult == len(route) - 2  # the 合議 stage just before the decision
    assert approve_to_decision(doc).decided_by == city.fukushicho
    assert balance.line_amount(budget.line) == 5_900_000


def test_transfer_and_carry_over_are_decided_by_their_own_rows_with_the_budget_section(city, budget):
    target = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    transfer = services.transfer_draft(
        actor=city.drafter, title="流用", source=budget.line, target=target, amount=100_000, reason="不足"
    )
    doc = submit(transfer)
    assert (doc.matter_kind.code, doc.decision_label) == ("budget_transfer", "部長専決")
    assert (StepKind.CONSULT, "zaisei_kacho") in _route(doc)
    assert _route(doc)[-1] == (StepKind.DECIDE, "bucho")
    carry = carry_over_draft(
        actor=city.drafter, title="繰越", source=budget.line, kind="carry_explicit", amount=100_000, reason="工期延長",
        allowance=make_carry_allowance(budget),
    )  # fmt: skip
    doc = submit(carry)
    assert (doc.matter_kind.code, doc.decision_label) == ("carry_over", "市長決裁")
    assert (StepKind.CONSULT, "zaisei_kacho") in _route(doc)
    assert _route(doc)[-1] == (StepKind.DECIDE, "shicho")


def test_the_mandatory_consult_cannot_be_left_out_nor_the_kind_changed_by_the_drafter(city, budget, reserve):
    use = reserve_use_draft(
        actor=city.drafter, title="予備費の充用について", source=reserve, target=budget.line, amount=50_000,
        reason="消耗品",
    )  # fmt: skip
    doc = Document.objects.get(pk=use.document_id)
    general = MatterKind.objects.get(code="general")
    with pytest.raises(ValidationFailed, match="事案の種類"):
        docs.draft_update(actor=city.drafter, document=doc, expected_version=doc.version, matter_kind=general)
    # Naming the 財政課 too keeps one 合議 step; naming nothing keeps it all the same.
    doc = submit(doc, consult_units=[city.units.zaisei, city.units.jinji])
    consults = [name for kind, name in _route(doc) if kind == StepKind.CONSULT]
    assert sorted(consults) == ["jinji_kacho", "zaisei_kacho"]
    # A document whose kind was changed behind the services is refused by the hook, naming the kind.
    Document.objects.filter(pk=doc.pk).update(matter_kind=general)
    doc = Document.objects.get(pk=doc.pk)
    with pytest.raises(ValidationFailed, match="予備費充用の事案の種類は「予備費充用」"):
        approve_to_decision(doc)
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.CIRCULATING


def _other_kou(budget, *, kan=None, code="2"):
    staff = budget.staff
    kou = services.heading_create(
        actor=staff, level=Level.KOU, code=code, name="徴税費", account=budget.account, parent=kan or budget.kan
    )
    return services.heading_create(
        actor=staff, level=Level.MOKU, code="1", name="税務総務費", account=budget.account, parent=kou
    )


def _line(budget, moku, setsu, amount=0):
    line = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=moku, setsu=budget.setsu[setsu]
    )
    if amount:
        services.budget_version_create(
            actor=budget.staff, account=budget.account, fiscal_year=FY, name=f"補正予算（{setsu}）",
            amounts=[(line, amount)],
        )  # fmt: skip
    return line


def _transfer(city, source, target, amount=100_000):
    return services.transfer_draft(
        actor=city.drafter, title="人件費の流用", source=source, target=target, amount=amount, reason="人事異動"
    )


def test_a_transfer_between_kou_of_other_expenses_is_refused_naming_article_220(city, budget):
    other = _line(budget, _other_kou(budget), "10")
    with pytest.raises(ValidationFailed, match="地方自治法第220条第2項") as caught:
        _transfer(city, budget.line, other)
    assert caught.value.field == "target"
    assert not BudgetTransfer.objects.exists()


def test_personnel_costs_move_between_kou_only_where_the_budget_allows_it(city, budget):
    salary = _line(budget, budget.moku, "2", 2_000_000)
    other_salary = _line(budget, _other_kou(budget), "3")
    with pytest.raises(ValidationFailed, match=r"人件費の項間流用の定めがない.*第220条第2項ただし書"):
        _transfer(city, salary, other_salary)
    assert not BudgetTransfer.objects.exists()
    # 人件費 to something else between 項 stays refused even with the clause.
    services.budget_version_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, name="補正予算（人件費）",
        amounts=[(salary, 0)], personnel_transfer=True,
    )  # fmt: skip
    other_supplies = _line(budget, _other_kou(budget, code="3"), "10")
    with pytest.raises(ValidationFailed, match="第220条第2項"):
        _transfer(city, salary, other_supplies)
    # Another 款 stays refused: the clause is within one 款.
    kan = services.heading_create(actor=budget.staff, level=Level.KAN, code="3", name="民生費", account=budget.account)
    far_salary = _line(budget, _other_kou(budget, kan=kan, code="1"), "4")
    with pytest.raises(ValidationFailed, match="款を超える流用はできません"):
        _transfer(city, salary, far_salary)
    transfer = _transfer(city, salary, other_salary, 300_000)
    assert approve_to_decision(submit(transfer)).status == DocumentStatus.DECIDED
    assert balance.line_amount(other_salary) == 300_000


def test_the_migration_moves_undecided_movements_off_the_spending_kind(city, budget, reserve):
    from django.apps import apps

    migration = importlib.import_module("cityhall.finance.migrations.0015_movement_rules")
    spending = MatterKind.objects.get(code="spending")
    decided = reserve_use_draft(
        actor=city.drafter, title="充用（決裁済）", source=reserve, target=budget.line, amount=10_000, reason="修繕"
    )
    approve_to_decision(submit(decided))
    waiting = reserve_use_draft(
        actor=city.drafter, title="充用（起案中）", source=reserve, target=budget.line, amount=20_000, reason="修繕"
    )
    Document.objects.filter(pk__in=[decided.document_id, waiting.document_id]).update(matter_kind=spending)  # as before
    migration.forwards(apps, None)
    assert Document.objects.get(pk=waiting.document_id).matter_kind.code == "reserve_use"
    assert Document.objects.get(pk=decided.document_id).matter_kind == spending
    assert approve_to_decision(submit(waiting)).decided_by == city.fukushicho


def test_the_budget_clause_is_recorded_from_the_screen_and_the_api(city, budget):
    client = client_for(budget.staff)
    url = reverse("finance:budget_version_new")
    page = client.get(url, {"account": budget.account.pk, "fiscal_year": FY}).content.decode()
    assert 'name="personnel_transfer"' in page and "第220条第2項ただし書" in page
    data = {
        "account": budget.account.pk, "fiscal_year": FY, "name": "補正予算（第2号）", "form_token": "t-1",
        "rows-TOTAL_FORMS": 2, "rows-INITIAL_FORMS": 0, "rows-0-line": budget.line.pk, "rows-0-amount": "0",
        "personnel_transfer": "on",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert BudgetVersion.objects.get(name="補正予算（第2号）").personnel_transfer
    body = {
        "account_id": budget.account.pk, "fiscal_year": FY, "name": "補正予算（第3号）",
        "amounts": [{"line_id": budget.line.pk, "amount": 0}],
    }  # fmt: skip
    answer = finance_api(budget.staff, "post", "/budget-versions", body)
    assert answer.status_code == 201 and answer.json()["personnel_transfer"] is False
    clause = {"name": "補正予算（第4号）", "personnel_transfer": True}
    answer = finance_api(budget.staff, "post", "/budget-versions", body | clause)
    assert answer.status_code == 201 and answer.json()["personnel_transfer"] is True
    assert BudgetVersion.objects.get(name="補正予算（第4号）").personnel_transfer
