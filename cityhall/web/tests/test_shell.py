"""The shell's header context and pages, through Django's test client (no browser)."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from cityhall.core.menus import Menu, MenuEntry
from cityhall.testing.accounts import user_with_password
from cityhall.testing.city import transfer_to_resident_tax
from cityhall.testing.web import sign_in_verified
from cityhall.web import menus, navigation
from cityhall.web.templatetags.shell import long_date

pytestmark = pytest.mark.django_db

OFFICE_IP = "127.0.0.1"
REMOTE_IP = "203.0.113.9"


@pytest.fixture
def official(client):
    user = user_with_password("yamada", last_name="山田", first_name="花子", employee_number="A0001")
    client.force_login(user)
    return user


@pytest.fixture
def transferred_official(official):
    transfer_to_resident_tax(official)
    return official


def test_home_requires_sign_in(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_from_the_office_network_shows_the_office_badge(client, official):
    response = client.get(reverse("web:home"), REMOTE_ADDR=OFFICE_IP)
    assert response.status_code == 200
    assert response.context["access"].is_office is True
    html = response.content.decode()
    assert "山田 花子" in html
    assert "庁内" in html
    assert "庁外（リモート）" not in html
    assert '<html lang="ja">' in html
    assert "X-CSRFToken" in html  # htmx requests carry the CSRF token (the cookie is HttpOnly)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_home_from_outside_shows_the_remote_badge(client, official):
    response = client.get(reverse("web:home"), REMOTE_ADDR=REMOTE_IP)
    assert response.status_code == 200
    assert response.context["access"].is_office is False
    assert "庁外（リモート）" in response.content.decode()


def test_untrusted_forwarded_header_does_not_make_a_remote_request_office(client, official):
    with override_settings(CITYHALL_MFA_REQUIRED="never"):
        response = client.get(reverse("web:home"), REMOTE_ADDR=REMOTE_IP, HTTP_X_FORWARDED_FOR=OFFICE_IP)
    assert response.context["access"].is_office is False


def test_home_links_installed_modules_and_marks_only_missing_ones_coming_soon(client, official):
    html = client.get(reverse("web:home")).content.decode()
    assert "文書管理・電子決裁" in html
    assert f'href="{reverse("documents:inbox")}"' in html
    assert f'href="{reverse("finance:encumbrances")}"' in html
    assert html.count("準備中") == 1
    assert reverse("admin:index") not in html  # not staff: no admin link


def test_staff_see_the_admin_site_in_the_menu(client, official):
    official.is_staff = True
    official.save(update_fields=["is_staff"])
    sign_in_verified(client, official)
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("admin:index")}"' in html


def test_logout_is_a_post_form_and_signs_out(client, official):
    html = client.get(reverse("web:home")).content.decode()
    assert f'action="{reverse("accounts:logout")}" method="post"' in html
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("web:home")).status_code == 302


def test_language_switch_renders_english(client, official):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    assert response.status_code == 302
    html = client.get(reverse("web:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert "Office network" in html
    assert "Sign out" in html
    assert "本文へスキップ" not in html


def test_404_page_is_japanese_and_uses_the_shell(client, official):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ページが見つかりません" in html
    assert "本文へスキップ" in html
    assert "山田 花子" in html


def test_500_page_renders_without_request_or_context_processors():
    html = render_to_string("500.html")
    assert "システムエラーが発生しました" in html
    assert '<html lang="ja">' in html


def test_long_date_is_wareki_with_weekday_in_japanese_and_western_in_english():
    with translation.override("ja"):
        assert long_date(datetime.date(2026, 11, 26)) == "令和8年11月26日（木）"
        assert long_date(datetime.date(2019, 5, 1)) == "令和元年5月1日（水）"
    with translation.override("en"):
        assert long_date(datetime.date(2026, 11, 26)) == "Thursday, 26 November 2026"


def test_header_shows_todays_section_and_post_and_the_municipality(client, transferred_official):
    response = client.get(reverse("web:home"))
    assert response.context["shell_section"] == "税務課 市民税係"
    assert response.context["shell_assignment"].post.name == "主任"
    assert response.context["shell_municipality"] == "みどり野市"
    html = response.content.decode()
    assert "税務課 市民税係 主任" in html
    assert "みどり野市" in html
    assert "総務課" not in html


def test_header_without_an_assignment_shows_no_section(client, official):
    response = client.get(reverse("web:home"))
    assert response.context["shell_assignment"] is None
    assert response.context["shell_section"] == ""
    assert "所属・職の発令が登録されていません" in response.content.decode()


def test_inbox_count_appears_once_a_module_declares_a_counter(client, official, monkeypatch):
    monkeypatch.setattr(menus, "_menus", [Menu(entries=[MenuEntry("文書", "documents:inbox")])])
    assert 'id="shell-inbox"></div>' in client.get(reverse("web:home")).content.decode()
    counters = [
        Menu(inbox_counters=[lambda user: 2]),
        Menu(inbox_counters=[lambda user: int(user.username == "yamada")]),
    ]
    monkeypatch.setattr(menus, "_menus", counters)
    assert "未処理 3 件" in client.get(reverse("web:home")).content.decode()


def test_403_page_is_japanese_and_uses_the_shell(rf, official):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    from cityhall.core.network import classify

    request = rf.get("/somewhere/")
    request.user = official
    request.access = classify(request)
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    assert "アクセスする権限がありません" in html
    assert "山田 花子" in html


def test_csrf_failure_page_is_japanese(official):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    response = client.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 403
    assert "操作を受け付けられませんでした" in response.content.decode()


def test_main_menu_lists_declared_modules_and_marks_the_current_page(client, official, monkeypatch):
    entries = [
        MenuEntry("認証アプリ", "accounts:otp_enrol"),
        MenuEntry("秘密", "accounts:recovery_codes", visible=lambda user: user.is_superuser),
    ]
    monkeypatch.setattr(menus, "_menus", [Menu(entries=entries)])
    response = client.get(reverse("web:home"))
    labels = [(link.label, link.current) for link in response.context["shell_nav"]]
    assert labels == [("ホーム", True), ("認証アプリ", False)]
    html = response.content.decode()
    assert f'href="{reverse("accounts:otp_enrol")}"' in html
    assert f'href="{reverse("accounts:recovery_codes")}"' not in html


def test_only_the_longest_matching_menu_entry_is_current(official, monkeypatch):
    entries = [MenuEntry("文書", "documents:inbox"), MenuEntry("文書検索", "documents:search")]
    monkeypatch.setattr(menus, "_menus", [Menu(entries=entries)])
    current = [link.label for link in navigation.nav_links(official, reverse("documents:search")) if link.current]
    assert current == ["文書検索"]
    current = [link.label for link in navigation.nav_links(official, reverse("documents:inbox")) if link.current]
    assert current == ["文書"]
