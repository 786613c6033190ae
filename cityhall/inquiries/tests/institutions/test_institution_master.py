"""The institution master (照会先マスタ): banks from zengin-code, others typed in; kept by the collectors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.inquiries.models import Institution, InstitutionKind
from cityhall.inquiries.services.institutions import (
    InstitutionInput,
    institution_create,
    institution_deactivate,
    institution_update,
)
from cityhall.testing.city import last_entry
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db


def _bank(code: str, branch: str = "") -> InstitutionInput:
    return InstitutionInput(kind=InstitutionKind.BANK, bank_code=code, branch_code=branch, address="東京都中央区1-1")


def test_a_bank_takes_its_name_and_branch_from_zengin_code_and_is_audited(inquiry_city):
    bank = institution_create(actor=inquiry_city.collector, data=_bank("０００９", "２２１"))  # full-width digits
    assert (bank.bank_code, bank.name, bank.kana, bank.branch_code) == ("0009", "三井住友", "ミツイスミトモ", "221")
    assert bank.branch_name and last_entry().action == "inquiries.institution.create"
    changed = institution_update(
        actor=inquiry_city.nozei_kacho,
        institution=bank,
        data=InstitutionInput(**{**_bank("0009").__dict__, "name": "株式会社三井住友銀行"}),
    )
    assert (changed.name, changed.branch_code) == ("株式会社三井住友銀行", "")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_bank("9998"), "bank_code"),  # no such bank
        (_bank("0009", "999"), "branch_code"),  # no such branch
        (_bank("0001"), None),  # みずほ is already in the master
        (
            InstitutionInput(kind=InstitutionKind.INSURER, address="東京都", bank_code="0001", name="某生命"),
            "bank_code",
        ),
        (InstitutionInput(kind=InstitutionKind.SECURITIES, address="東京都"), "name"),
        (
            InstitutionInput(kind=InstitutionKind.SECURITIES, address="東京都", name="某証券", postal_code="12-3"),
            "postal_code",
        ),
    ],
)
def test_a_bad_institution_is_refused_and_nothing_is_written(inquiry_city, data, field):
    before = (Institution.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        institution_create(actor=inquiry_city.collector, data=data)
    assert refused.value.field == field
    assert (Institution.objects.count(), AuditEntry.objects.count()) == before


def test_only_collectors_keep_the_master_and_a_stopped_institution_stops_once(city, inquiry_city):
    w = inquiry_city
    with pytest.raises(PermissionDenied):
        institution_create(actor=city.drafter, data=_bank("0009"))
    with pytest.raises(PermissionDenied):
        institution_deactivate(actor=city.kacho, institution=w.insurer)
    institution_deactivate(actor=w.zeimu_collector, institution=w.insurer)  # the city's master, not a section's
    assert last_entry().action == "inquiries.institution.deactivate"
    with pytest.raises(Conflict):
        institution_deactivate(actor=w.collector, institution=w.insurer)


def test_the_master_screen_registers_an_institution_and_shows_errors_next_to_their_field(inquiry_city):
    client = client_for(inquiry_city.collector)
    bad = client.post(
        reverse("inquiries:institution_new"),
        {"kind": "bank", "bank_code": "9998", "address": "東京都", "channel": "paper", "match_on": "kana_birth"},
    )
    assert bad.status_code == 400 and "銀行コード 9998 は存在しません。" in bad.content.decode()
    good = client.post(
        reverse("inquiries:institution_new"),
        {"kind": "bank", "bank_code": "0009", "address": "東京都", "channel": "digital", "match_on": "kana_birth"},
    )
    assert good.status_code == 302
    assert Institution.objects.get(bank_code="0009").channel == "digital"
    assert "三井住友" in client.get(reverse("inquiries:institutions")).content.decode()
