"""Password sign-in: success, wrong password, lockout, expired session, logout, forwarded headers."""

from __future__ import annotations

import datetime as dt
from ipaddress import ip_network

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.accounts.views import SIGNED_IN_COOKIE
from cityhall.core.models import AuditEntry
from cityhall.testing.accounts import user_with_password
from cityhall.testing.city import audit_actions, last_entry
from cityhall.testing.web import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_never")]

LOGIN = "/accounts/login/"
WRONG_MESSAGE = "ユーザー名またはパスワードが正しくありません。"
LOCKED_MESSAGE = "ログイン失敗が続いたため、一時的にロックされています。30分後に再度お試しください。"
EXPIRED_MESSAGE = "セッションの有効期限が切れました。もう一度ログインしてください。"


@pytest.fixture
def mfa_never():
    with override_settings(CITYHALL_MFA_REQUIRED="never"):
        yield


def user_row(user: User) -> dict:
    return dict(User.objects.filter(pk=user.pk).values().get())


def test_login_page_is_japanese_and_labelled(client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-field__label" for="id_username">ユーザー名</label>' in body
    assert '<label class="form-field__label" for="id_password">パスワード</label>' in body


def test_correct_password_signs_in_and_is_audited(client):
    user = user_with_password()
    response = client.post(LOGIN, {"username": "tanaka", "password": PASSWORD, "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    entry = last_entry()
    assert (entry.action, entry.actor_id, entry.source_ip, entry.is_office) == (
        "auth.login",
        user.pk,
        "127.0.0.1",
        True,
    )
    assert SIGNED_IN_COOKIE in response.cookies


def test_wrong_password_is_refused_audited_and_changes_nothing_else(client):
    user = user_with_password()
    before = user_row(user)
    response = client.post(LOGIN, {"username": "tanaka", "password": "wrong password"})
    assert response.status_code == 200
    body = response.content.decode()
    assert WRONG_MESSAGE in body
    assert 'role="alert"' in body
    assert not Session.objects.exists()  # checked before client.session makes one
    assert "_auth_user_id" not in client.session
    assert audit_actions() == ["auth.login_failed"]
    assert last_entry().actor_label == "tanaka"
    assert last_entry().actor_id is None
    assert user_row(user) == before


def test_unknown_user_gets_the_same_message(client):
    user_with_password()
    response = client.post(LOGIN, {"username": "nobody", "password": "whatever it is"})
    assert WRONG_MESSAGE in response.content.decode()
    assert audit_actions() == ["auth.login_failed"]
    assert last_entry().actor_label == "nobody"


def test_blank_fields_are_errors_next_to_each_field_and_not_an_attempt(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    body = response.content.decode()
    assert body.count("ユーザー名を入力してください。") == 2  # summary and next to the field
    assert 'id="id_username-error"' in body
    assert 'aria-describedby="id_username-error"' in body
    assert audit_actions() == []


def test_lockout_after_repeated_failures_refuses_even_the_right_password(client):
    user = user_with_password()
    before = user_row(user)
    statuses = [client.post(LOGIN, {"username": "tanaka", "password": f"wrong {i}"}).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = client.post(LOGIN, {"username": "tanaka", "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert audit_actions() == ["auth.login_failed"] * 4 + ["auth.locked_out"] * 2
    entry = last_entry()
    assert (entry.actor_label, entry.actor_id, entry.source_ip) == ("tanaka", None, "127.0.0.1")
    assert user_row(user) == before


def test_a_strangers_failures_do_not_lock_out_the_mayor_at_the_same_address(client):
    user_with_password("shicho", last_name="市長")
    for name in ["guess0", "guess1"]:
        client.post(LOGIN, {"username": name, "password": "nope nope"})
    for i in range(3):
        client.post(LOGIN, {"username": "shicho", "password": f"wrong {i}"})
    response = client.post(LOGIN, {"username": "shicho", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@override_settings(CITYHALL_LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_an_address_with_many_failures_on_many_names_is_locked_out(client):
    user_with_password("suzuki")
    for i in range(8):
        client.post(LOGIN, {"username": f"guess{i}", "password": "nope nope"})
    response = client.post(LOGIN, {"username": "suzuki", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.post(LOGIN, {"username": "suzuki", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_expired_session_lands_on_login_with_message_and_audit(client):
    user_with_password()
    client.post(LOGIN, {"username": "tanaka", "password": PASSWORD})
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(f"{LOGIN}?next=/")
    assert EXPIRED_MESSAGE in response.content.decode()
    assert audit_actions() == ["auth.login", "auth.session_expired"]
    assert last_entry().actor_label == "tanaka"
    # The marker is spent: a second visit is an ordinary login page.
    assert EXPIRED_MESSAGE not in client.get(LOGIN).content.decode()


def test_never_signed_in_sees_no_expiry_message(client):
    response = client.get("/", follow=True)
    assert EXPIRED_MESSAGE not in response.content.decode()
    assert audit_actions() == []


def test_forged_marker_cookie_is_ignored(client):
    client.cookies[SIGNED_IN_COOKIE] = "admin"
    response = client.get(LOGIN)
    assert EXPIRED_MESSAGE not in response.content.decode()
    assert audit_actions() == []


def test_logout_requires_post_and_is_audited(client):
    user = user_with_password()
    client.post(LOGIN, {"username": "tanaka", "password": PASSWORD})
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert audit_actions() == ["auth.login", "auth.logout"]
    assert EXPIRED_MESSAGE not in client.get(LOGIN).content.decode()


def test_admin_login_goes_through_our_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/admin/" in response["Location"]


def test_unsafe_next_is_ignored(client):
    user_with_password()
    response = client.post(LOGIN, {"username": "tanaka", "password": PASSWORD, "next": "https://evil.example/"})
    assert response.url == reverse("web:home")


@override_settings(TRUSTED_PROXIES=[])
def test_forwarded_header_from_untrusted_peer_is_audited_and_ignored(client):
    user_with_password()
    client.post(
        LOGIN,
        {"username": "tanaka", "password": "wrong password"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="10.1.2.3",
    )
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.action for e in entries] == ["security.untrusted_forwarded_header", "auth.login_failed"]
    assert entries[0].source_ip == "203.0.113.9"
    assert entries[0].is_office is False
    assert "10.1.2.3" in entries[0].after


@override_settings(TRUSTED_PROXIES=[ip_network("192.0.2.1/32")], OFFICE_NETWORKS=[ip_network("10.0.0.0/8")])
def test_forwarded_header_from_trusted_proxy_is_believed_without_warning(client):
    user = user_with_password()
    client.post(
        LOGIN,
        {"username": "tanaka", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="10.1.2.3",
    )
    assert audit_actions() == ["auth.login"]
    entry = last_entry()
    assert (entry.actor_id, entry.source_ip, entry.is_office) == (user.pk, "10.1.2.3", True)
