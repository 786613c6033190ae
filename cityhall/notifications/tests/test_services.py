"""notify, mark_read and the selectors, on real rows."""

from __future__ import annotations

import pytest

from cityhall.accounts.models import User
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.notifications import selectors, services
from cityhall.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return [User.objects.create_user(username=f"u{i}", last_name=f"姓{i}") for i in range(3)]


def test_notify_creates_one_row_per_active_recipient_and_an_audit_entry(people):
    people[2].is_active = False
    people[2].save(update_fields=["is_active"])
    audit_before = AuditEntry.objects.count()
    rows = services.notify(recipients=[people[0], people[1].pk, people[1], people[2]], subject="決裁の依頼", url="/x/")
    assert sorted(r.recipient_id for r in rows) == [people[0].pk, people[1].pk]
    assert Notification.objects.count() == 2
    assert AuditEntry.objects.count() == audit_before + 1
    assert AuditEntry.objects.order_by("-pk").values_list("action", flat=True)[0] == "notification.send"


def test_notify_rejects_an_empty_subject_or_an_outside_url_and_writes_nothing(people):
    with pytest.raises(ValidationFailed):
        services.notify(recipients=people, subject="  ")
    with pytest.raises(ValidationFailed):
        services.notify(recipients=people, subject="件名", url="https://evil.example/")
    assert Notification.objects.count() == 0


def test_unread_count_and_recent_are_the_users_own(people):
    services.notify(recipients=[people[0]], subject="一")
    services.notify(recipients=[people[0], people[1]], subject="二")
    assert selectors.unread_count(people[0]) == 2
    assert selectors.unread_count(people[1]) == 1
    assert [n.subject for n in selectors.recent(people[0])] == ["二", "一"]
    assert list(selectors.recent(people[2])) == []


def test_mark_read_touches_only_the_actors_own_notifications(people):
    mine = services.notify(recipients=[people[0]], subject="自分宛")[0]
    theirs = services.notify(recipients=[people[1]], subject="他人宛")[0]
    assert services.mark_read(actor=people[0], ids=[mine.pk, theirs.pk]) == 1
    assert selectors.unread_count(people[0]) == 0
    assert selectors.unread_count(people[1]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert services.mark_read(actor=people[0], ids=[mine.pk]) == 0  # already read


def test_mark_read_all(people):
    services.notify(recipients=[people[0]], subject="一")
    services.notify(recipients=[people[0]], subject="二")
    assert services.mark_read(actor=people[0]) == 2
    assert selectors.unread_count(people[0]) == 0


def test_mark_read_needs_an_active_signed_in_user(people):
    services.notify(recipients=[people[0]], subject="一")
    people[0].is_active = False
    with pytest.raises(PermissionDenied):
        services.mark_read(actor=people[0])
    assert selectors.unread_count(people[0]) == 1
