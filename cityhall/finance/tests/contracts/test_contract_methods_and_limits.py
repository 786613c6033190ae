"""Contracts on the encumbrance: 契約方法 of 法234条, 随意契約 grounds (令167条の2①), the 少額 limits
(別表第5, from 2025-04-01), 契約番号 unique in the year, and routing by the 契約 rules."""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.documents import services as docs
from cityhall.documents.models import Document
from cityhall.finance import contracts, services
from cityhall.finance.models import ContractKind, Encumbrance
from cityhall.testing.engine import decide, document_of, submit
from cityhall.testing.finance import make_setsu_line
from cityhall.testing.web import finance_api

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int]:
    return Encumbrance.objects.count(), Document.objects.count()


def test_the_methods_are_those_of_article_234(city, budget, encumber):
    before = _counts()
    for old in ("tender", "unit_price"):
        with pytest.raises(ValidationFailed, match="一般競争入札・指名競争入札・随意契約・せり売り") as caught:
            encumber(contract_method=old)
        assert caught.value.field == "contract_method"
    assert _counts() == before
    for method in ("general_tender", "designated_tender", "auction", "none"):
        assert encumber(amount=10_000, contract_method=method).contract_method == method


def test_a_negotiated_contract_names_its_ground(city, budget, encumber):
    before = _counts()
    with pytest.raises(ValidationFailed, match="地方自治法施行令第167条の2第1項") as caught:
        encumber(contract_method="negotiated", negotiated_ground="")
    assert caught.value.field == "negotiated_ground"
    assert "第234条第2項" in caught.value.message
    with pytest.raises(ValidationFailed, match="随意契約のときだけ"):
        encumber(contract_method="general_tender", negotiated_ground="2")
    with pytest.raises(ValidationFailed, match="契約によらない支出負担行為"):
        encumber(contract_method="none", contract_number="R8-001")
    assert _counts() == before
    enc = encumber(amount=500_000, negotiated_ground="5", unit_price=True)
    assert (enc.negotiated_ground, enc.unit_price, enc.contract_kind) == ("5", True, ContractKind.PURCHASE)


def test_the_small_amount_ground_is_limited_by_kind_and_date(city, budget, encumber):
    works = make_setsu_line(budget, "14", 6_000_000, section=city.units.soumu)
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        encumber(line=works, amount=2_000_001, negotiated_ground="1")
    assert caught.value.field == "negotiated_ground"
    assert caught.value.message.startswith(
        "少額随意契約（地方自治法施行令第167条の2第1項第1号・別表第5）の限度額を超えています"
        "（工事又は製造の請負: 2,000,000円、金額: 2,000,001円）。"
    )
    # Before 2025-04-01 the limit for 工事 was ¥1,300,000: the contract's day decides.
    with pytest.raises(ValidationFailed, match="1,300,000円"):
        encumber(line=works, amount=1_300_001, negotiated_ground="1", contract_date=dt.date(2025, 3, 31))
    # 需用費 is a purchase (¥1,500,000); chosen as その他 it is ¥1,000,000.
    with pytest.raises(ValidationFailed, match="財産の買入れ: 1,500,000円"):
        encumber(amount=1_500_001, negotiated_ground="1")
    with pytest.raises(ValidationFailed, match="前各号に掲げるもの以外のもの: 1,000,000円"):
        encumber(amount=1_000_001, negotiated_ground="1", contract_kind="other")
    assert _counts() == before
    assert encumber(line=works, amount=2_000_000, negotiated_ground="1").contract_kind == ContractKind.WORKS
    # Another ground (2号) is not bounded by the small-amount limit.
    assert encumber(line=works, amount=2_500_000, negotiated_ground="2").amount == 2_500_000


def test_the_limits_table_follows_its_effective_dates(settings):
    assert contracts.limit_for(ContractKind.LEASE_IN, dt.date(2025, 3, 31)) == 400_000
    assert contracts.limit_for(ContractKind.LEASE_IN, dt.date(2025, 4, 1)) == 800_000
    settings.CITYHALL_NEGOTIATED_LIMITS = {ContractKind.OTHER: ((None, 300_000),)}
    assert contracts.limit_for(ContractKind.WORKS, dt.date(2026, 4, 1)) == 300_000


def test_the_contract_number_is_unique_in_the_year_among_live_encumbrances(city, budget, encumber):
    first = encumber(amount=100_000, contract_number="R8-契-001", contract_date=dt.date.today())
    with pytest.raises(ValidationFailed, match="契約番号「R8-契-001」は") as caught:
        encumber(amount=100_000, contract_number="R8-契-001")
    assert caught.value.field == "contract_number"
    doc = document_of(first)
    docs.withdraw(actor=city.drafter, document=doc, expected_version=doc.version, reason="見積りのやり直し")
    assert encumber(amount=100_000, contract_number="R8-契-001").contract_number == "R8-契-001"


def test_a_contract_is_routed_by_the_contract_rules_and_a_grant_by_spending(city, budget, encumber):
    contract = submit(encumber(amount=1_200_000))
    grant = submit(encumber(amount=1_200_000, contract_method="none"))
    assert (contract.matter_kind.code, contract.decision_label) == ("contract", "課長専決")  # under ¥1,300,000
    assert (grant.matter_kind.code, grant.decision_label) == ("spending", "部長専決")  # ¥1,000,000 and above


def test_a_correction_between_contract_and_grant_moves_the_kind_of_matter(city, budget, encumber):
    enc = encumber(amount=1_200_000, contract_number="R8-2")
    enc = services.encumbrance_update(actor=city.drafter, encumbrance=enc, contract_method="none")
    assert (enc.contract_number, enc.negotiated_ground, enc.contract_kind) == ("", "", "")
    assert document_of(enc).matter_kind.code == "spending"
    enc = services.encumbrance_update(
        actor=city.drafter, encumbrance=enc, contract_method="negotiated", negotiated_ground="1"
    )
    assert (enc.contract_kind, document_of(enc).matter_kind.code) == (ContractKind.PURCHASE, "contract")
    assert decide(enc).decision_label == "課長専決"


def test_the_api_takes_and_checks_the_contract(city, budget):
    body = {
        "title": "工具の購入について",
        "line_id": budget.line.pk,
        "creditor_id": budget.creditor.pk,
        "amount": 1_600_000,
        "contract_method": "negotiated",
        "negotiated_ground": "1",
    }
    refused = finance_api(city.drafter, "post", "/encumbrances", body)
    assert refused.status_code == 400
    assert "地方自治法施行令第167条の2第1項第1号" in refused.json()["detail"]
    made = finance_api(
        city.drafter, "post", "/encumbrances", body | {"negotiated_ground": "2", "contract_number": "A-1"}
    )
    assert made.status_code == 201
    assert (made.json()["contract_kind"], made.json()["contract_number"]) == ("purchase", "A-1")
    patched = finance_api(
        city.drafter, "patch", f"/encumbrances/{made.json()['id']}", {"contract_method": "designated_tender"}
    )
    assert patched.status_code == 200
    assert (patched.json()["contract_method"], patched.json()["negotiated_ground"]) == ("designated_tender", "")
