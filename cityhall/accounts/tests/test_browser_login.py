"""Browser journeys for sign-in: password + TOTP, lockout, enrolment by QR code."""

from __future__ import annotations

import re
from base64 import b32decode
from pathlib import Path

import pytest
from axes.utils import reset as axes_reset
from django.test import override_settings
from django_otp.oath import totp
from playwright.sync_api import expect

from cityhall.testing.accounts import current_code, make_device, user_with_password
from cityhall.testing.city import audit_actions
from cityhall.testing.web import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "web/static/vendor/axe-core/axe.min.js"


@pytest.fixture(autouse=True)
def mfa_always():
    axes_reset()
    with override_settings(CITYHALL_MFA_REQUIRED="always"):
        yield
    axes_reset()


def serious_violations(page) -> list[str]:
    """Run axe-core in the page; names of serious or critical violations."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")  # not a <script>: the CSP refuses inline ones
    result = page.evaluate("async () => await axe.run(document)")
    return [v["id"] for v in result["violations"] if v["impact"] in {"serious", "critical"}]


def sign_in_with_password(page, username: str, password: str) -> None:
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    with page.expect_navigation():  # every answer is a new page, even a refusal
        page.get_by_role("button", name="ログイン").click()


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # no pause after the deliberate wrong code
def test_sign_in_with_password_and_totp(page, live_server):
    user = user_with_password()
    device = make_device(user)
    page.goto("/")
    assert page.get_by_role("heading", name="ログイン").is_visible()
    assert serious_violations(page) == []
    sign_in_with_password(page, "tanaka", PASSWORD)

    page.wait_for_url(re.compile(r"/accounts/otp/verify/\?next=/$"))
    code_input = page.get_by_label("確認コード")
    assert code_input.get_attribute("autocomplete") == "one-time-code"
    assert serious_violations(page) == []
    code_input.fill("000000" if current_code(device) != "000000" else "111111")
    page.get_by_role("button", name="確認する").click()
    expect(page.get_by_role("alert").first).to_contain_text("確認コードが正しくありません。")
    assert page.get_by_role("alert").first.inner_text().count("確認コードが正しくありません。") == 1
    page.get_by_label("確認コード").fill(current_code(device))
    page.get_by_role("button", name="確認する").click()

    page.wait_for_url(f"{live_server.url}/")
    assert "田中 一郎" in page.content()
    assert audit_actions() == ["auth.login", "auth.otp_failed", "auth.otp_verified"]


def test_locked_out_after_repeated_failures(page):
    user_with_password()
    page.goto("/accounts/login/")
    for attempt in range(4):
        sign_in_with_password(page, "tanaka", f"wrong password {attempt}")
        assert page.get_by_role("alert").first.inner_text().count("ユーザー名またはパスワードが正しくありません。") == 1
    sign_in_with_password(page, "tanaka", "wrong password 5")
    lockout = page.get_by_test_id("lockout-message")
    assert "ログイン失敗が続いたため、一時的にロックされています。30分後に再度お試しください。" in lockout.inner_text()

    sign_in_with_password(page, "tanaka", PASSWORD)
    expect(page.get_by_test_id("lockout-message")).to_be_visible()
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert audit_actions() == ["auth.login_failed"] * 4 + ["auth.locked_out"] * 2


def test_enrolment_shows_a_qr_code_and_accepts_a_code(page, live_server):
    user_with_password()
    page.goto("/")
    sign_in_with_password(page, "tanaka", PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/otp/enrol/"))
    page.get_by_role("button", name="登録を始める").click()

    qr = page.get_by_test_id("otp-qr").locator("svg")
    expect(qr).to_be_visible()
    assert qr.get_attribute("role") == "img"
    assert serious_violations(page) == []
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("確認コード").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="登録する").click()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    assert re.fullmatch(r"\d{5}-\d{5}", codes.first.inner_text())
    page.get_by_role("link", name="保管しました。続ける").click()
    page.wait_for_url(f"{live_server.url}/")
    assert audit_actions() == ["auth.login", "auth.otp_enrolment_started", "auth.otp_enrolled"]
