"""Browser journeys through the application shell, with axe-core accessibility checks."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.testing.accounts import user_with_password
from cityhall.testing.city import transfer_to_resident_tax
from cityhall.testing.web import assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def official():
    user = user_with_password("suzuki", last_name="鈴木", first_name="一郎", employee_number="B0042")
    transfer_to_resident_tax(user)
    return user


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_login_page_is_accessible(page):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", name="ログイン").is_visible()
    assert_no_serious_violations(page)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_signed_in_shell_in_japanese_then_english_and_back(page, official):
    sign_in(page, official)

    header = page.get_by_role("banner")
    assert header.get_by_text("cityhall 総合内部情報システム").is_visible()
    assert header.get_by_text("鈴木 一郎").is_visible()
    assert header.get_by_text("税務課 市民税係 主任").is_visible()
    assert header.get_by_text("みどり野市").is_visible()
    badge = page.get_by_test_id("access-badge").inner_text()
    assert badge.endswith("庁内") and "庁外" not in badge
    assert page.get_by_role("heading", level=1).inner_text().startswith("鈴木 一郎 さん")
    assert page.get_by_text("令和").first.is_visible()
    assert page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="ホーム").is_visible()
    assert_no_serious_violations(page)

    # The skip link is the first thing the keyboard reaches and moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "本文へスキップ"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang='en']")
    assert page.get_by_role("link", name="Skip to main content").count() == 1
    assert page.get_by_test_id("access-badge").inner_text().endswith("Office network")
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, 鈴木 一郎"
    assert "本文へスキップ" not in page.content()
    assert_no_serious_violations(page)

    page.get_by_role("button", name="日本語").click()
    page.wait_for_selector("html[lang='ja']")
    assert page.get_by_role("button", name="ログアウト").is_visible()

    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/accounts/login/**")
    page.goto("/")
    assert "/accounts/login/" in page.url


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_phone_shell_fits_the_screen_and_its_menu_works(phone_page, official):
    page = phone_page
    sign_in(page, official)
    assert no_horizontal_overflow(page)
    assert page.get_by_role("banner").get_by_text("鈴木 一郎").is_visible()
    assert page.get_by_test_id("access-badge").is_visible()

    # Collapsed: the menu's contents are hidden until the toggle is used.
    nav = page.get_by_role("navigation", name="メインメニュー")
    assert not nav.is_visible()
    page.get_by_text("メニュー", exact=True).click()
    expect(nav.get_by_role("link", name="ホーム")).to_be_visible()
    assert page.get_by_role("button", name="ログアウト").is_visible()
    assert no_horizontal_overflow(page)
    assert_no_serious_violations(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang='en']")
    assert no_horizontal_overflow(page)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_404_page_is_japanese_and_accessible(page, official):
    sign_in(page, official)
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="ページが見つかりません").is_visible()
    assert page.get_by_role("link", name="ホームへ戻る").is_visible()
    assert_no_serious_violations(page)


def test_axe_helper_fails_on_a_serious_violation(page):
    """The helper is not vacuous: an image without alternative text (critical) makes it fail."""
    page.goto("/accounts/login/")
    page.evaluate("() => { const img = document.createElement('img'); img.src = '/x.png'; document.body.append(img); }")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_serious_violations(page)
