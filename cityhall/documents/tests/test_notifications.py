"""The approval engine notifies the next approver and the drafter in the app (お知らせ), after commit."""

from __future__ import annotations

from django.test import override_settings

from cityhall.documents import services
from cityhall.notifications import selectors
from cityhall.notifications.models import Notification


def test_submit_notifies_the_first_approver_in_app_after_commit(city, draft, django_capture_on_commit_callbacks):
    doc = draft()
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
        assert Notification.objects.count() == 0  # nothing before commit
    (note,) = Notification.objects.all()
    assert note.recipient == city.kakaricho
    assert note.subject.startswith("決裁の依頼")
    assert doc.number_label in note.subject
    assert note.target == f"documents.document:{doc.pk}"
    assert selectors.unread_count(city.kakaricho) == 1
    assert selectors.unread_count(city.drafter) == 0


def test_approve_notifies_the_next_approver_and_the_decision_the_drafter(
    city, submitted, django_capture_on_commit_callbacks
):
    doc = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    assert [n.subject.split(":")[0] for n in selectors.recent(city.kacho)] == ["決裁の依頼"]
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    assert [n.subject.split(":")[0] for n in selectors.recent(city.drafter)] == ["決裁されました"]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}})
def test_in_app_notice_is_created_even_for_a_recipient_without_e_mail(
    city, draft, mailoutbox, django_capture_on_commit_callbacks
):
    city.kakaricho.email = ""
    city.kakaricho.save(update_fields=["email"])
    doc = draft()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert mailoutbox == []
    assert selectors.unread_count(city.kakaricho) == 1
