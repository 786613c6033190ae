"""Second factor: policy middleware, verification, throttling, recovery codes, enrolment."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts import services
from cityhall.core.errors import ValidationFailed
from cityhall.testing.accounts import current_code, make_device, user_with_password
from cityhall.testing.city import audit_actions, last_entry
from cityhall.testing.web import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
VERIFY = "/accounts/otp/verify/"
ENROL = "/accounts/otp/enrol/"
WRONG_CODE = "確認コードが正しくありません。"
REMOTE = {"REMOTE_ADDR": "203.0.113.20"}


def sign_in(client, username: str = "tanaka", **extra) -> None:
    response = client.post(LOGIN, {"username": username, "password": PASSWORD}, **extra)
    assert response.status_code == 302


# --- Policy -----------------------------------------------------------------


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_always_sends_a_user_with_a_device_to_verification(client):
    make_device(user_with_password())
    sign_in(client)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=/"


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_always_sends_a_user_without_a_device_to_enrolment(client):
    user_with_password()
    sign_in(client)
    response = client.get("/")
    assert response.url == f"{ENROL}?next=/"


@override_settings(CITYHALL_MFA_REQUIRED="remote")
def test_remote_policy_spares_the_office_and_stops_outsiders(client):
    make_device(user_with_password())
    sign_in(client)
    assert client.get("/").status_code == 200  # 127.0.0.1 is an office network by default
    assert client.get("/", **REMOTE).url == f"{VERIFY}?next=/"


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_never_policy_needs_no_code(client):
    make_device(user_with_password())
    sign_in(client, **REMOTE)
    assert client.get("/", **REMOTE).status_code == 200


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_unverified_user_can_still_log_out_and_switch_language(client):
    make_device(user_with_password())
    sign_in(client)
    assert client.post(reverse("set_language"), {"language": "en", "next": VERIFY}).status_code == 302
    assert client.post(reverse("accounts:logout")).url == reverse("accounts:login")
    assert audit_actions() == ["auth.login", "auth.logout"]


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_htmx_request_is_told_to_navigate_to_verification(client):
    make_device(user_with_password())
    sign_in(client)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{VERIFY}?next=/"


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_unverified_user_cannot_reach_the_admin(client):
    user = user_with_password()
    user.is_staff = user.is_superuser = True
    user.save()
    make_device(user)
    sign_in(client)
    assert client.get("/admin/").url == f"{VERIFY}?next=/admin/"


# --- Verification -----------------------------------------------------------


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_verify_page_is_accessible_markup(client):
    make_device(user_with_password())
    sign_in(client)
    body = client.get(VERIFY).content.decode()
    assert '<label class="form-field__label" for="id_token">確認コード</label>' in body
    assert 'autocomplete="one-time-code"' in body
    assert 'inputmode="numeric"' in body


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_correct_code_verifies_the_session(client):
    user = user_with_password()
    device = make_device(user)
    sign_in(client)
    response = client.post(VERIFY, {"token": current_code(device), "next": "/"})
    assert response.url == "/"
    assert client.get("/").status_code == 200
    entry = last_entry()
    assert (entry.action, entry.actor_id, entry.object_id) == ("auth.otp_verified", user.pk, str(device.pk))


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_wrong_code_is_refused_audited_and_leaves_session_unverified(client):
    user = user_with_password()
    device = make_device(user)
    sign_in(client)
    wrong = f"{(int(current_code(device)) + 500000) % 1000000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count(WRONG_CODE) == 2  # summary and next to the field
    assert 'aria-invalid="true"' in body
    assert audit_actions() == ["auth.login", "auth.otp_failed"]
    assert last_entry().actor_id == user.pk
    assert client.get("/").url == f"{VERIFY}?next=/"
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_repeated_wrong_codes_throttle_even_the_right_code(client):
    device = make_device(user_with_password())
    device.throttling_failure_count = 10
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    sign_in(client)
    response = client.post(VERIFY, {"token": current_code(device)})
    body = response.content.decode()
    assert "確認コードの誤りが続いたため、しばらく入力できません。" in body
    assert audit_actions() == ["auth.login", "auth.otp_throttled"]
    assert client.get("/").status_code == 302


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_recovery_code_works_once(client):
    user = user_with_password()
    make_device(user)
    codes = services.recovery_codes_regenerate(actor=user)
    sign_in(client)
    response = client.post(VERIFY, {"token": services.format_recovery_code(codes[0]), "next": "/"})
    assert response.url == "/"
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("accounts:logout"))
    sign_in(client)
    response = client.post(VERIFY, {"token": codes[0]})
    assert WRONG_CODE in response.content.decode()
    assert last_entry().action == "auth.otp_failed"


def test_full_width_code_is_accepted():
    user = user_with_password()
    device = make_device(user)
    code = current_code(device).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert services.otp_verify(actor=user, token=f" {code[:3]} {code[3:]} ") == device


# --- Enrolment --------------------------------------------------------------


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_enrolment_shows_qr_then_confirms_and_shows_recovery_codes_once(client):
    user = user_with_password()
    sign_in(client)
    assert "登録を始める" in client.get(ENROL).content.decode()
    assert client.post(ENROL, {"action": "begin", "next": "/"}).status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    page = client.get(ENROL).content.decode()
    assert "<svg" in page
    secret = re.search(r'data-testid="otp-secret" lang="en">([A-Z2-7 ]+)<', page)
    assert secret is not None
    assert len(secret.group(1).replace(" ", "")) == 32

    response = client.post(ENROL, {"action": "confirm", "token": "000000"})
    assert WRONG_CODE in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    device.throttle_reset()

    response = client.post(ENROL, {"action": "confirm", "token": current_code(device), "next": "/"})
    body = response.content.decode()
    codes = re.findall(r"<code>(\d{5}-\d{5})</code>", body)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed is True
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert audit_actions() == ["auth.login", "auth.otp_enrolment_started", "auth.otp_failed", "auth.otp_enrolled"]
    assert client.get("/").status_code == 200  # the confirming code also verified this session
    assert "<code>" not in client.get(reverse("accounts:recovery_codes")).content.decode()


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_an_enrolled_user_cannot_enrol_a_second_device(client):
    user = user_with_password()
    make_device(user)
    sign_in(client)
    response = client.post(ENROL, {"action": "begin"})
    assert "認証アプリはすでに登録されています。" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_begin_enrolment_refused_when_enrolled_creates_nothing():
    user = user_with_password()
    make_device(user)
    with pytest.raises(ValidationFailed):
        services.otp_begin_enrolment(actor=user)
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert audit_actions() == []


def test_confirm_enrolment_of_someone_elses_device_is_refused():
    owner, other = user_with_password("owner"), user_with_password("other")
    device = services.otp_begin_enrolment(actor=owner)
    with pytest.raises(ValidationFailed):
        services.otp_confirm_enrolment(actor=other, device_id=device.pk, token=current_code(device))
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.exists()


# --- Recovery codes page -----------------------------------------------------


@override_settings(CITYHALL_MFA_REQUIRED="remote")
def test_recovery_codes_need_a_verified_session_then_regenerate(client):
    user = user_with_password()
    device = make_device(user)
    old = services.recovery_codes_regenerate(actor=user)
    sign_in(client)
    url = reverse("accounts:recovery_codes")
    assert client.get(url).url == f"{VERIFY}?next={url}"
    client.post(VERIFY, {"token": current_code(device)})
    assert "残り 10 個" in client.get(url).content.decode()
    body = client.post(url).content.decode()
    new = [code.replace("-", "") for code in re.findall(r"<code>(\d{5}-\d{5})</code>", body)]
    assert len(new) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)
    assert last_entry().action == "auth.recovery_codes_regenerated"


@override_settings(CITYHALL_MFA_REQUIRED="remote")
@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_staff_and_superusers_confirm_a_code_even_in_the_office_and_at_admin(client, flags):
    user = user_with_password()
    for name, value in flags.items():
        setattr(user, name, value)
    user.save()
    device = make_device(user)
    sign_in(client)  # 127.0.0.1: the office network
    assert client.get("/admin/").url == f"{VERIFY}?next=/admin/"
    assert client.get("/").url == f"{VERIFY}?next=/"
    client.post(VERIFY, {"token": current_code(device)})
    assert client.get("/admin/").status_code == 200
