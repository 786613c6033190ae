"""The お知らせ page, the menu badge and marking read by POST and htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.notifications import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client):
    user = User.objects.create_user(username="yamada", last_name="山田", first_name="花子")
    client.force_login(user)
    return user


def test_page_requires_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302


def test_page_lists_own_notifications_and_the_menu_shows_the_unread_count(client, official):
    other = User.objects.create_user(username="other")
    services.notify(recipients=[official], subject="決裁の依頼: 緑総第1号 公用車の修繕", url="/documents/1/")
    services.notify(recipients=[other], subject="他人宛のお知らせ")
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "決裁の依頼: 緑総第1号 公用車の修繕" in html
    assert 'href="/documents/1/"' in html
    assert "他人宛のお知らせ" not in html
    assert "未読 1 件" in html
    assert 'data-testid="nav-count">1<' in html


def test_mark_one_read_by_post_redirects_and_the_badge_disappears(client, official):
    note = services.notify(recipients=[official], subject="一")[0]
    response = client.post(reverse("notifications:mark_read"), {"id": [str(note.pk)]})
    assert response.status_code == 302
    assert selectors.unread_count(official) == 0
    html = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="nav-count"' not in html


def test_mark_all_read_by_htmx_returns_the_list_fragment(client, official):
    services.notify(recipients=[official], subject="一")
    services.notify(recipients=[official], subject="二")
    response = client.post(reverse("notifications:mark_read"), {"all": "1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="notifications"' in html and "<html" not in html
    assert "未読 0 件" in html
    assert selectors.unread_count(official) == 0


def test_marking_someone_elses_id_leaves_it_unread(client, official):
    other = User.objects.create_user(username="other")
    theirs = services.notify(recipients=[other], subject="他人宛")[0]
    client.post(reverse("notifications:mark_read"), {"id": [str(theirs.pk)]})
    assert selectors.unread_count(other) == 1


def test_get_is_not_allowed_to_mark_read(client, official):
    services.notify(recipients=[official], subject="一")
    assert client.get(reverse("notifications:mark_read")).status_code == 405
    assert selectors.unread_count(official) == 1
