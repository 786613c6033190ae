"""IT account support: enrolment from outside needs a factor, the office or a one-time code; unlocking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts.models import EnrolmentCode
from cityhall.core.errors import PermissionDenied
from cityhall.org.models import Role
from cityhall.org.services import account_unlock, enrolment_code_issue, role_grant
from cityhall.testing.accounts import user_with_password
from cityhall.testing.city import SETUP, SINCE, audit_actions
from cityhall.testing.web import PASSWORD, api_call, client_for

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ENROL = "/accounts/otp/enrol/"
REMOTE: dict[str, Any] = {"REMOTE_ADDR": "203.0.113.20"}


def _it_officer():
    officer = user_with_password("joho", last_name="情報", first_name="花子")
    role_grant(actor=SETUP, user=officer, role=Role.IT_ADMIN, valid_from=SINCE)
    return officer


def _remote_password_session(client) -> None:
    assert client.post(LOGIN, {"username": "tanaka", "password": PASSWORD}, **REMOTE).status_code == 302


@override_settings(CITYHALL_MFA_REQUIRED="remote")
def test_a_remote_password_alone_cannot_enrol_nor_read(client):
    user = user_with_password()
    _remote_password_session(client)
    page = client.get(ENROL, **REMOTE)
    assert "登録コード" in page.content.decode()
    begun = client.post(ENROL, {"action": "begin"}, **REMOTE)
    assert begun.status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/documents/", **REMOTE).status_code == 302
    assert client.get("/api/documents/", **REMOTE).status_code == 401


@override_settings(CITYHALL_MFA_REQUIRED="remote")
def test_an_office_session_may_enrol_without_a_code(client):
    user = user_with_password()
    client.post(LOGIN, {"username": "tanaka", "password": PASSWORD})
    client.post(ENROL, {"action": "begin"})
    assert TOTPDevice.objects.filter(user=user, confirmed=False).exists()


@override_settings(CITYHALL_MFA_REQUIRED="remote")
def test_a_code_from_it_lets_the_user_enrol_once(client):
    user = user_with_password()
    code = enrolment_code_issue(actor=_it_officer(), username="tanaka")
    assert not EnrolmentCode.objects.filter(code_hash__contains=code).exists()  # stored hashed
    _remote_password_session(client)
    wrong = client.post(ENROL, {"action": "redeem", "code": "000000000000"}, **REMOTE)
    assert "登録コードが正しくないか" in wrong.content.decode()
    assert client.post(ENROL, {"action": "redeem", "code": code}, **REMOTE).status_code == 302
    client.post(ENROL, {"action": "begin"}, **REMOTE)
    assert TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    assert {"auth.enrolment_code_issued", "auth.enrolment_code_used", "auth.enrolment_code_failed"} <= set(
        audit_actions()
    )
    other = client_for(user)  # a second session with the same, now used, code
    other.logout()
    _remote_password_session(other)
    again = other.post(ENROL, {"action": "redeem", "code": code}, **REMOTE)
    assert "登録コードが正しくないか" in again.content.decode()


@override_settings(CITYHALL_MFA_REQUIRED="remote")
def test_an_expired_code_is_refused(client):
    user_with_password()
    code = enrolment_code_issue(actor=_it_officer(), username="tanaka")
    EnrolmentCode.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    _remote_password_session(client)
    response = client.post(ENROL, {"action": "redeem", "code": code}, **REMOTE)
    assert "有効期限" in response.content.decode()


def test_only_it_issues_codes_and_unlocks():
    user_with_password()
    clerk = user_with_password("suzuki")
    with pytest.raises(PermissionDenied):
        enrolment_code_issue(actor=clerk, username="tanaka")
    with pytest.raises(PermissionDenied):
        account_unlock(actor=clerk, username="tanaka")


def test_it_issues_a_code_and_unlocks_through_the_screen_and_the_api():
    user_with_password()
    officer = _it_officer()
    client = client_for(officer)
    screen = client.post("/org/account-support/", {"action": "issue", "username": "tanaka"})
    assert screen.status_code == 200
    assert len(screen.context["issued_code"]) == 12
    unknown = client.post("/org/account-support/", {"action": "issue", "username": "nobody"})
    assert unknown.status_code == 400
    assert "該当する職員が見つかりません" in unknown.content.decode()
    issued = api_call(officer, "post", "/api/accounts/enrolment-codes", {"username": "tanaka"})
    assert issued.status_code == 201
    assert len(issued.json()["code"]) == 12
    unlocked = api_call(officer, "post", "/api/accounts/unlock", {"username": "tanaka"})
    assert unlocked.status_code == 200
    assert "auth.unlocked" in audit_actions()
    clerk = user_with_password("suzuki")
    assert client_for(clerk).get("/org/account-support/").status_code == 404
    assert api_call(clerk, "post", "/api/accounts/unlock", {"username": "tanaka"}).status_code == 404


def test_it_unlocks_a_locked_account_and_the_right_password_works_again(client):
    user_with_password()
    for i in range(5):
        client.post(LOGIN, {"username": "tanaka", "password": f"wrong {i}"})
    assert client.post(LOGIN, {"username": "tanaka", "password": PASSWORD}).status_code == 429
    screen = client_for(_it_officer()).post("/org/account-support/", {"action": "unlock", "username": "tanaka"})
    assert screen.context["unlocked"] >= 1
    assert "ロックを解除しました" in screen.content.decode()
    assert client.post(LOGIN, {"username": "tanaka", "password": PASSWORD}).status_code == 302
