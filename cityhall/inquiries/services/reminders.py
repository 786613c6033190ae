"""Reminders of overdue letters (督促・再照会): recorded, then the signed reminder PDF made in the background.

``reminder_record`` takes a letter still waiting for its answer after its reply deadline, records
the reminder (its number, the day, the new deadline and the one it replaces), moves the letter's
deadline and counts the reminder on the letter, with its audit entry, in one transaction; after
commit the task ``make_reminder_file`` makes the reminder (督促状: the letter's terms, the date it
was first sent, the new deadline, and the reply form again) signed with the city's certificate
(``letter_files.reminder_generate``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from cityhall.core.audit import record
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.japanese import format_wareki
from cityhall.inquiries.access import NOT_FOUND
from cityhall.inquiries.models import Letter, LetterStatus, Reminder
from cityhall.inquiries.selectors.letters import letters_for
from cityhall.inquiries.services._common import collector, today
from cityhall.inquiries.services.tasks import make_reminder_file

MAX_REMINDERS = 9


def _check(letter: Letter, day: dt.date, reply_days: int) -> None:
    if letter.status != LetterStatus.SENT or letter.reply_deadline is None:
        raise ValidationFailed("回答待ちの照会書だけを督促できます。", field="letter")
    if letter.reply_deadline >= day:
        raise ValidationFailed(
            f"回答期限（{format_wareki(letter.reply_deadline)}）を過ぎていないため督促できません。", field="letter"
        )
    if letter.reminders >= MAX_REMINDERS:
        raise ValidationFailed(f"督促は{MAX_REMINDERS}回までです。電話等で照会先に確認してください。", field="letter")
    if not 1 <= reply_days <= 120:
        raise ValidationFailed("新しい回答期限は督促日から1日以上120日以内にしてください。", field="reply_days")


def reminder_record(
    *, actor: Any, batch_id: int, letter_id: int, reply_days: int | None = None, on: dt.date | None = None
) -> Reminder:
    """Record a reminder of an overdue letter (督促の記録) and queue its signed PDF; the new deadline moves."""
    scope = collector(actor, on=on)
    day = today(on)
    with transaction.atomic(durable=True):
        letter = letters_for(scope.user).select_for_update().filter(batch_id=batch_id, pk=letter_id).first()
        if letter is None:
            raise PermissionDenied(NOT_FOUND)
        days = reply_days if reply_days is not None else letter.batch.reply_days
        _check(letter, day, days)
        assert letter.reply_deadline is not None
        reminder = Reminder.objects.create(
            letter=letter,
            number=letter.reminders + 1,
            sent_on=day,
            reply_deadline=day + dt.timedelta(days=days),
            previous_deadline=letter.reply_deadline,
            created_by=scope.user,
        )
        letter.reminders, letter.reminded_on, letter.reply_deadline = reminder.number, day, reminder.reply_deadline
        letter.save(update_fields=["reminders", "reminded_on", "reply_deadline"])
        record(
            actor=scope.user,
            action="inquiries.letter.remind",
            obj=letter,
            before={"reply_deadline": reminder.previous_deadline.isoformat()},
            after={
                "reminder": reminder.number,
                "sent_on": day.isoformat(),
                "reply_deadline": str(letter.reply_deadline),
            },
        )
        transaction.on_commit(lambda: _queue(reminder.pk), robust=True)
    return reminder


def _queue(reminder_id: int) -> None:
    make_reminder_file.enqueue(reminder_id)
