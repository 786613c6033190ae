import json

import pytest
from django.urls import reverse

from cityhall.core.models import AuditEntry
from cityhall.org.models import Absence, Assignment, Municipality, OrgUnit, Post, RoleGrant
from cityhall.testing.city import last_entry, must
from cityhall.testing.web import sign_in_verified

MODELS = [Municipality, OrgUnit, Post, Assignment, Absence, RoleGrant]


@pytest.fixture
def it_admin(make_user):
    return make_user("demo-it-test", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, it_admin):
    return sign_in_verified(client, it_admin)


@pytest.mark.parametrize("model", [*MODELS, "user"])
def test_changelists_load_in_japanese(tax_city, admin_client, model):
    name = "accounts_user" if model == "user" else f"org_{model._meta.model_name}"
    response = admin_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"


def test_change_forms_load(tax_city, admin_client):
    assignment = must(Assignment.objects.first())
    assert admin_client.get(reverse("admin:org_assignment_change", args=[assignment.pk])).status_code == 200
    assert admin_client.get(reverse("admin:accounts_user_change", args=[tax_city.drafter.pk])).status_code == 200


def test_staff_without_admin_rights_are_sent_to_sign_in(tax_city, client):
    client.force_login(tax_city.drafter)
    response = client.get(reverse("admin:org_orgunit_changelist"))
    assert response.status_code == 302


def test_admin_save_writes_an_audit_entry_with_before_and_after(tax_city, admin_client, it_admin):
    unit = tax_city.nozei
    response = admin_client.post(
        reverse("admin:org_orgunit_change", args=[unit.pk]),
        {
            "municipality": tax_city.town.pk,
            "kind": "section",
            "code": unit.code,
            "name": "収納課",
            "kana": "しゅうのうか",
            "symbol": "収",
            "parent": tax_city.dept.pk,
            "sort_order": 0,
            "valid_from": "2000-04-01",
            "valid_to": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = last_entry()
    assert entry.action == "admin.org.orgunit.update"
    assert entry.actor == it_admin
    assert json.loads(entry.before)["name"] == "納税課"
    assert json.loads(entry.after)["name"] == "収納課"
    unit.refresh_from_db()
    assert unit.name == "収納課"


def test_admin_form_refuses_a_second_open_primary_assignment(tax_city, admin_client):
    before = AuditEntry.objects.count()
    response = admin_client.post(
        reverse("admin:org_assignment_add"),
        {
            "user": tax_city.drafter.pk,
            "unit": tax_city.nozei.pk,
            "post": tax_city.posts["shuji"].pk,
            "is_primary": "on",
            "valid_from": "2026-04-01",
            "valid_to": "",
        },
    )
    assert response.status_code == 200
    assert "終了日のない本務の配置が既にあります" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_admin_delete_and_user_change_are_audited_without_the_password_hash(tax_city, admin_client):
    absence = Absence.objects.create(user=tax_city.bucho, starts_on="2026-04-01", ends_on="2026-04-01")
    response = admin_client.post(reverse("admin:org_absence_delete", args=[absence.pk]), {"post": "yes"})
    assert response.status_code == 302
    entry = last_entry()
    assert entry.action == "admin.org.absence.delete" and entry.object_id == str(absence.pk)
    assert not Absence.objects.filter(pk=absence.pk).exists()

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[tax_city.drafter.pk]),
        {"password1": "new-password-2026!", "password2": "new-password-2026!", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = last_entry()
    assert entry.action == "admin.accounts.user.password"
    assert "pbkdf2" not in entry.after and "md5" not in entry.after
    tax_city.drafter.refresh_from_db()
    assert tax_city.drafter.check_password("new-password-2026!")
