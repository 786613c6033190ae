"""The main menu each kind of official sees: every installed module's entries, in order, with badges."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from cityhall.org.models import Role
from cityhall.org.services import role_grant
from cityhall.testing.accounts import user_with_password
from cityhall.testing.notifications import unread_notice
from cityhall.testing.records import overdue_loan, paper_record
from cityhall.testing.web import sign_in_verified
from cityhall.web import checks, menus

pytestmark = pytest.mark.django_db

EVERYONE_BEFORE_FINANCE = ["ホーム", "文書", "起案", "文書検索", "文書管理簿", "収受", "廃棄・移管", "お知らせ"]
TELEWORK = ["テレワーク申請", "勤務場所の予定", "テレワーク環境の調査"]  # for everyone, after the other apps


def official(username: str, role: str | None = None):
    user = user_with_password(username, last_name="山田", first_name="")
    if role is not None:
        start = timezone.localdate() - datetime.timedelta(days=30)
        role_grant(actor="test", user=user, role=role, valid_from=start)
    return user


def menu(client, user) -> list[tuple[str, str, int]]:
    """(label, URL, badge) of each entry the user sees on the home page."""
    sign_in_verified(client, user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return [(str(link.label), link.url, link.count) for link in response.context["shell_nav"]]


def labels(entries: list[tuple[str, str, int]]) -> list[str]:
    return [label for label, _url, _count in entries]


def test_a_plain_clerk_sees_documents_notices_and_the_finance_pages_for_everyone(client):
    entries = menu(client, official("clerk"))
    assert labels(entries) == [
        *EVERYONE_BEFORE_FINANCE, "支出負担行為", "支出命令", "予算執行状況", "請求書の取込", *TELEWORK
    ]  # fmt: skip
    assert entries[1] == ("文書", reverse("documents:inbox"), 0)
    assert ("請求書の取込", reverse("automation:upload"), 0) in entries


def test_finance_staff_also_see_payment_data_budget_admin_and_creditors(client):
    entries = menu(client, official("kaikei", Role.ACCOUNTING))
    assert labels(entries) == [
        *EVERYONE_BEFORE_FINANCE,
        *["支出負担行為", "支出命令", "支払データ", "予算執行状況", "予算管理", "債権者", "請求書の取込"],
        "移行データの取込",
        *TELEWORK,
    ]
    assert ("債権者", reverse("finance:creditors"), 0) in entries
    assert ("移行データの取込", reverse("automation:switchover"), 0) in entries


def test_the_treasurer_sees_the_review_queue_with_its_count(client):
    entries = menu(client, official("kanrisha", Role.TREASURER))
    assert labels(entries) == [
        *EVERYONE_BEFORE_FINANCE,
        *["支出負担行為", "支出命令", "会計管理者審査", "支払データ", "予算執行状況", "請求書の取込"],
        *TELEWORK,
    ]
    assert ("会計管理者審査", reverse("finance:review_queue"), 0) in entries


def test_staff_see_the_system_status_and_the_admin_site_last(client):
    user = official("admin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    entries = menu(client, user)
    assert entries[-2:] == [("システム状況", reverse("web:status"), 0), ("管理サイト", reverse("admin:index"), 0)]
    assert labels(entries)[:-2] == [
        *EVERYONE_BEFORE_FINANCE,
        "支出負担行為",
        "支出命令",
        "予算執行状況",
        "請求書の取込",
        *TELEWORK,
    ]


def test_it_staff_see_the_system_status(client):
    entries = menu(client, official("joho", Role.IT_ADMIN))
    assert labels(entries)[-1] == "システム状況"


def test_unread_notices_are_a_badge_and_documents_count_the_waiting_items(client):
    user = official("clerk")
    unread_notice(user)
    sign_in_verified(client, user)
    response = client.get(reverse("web:home"))
    badges = {str(link.label): link.count for link in response.context["shell_nav"]}
    assert badges["お知らせ"] == 1
    assert response.context["shell_inbox_count"] == 0  # documents count: nothing waiting


def test_reading_the_menus_again_gives_the_same_menu():
    before = menus.entries()
    menus.discover()
    assert menus.entries() == before


def test_a_menu_module_without_menu_is_refused_and_the_menu_kept(tmp_path, monkeypatch):
    package = tmp_path / "menuless"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "menu.py").write_text("ENTRIES = []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    app = SimpleNamespace(name="menuless", module=importlib.import_module("menuless"))
    monkeypatch.setattr(menus.apps, "get_app_configs", lambda: [app])
    before = menus.entries()
    with pytest.raises(ImproperlyConfigured, match="MENU"):
        menus.discover()
    assert menus.entries() == before
    # runserver and check find it before the first page does.
    assert [error.id for error in checks.menus_readable()] == ["web.E001"]
    assert menus.entries() == before


def test_the_auditor_and_it_see_the_audit_room(client):
    auditor = menu(client, official("kansa", Role.AUDITOR))
    assert labels(auditor) == [
        *EVERYONE_BEFORE_FINANCE,
        "支出負担行為",
        "支出命令",
        "予算執行状況",
        "監査室",
        "請求書の取込",
        *TELEWORK,
    ]
    assert ("監査室", reverse("auditroom:room"), 0) in auditor
    assert "監査室" in labels(menu(client, official("joho2", Role.IT_ADMIN)))


def test_the_document_manager_sees_the_file_plan_and_the_storerooms_with_overdue_loans(client, city):
    overdue_loan(city, paper_record(city))
    entries = menu(client, city.docmgr)
    names = labels(entries)
    assert names[names.index("収受") + 1 : names.index("収受") + 4] == ["事務決裁規程", "文書分類表", "書庫・借覧"]
    assert ("書庫・借覧", reverse("documents:storage"), 1) in entries
    assert "書庫・借覧" not in labels(menu(client, city.kacho))


def test_tax_collectors_and_nobody_else_see_the_inquiries(client, inquiry_city):
    collector = menu(client, inquiry_city.collector)
    names = labels(collector)
    assert names[names.index("請求書の取込") + 1] == "財産照会"  # after automation's entry, before telework's
    assert ("財産照会", reverse("inquiries:persons"), 0) in collector
    assert "財産照会" not in labels(menu(client, inquiry_city.kakaricho))  # 納税課's 係長 without the role
