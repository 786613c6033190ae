"""The e-mail task: one message to the active recipients who have an address, looked up by id when it runs."""

from __future__ import annotations

import pytest

from cityhall.accounts.models import User
from cityhall.notifications.tasks import email_users

pytestmark = pytest.mark.django_db


def person(username: str, *, email: str = "", is_active: bool = True) -> User:
    return User.objects.create_user(username=username, email=email, is_active=is_active, last_name="山田")


def test_sends_one_message_to_every_active_recipient_with_an_address(mailoutbox, settings):
    ids = [person("a", email="a@example.jp").pk, person("b", email="b@example.jp").pk]
    assert email_users.call(user_ids=ids, subject="[cityhall] 決裁の依頼: 件名", body="本文\n") == 2
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["a@example.jp", "b@example.jp"]
    assert (mail.subject, mail.body, mail.from_email) == (
        "[cityhall] 決裁の依頼: 件名",
        "本文\n",
        settings.DEFAULT_FROM_EMAIL,
    )


def test_skips_people_who_left_or_have_no_address(mailoutbox):
    left = person("left", email="left@example.jp", is_active=False)
    ids = [left.pk, person("noaddress").pk, person("c", email="c@example.jp").pk]
    assert email_users.call(user_ids=ids, subject="件名", body="本文") == 1
    assert [mail.to for mail in mailoutbox] == [["c@example.jp"]]


def test_sends_nothing_when_nobody_has_an_address(mailoutbox):
    assert email_users.call(user_ids=[person("d").pk, 999_999], subject="件名", body="本文") == 0
    assert mailoutbox == []
