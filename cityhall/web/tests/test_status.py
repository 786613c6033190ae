"""The system status page shows IT the background queue, and a queue stalled for five minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from cityhall.org.models import Role
from cityhall.org.services import role_grant
from cityhall.testing.accounts import user_with_password
from cityhall.testing.notifications import queue_an_email, unread_notice
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _it_staff():
    user = user_with_password("joho")
    role_grant(actor="test", user=user, role=Role.IT_ADMIN, valid_from=timezone.localdate() - dt.timedelta(days=1))
    return user


def test_only_it_staff_open_the_status_page():
    assert client_for(user_with_password("clerk")).get(reverse("web:status")).status_code == 404
    assert client_for(_it_staff()).get(reverse("web:status")).status_code == 200


def test_work_waiting_five_minutes_is_shown_as_stalled(settings):
    settings.TASKS = DATABASE_QUEUE

    it = _it_staff()
    start = timezone.now()
    with freeze_time(start):
        queue_an_email(it.pk)
        page = client_for(it).get(reverse("web:status")).content.decode()
    assert 'data-testid="waiting">1 件' in page and 'data-testid="queue-stalled"' not in page
    with freeze_time(start + dt.timedelta(minutes=6)):
        page = client_for(it).get(reverse("web:status")).content.decode()
    assert 'data-testid="queue-stalled"' in page
    unread_notice(it)  # the shell around the page still works with a notice waiting
    assert client_for(it).get(reverse("web:status")).status_code == 200
