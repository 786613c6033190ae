import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.org import selectors, services
from cityhall.org.models import Absence, Assignment, OrgUnit, Role, RoleGrant
from cityhall.testing.city import SETUP, last_entry, must

APRIL_1 = dt.date(2026, 4, 1)


def _counts():
    return (
        Assignment.objects.count(),
        Absence.objects.count(),
        RoleGrant.objects.count(),
        OrgUnit.objects.count(),
        AuditEntry.objects.count(),
    )


def test_transfer_writes_audit_entries_with_actor_before_and_after(tax_city, make_user):
    admin = make_user("it-admin", is_superuser=True)
    services.assignment_create(
        actor=admin, user=tax_city.drafter, unit=tax_city.nozei, post=tax_city.posts["shuji"], valid_from=APRIL_1
    )
    ended, created = AuditEntry.objects.order_by("-seq")[:2][::-1]
    assert (ended.action, created.action) == ("org.assignment.end", "org.assignment.create")
    assert ended.actor == admin and created.actor == admin
    assert json.loads(ended.before)["valid_to"] is None
    assert json.loads(ended.after)["valid_to"] == "2026-03-31"
    assert json.loads(created.after)["unit_id"] == tax_city.nozei.pk


def test_it_admin_role_may_change_the_organisation(tax_city):
    services.role_grant(actor=SETUP, user=tax_city.drafter, role=Role.IT_ADMIN, valid_from=dt.date(2025, 4, 1))
    unit = services.unit_create(
        actor=tax_city.drafter,
        municipality=tax_city.town,
        kind="subsection",
        code="030202",
        name="資産税係",
        parent=tax_city.zeimu,
        valid_from=APRIL_1,
    )
    entry = last_entry()
    assert entry.action == "org.unit.create" and entry.actor == tax_city.drafter and entry.object_id == str(unit.pk)


def test_ordinary_staff_may_not_change_the_organisation(tax_city):
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            actor=tax_city.kakaricho,
            user=tax_city.drafter,
            unit=tax_city.nozei,
            post=tax_city.posts["shuji"],
            valid_from=APRIL_1,
        )
    assert _counts() == before


def test_overlapping_primary_assignment_is_refused_and_nothing_changes(tax_city):
    services.assignment_create(
        actor=SETUP, user=tax_city.drafter, unit=tax_city.nozei, post=tax_city.posts["shuji"], valid_from=APRIL_1
    )
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.assignment_create(
            actor=SETUP,
            user=tax_city.drafter,
            unit=tax_city.zeimu,
            post=tax_city.posts["shuji"],
            valid_from=dt.date(2026, 1, 1),
        )
    assert "発令日以降に始まる本務の配置" in caught.value.message
    assert _counts() == before
    # The assignment that would have been closed is untouched (the transaction rolled back).
    assert must(selectors.primary_assignment(tax_city.drafter, on=dt.date(2026, 3, 31))).valid_to == dt.date(
        2026, 3, 31
    )
    assert must(selectors.primary_assignment(tax_city.drafter, on=dt.date(2025, 12, 31))).unit == tax_city.shiminzei


def test_end_date_before_start_is_refused(tax_city):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.assignment_create(
            actor=SETUP,
            user=tax_city.drafter,
            unit=tax_city.nozei,
            post=tax_city.posts["shuji"],
            valid_from=APRIL_1,
            valid_to=dt.date(2026, 3, 1),
        )
    assert caught.value.field == "valid_to"
    assert _counts() == before


def test_database_refuses_two_open_primary_assignments(tax_city):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            user=tax_city.drafter, unit=tax_city.nozei, post=tax_city.posts["shuji"], valid_from=APRIL_1
        )


def test_database_refuses_end_before_start(tax_city):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            user=tax_city.drafter,
            unit=tax_city.nozei,
            post=tax_city.posts["shuji"],
            is_primary=False,
            valid_from=APRIL_1,
            valid_to=dt.date(2026, 3, 1),
        )


def test_unit_must_sit_under_the_right_kind(tax_city):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.unit_create(
            actor=SETUP,
            municipality=tax_city.town,
            kind="subsection",
            code="0399",
            name="迷子係",
            parent=tax_city.dept,
            valid_from=APRIL_1,
        )
    assert caught.value.field == "parent"
    assert _counts() == before


def test_duplicate_unit_code_is_refused_in_japanese(tax_city):
    with pytest.raises(ValidationFailed) as caught:
        services.unit_create(
            actor=SETUP, municipality=tax_city.town, kind="department", code="03", name="重複部", valid_from=APRIL_1
        )
    assert "組織コード" in caught.value.message


def test_unit_with_staff_cannot_be_abolished_until_they_move(tax_city):
    with pytest.raises(ValidationFailed):
        services.unit_abolish(actor=SETUP, unit=tax_city.nozei, valid_to=dt.date(2026, 3, 31))
    services.assignment_create(
        actor=SETUP,
        user=tax_city.nozei_kacho,
        unit=tax_city.zeimu,
        post=tax_city.posts["kacho_hosa"],
        valid_from=APRIL_1,
    )
    services.unit_abolish(actor=SETUP, unit=tax_city.nozei, valid_to=dt.date(2026, 3, 31))
    assert last_entry().action == "org.unit.abolish"
    with pytest.raises(ValidationFailed):
        services.assignment_create(
            actor=SETUP, user=tax_city.drafter, unit=tax_city.nozei, post=tax_city.posts["shuji"], valid_from=APRIL_1
        )


def test_absence_registration_and_its_refusals(tax_city):
    absence = services.absence_register(
        actor=SETUP,
        user=tax_city.zeimu_kacho,
        starts_on=APRIL_1,
        ends_on=dt.date(2026, 4, 2),
        proxy=tax_city.zeimu_hosa,
    )
    entry = last_entry()
    assert entry.action == "org.absence.create" and entry.object_id == str(absence.pk)
    before = _counts()
    with pytest.raises(ValidationFailed, match="本人を代決者"):
        services.absence_register(
            actor=SETUP, user=tax_city.bucho, starts_on=APRIL_1, ends_on=APRIL_1, proxy=tax_city.bucho
        )
    with pytest.raises(ValidationFailed, match="既に不在"):
        services.absence_register(
            actor=SETUP, user=tax_city.zeimu_kacho, starts_on=dt.date(2026, 4, 2), ends_on=dt.date(2026, 4, 5)
        )
    with pytest.raises(ValidationFailed, match="終了日"):
        services.absence_register(actor=SETUP, user=tax_city.bucho, starts_on=APRIL_1, ends_on=dt.date(2026, 3, 1))
    assert _counts() == before


def test_role_grant_refuses_a_duplicate_and_revoke_removes_a_future_grant(tax_city):
    grant = services.role_grant(actor=SETUP, user=tax_city.drafter, role=Role.AUDITOR, valid_from=dt.date(2030, 4, 1))
    before = _counts()
    with pytest.raises(ValidationFailed, match="同じ権限"):
        services.role_grant(actor=SETUP, user=tax_city.drafter, role=Role.AUDITOR, valid_from=dt.date(2031, 1, 1))
    assert _counts() == before
    assert services.role_revoke(actor=SETUP, grant=grant, valid_to=APRIL_1) is None
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    entry = last_entry()
    assert entry.action == "org.role.revoke" and json.loads(entry.before)["role"] == "auditor" and entry.after == ""
