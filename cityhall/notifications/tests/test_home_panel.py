"""The unread notices panel of the home page (未読のお知らせ)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.testing.notifications import unread_notice
from cityhall.testing.web import client_for, home_panel

pytestmark = pytest.mark.django_db


def test_unread_notices_show_on_the_home_page_until_read(city):
    unread_notice(city.drafter, subject="文書が決裁されました")
    html = client_for(city.drafter).get(reverse("web:home")).content.decode()
    assert home_panel(html, "notifications-unread").startswith("未読のお知らせ 1 件 すべて見る 文書が決裁されました")
