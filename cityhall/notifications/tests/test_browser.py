"""The お知らせ page in a browser: the menu count, marking read with htmx, accessibility."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityhall.notifications import selectors, services
from cityhall.testing.accounts import user_with_password
from cityhall.testing.web import assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_unread_count_in_the_menu_and_marking_read_without_reload(page):
    user = user_with_password("sato", last_name="佐藤", first_name="花子")
    services.notify(recipients=[user], subject="決裁の依頼: 緑総第1号 公用車の修繕について")
    services.notify(recipients=[user], subject="決裁されました: 緑総第2号 消耗品の購入について")
    sign_in(page, user)
    page.goto("/notifications/")
    assert page.get_by_test_id("nav-count").inner_text().startswith("2")
    assert page.get_by_test_id("unread-count").inner_text() == "未読 2 件"
    assert_no_serious_violations(page)
    page.get_by_role("button", name="既読にする", exact=True).first.click()
    page.get_by_text("未読 1 件").wait_for()
    assert selectors.unread_count(user) == 1
    page.get_by_role("button", name="すべて既読にする").click()
    page.get_by_text("未読 0 件").wait_for()
    assert selectors.unread_count(user) == 0
    page.reload()
    assert page.get_by_test_id("nav-count").count() == 0
