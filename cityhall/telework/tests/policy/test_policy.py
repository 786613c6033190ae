"""The policy screen and API for the 情報政策 role: changes audited, impossible or locking-out policies refused."""

from __future__ import annotations

import json

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.context import reset_access, set_access
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.network import AccessContext
from cityhall.core.remote_policy import DataClass, Mode, remote_mode
from cityhall.org.models import Role
from cityhall.telework.models import RemoteRule
from cityhall.telework.services import RuleInput, remote_policy_set
from cityhall.testing.audit import make_auditor
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db
REMOTE = "203.0.113.20"
API = "/api/telework/remote-policy"
CHANGE = "telework.policy.change"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def it_admin(city):
    return make_auditor("joho", role=Role.IT_ADMIN)


def test_it_changes_the_policy_on_the_screen_and_the_change_is_audited(city, it_admin):
    client = client_for(it_admin)
    page = client.get("/telework/policy/")
    assert page.status_code == 200 and 'data-testid="remote-policy"' in page.content.decode()
    saved = client.post("/telework/policy/", {"personal__all": "none", "payee_account__treasurer": "see"})
    assert saved.status_code == 302
    rules = set(RemoteRule.objects.values_list("data_class", "role", "mode"))
    assert rules == {("personal", "", "none"), ("payee_account", "treasurer", "see")}
    entry = AuditEntry.objects.get(action=CHANGE)
    assert entry.actor_id == it_admin.pk
    assert {"data_class": "personal", "role": "*", "mode": "none"} in json.loads(entry.after)["rules"]
    assert remote_mode(city.drafter, DataClass.PERSONAL, AccessContext(ip=REMOTE, is_office=False)) is Mode.NONE
    # The same again changes nothing and records nothing.
    client.post("/telework/policy/", {"personal__all": "none", "payee_account__treasurer": "see"})
    assert AuditEntry.objects.filter(action=CHANGE).count() == 1


def test_others_do_not_find_the_policy(city):
    client = client_for(city.kacho)
    assert client.get("/telework/policy/").status_code == 404
    assert client.get(API).status_code == 404
    with pytest.raises(PermissionDenied):
        remote_policy_set(actor=city.kacho, rules=[])


def test_impossible_rules_are_refused_with_the_reason_and_nothing_saved(city, it_admin):
    client = client_for(it_admin)
    page = client.post("/telework/policy/", {"inquiry__all": "see"})
    assert page.status_code == 400  # not a choice of the field
    answer = client.put(API, {"rules": [{"data_class": "inquiry", "role": "", "mode": "masked"}]}, "application/json")
    assert answer.status_code == 400 and "財産照会の情報" in answer.json()["detail"]
    for bad in ({"data_class": "nothing", "mode": "see"}, {"data_class": "personal", "role": "king", "mode": "see"},
                {"data_class": "personal", "mode": "maybe"}):  # fmt: skip
        assert client.put(API, {"rules": [bad]}, "application/json").status_code == 400
    twice = [{"data_class": "secret", "mode": "see"}, {"data_class": "secret", "mode": "none"}]
    assert client.put(API, {"rules": twice}, "application/json").status_code == 400
    assert not RemoteRule.objects.exists() and not AuditEntry.objects.filter(action=CHANGE).exists()


def test_a_policy_locking_it_out_of_the_policy_screen_from_outside_is_refused(city, it_admin):
    lock = {"rules": [{"data_class": "policy", "role": "", "mode": "none"}]}
    client = client_for(it_admin)
    answer = client.put(API, lock, "application/json", REMOTE_ADDR=REMOTE)
    assert answer.status_code == 400 and "庁内のネットワークから変更" in answer.json()["detail"]
    page = client.post("/telework/policy/", {"policy__all": "none"}, REMOTE_ADDR=REMOTE)
    assert page.status_code == 400 and "庁内のネットワークから変更" in page.content.decode()
    assert not RemoteRule.objects.exists()
    # From the office IT may keep the screen to the office; from outside it is then refused (403), not lost.
    assert client.put(API, lock, "application/json").status_code == 200
    assert client.get("/telework/policy/", REMOTE_ADDR=REMOTE).status_code == 403
    assert client.get(API, REMOTE_ADDR=REMOTE).status_code == 403
    assert client.get(API).json()["rules"] == [{"data_class": "policy", "role": "", "mode": "none"}]


def test_services_decide_from_the_request_context(city, it_admin):
    token = set_access(AccessContext(ip=REMOTE, is_office=False))
    try:
        with pytest.raises(ValidationFailed):
            remote_policy_set(actor=it_admin, rules=[RuleInput("policy", Role.IT_ADMIN.value, "none")])
        assert remote_policy_set(actor=it_admin, rules=[RuleInput("policy", Role.AUDITOR.value, "none")])
    finally:
        reset_access(token)
