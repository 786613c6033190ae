"""The screens of contracts: the contract's particulars on the draft form and the 変更契約 form on the
encumbrance's page, with the refusals next to their fields and nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.documents.models import Document
from cityhall.finance.models import Encumbrance, EncumbranceChange
from cityhall.testing.engine import decide
from cityhall.testing.finance import encumbrance_post, make_setsu_line
from cityhall.testing.web import client_for, field_error, visible_text

pytestmark = pytest.mark.django_db


def test_the_draft_form_takes_the_contract_and_refuses_a_small_amount_above_its_limit(city, budget):
    client = client_for(city.drafter)
    works = make_setsu_line(budget, "14", 6_000_000, section=city.units.soumu)
    data = encumbrance_post(budget, line=str(works.pk), amount="2,000,001", negotiated_ground="1")
    before = Document.objects.count()
    response = client.post(reverse("finance:encumbrance_new"), data)
    assert response.status_code == 400
    assert "地方自治法施行令第167条の2第1項第1号" in field_error(response.content.decode(), "id_negotiated_ground")
    assert Document.objects.count() == before
    data = encumbrance_post(
        budget, contract_method="general_tender", negotiated_ground="", contract_number="R8-001",
        contract_date="2026-05-01", unit_price="on",
    )  # fmt: skip
    response = client.post(reverse("finance:encumbrance_new"), data)
    assert response.status_code == 302
    enc = Encumbrance.objects.get(contract_number="R8-001")
    assert (enc.contract_method, enc.unit_price, enc.contract_kind) == ("general_tender", True, "purchase")
    page = visible_text(client.get(reverse("finance:encumbrance", args=[enc.pk])).content.decode())
    assert "一般競争入札" in page and "R8-001" in page


def test_a_change_is_drafted_from_the_encumbrance_page(city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    client = client_for(city.drafter)
    page = client.get(reverse("finance:encumbrance", args=[enc.pk])).content.decode()
    assert 'data-testid="change-form"' in page
    url = reverse("finance:encumbrance_change", args=[enc.pk])
    response = client.post(url, {"change-new_amount": "9,000,000", "change-reason": "増量"})
    assert response.status_code == 400
    assert "地方自治法第232条の3" in field_error(response.content.decode(), "id_change-new_amount")
    assert not EncumbranceChange.objects.exists()
    response = client.post(url, {"change-new_amount": "1,500,000", "change-reason": "増量"})
    change = EncumbranceChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:detail", args=[change.document_id])
    assert change.document.amount == 1_500_000
    page = client.get(reverse("finance:encumbrance", args=[enc.pk])).content.decode()
    assert 'data-testid="change-form"' not in page  # one open change at a time
    assert "第1回変更" in visible_text(page)
    # Someone outside the section sees no form and cannot post one.
    outside = client_for(city.outsider)
    assert outside.post(url, {"change-new_amount": "1,600,000", "change-reason": "増量"}).status_code == 404


def test_the_route_preview_follows_the_method(city, budget):
    client = client_for(city.drafter)
    contract = client.get(
        reverse("finance:encumbrance_route"), {"contract_method": "negotiated", "amount": "1,200,000"}
    )
    grant = client.get(reverse("finance:encumbrance_route"), {"contract_method": "none", "amount": "1,200,000"})
    assert contract.status_code == grant.status_code == 302
    assert "課長専決" in client.get(contract["Location"]).content.decode()
    assert "部長専決" in client.get(grant["Location"]).content.decode()
