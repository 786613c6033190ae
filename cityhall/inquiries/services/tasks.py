"""Background tasks of the inquiries (非同期処理): thin, by id, calling one function each.

They live beside the services that queue them (``letters.letters_queue``, ``reminders.reminder_record``)
and call their worker side (``letter_files``), so no module imports one that imports it.
"""

from __future__ import annotations

from django_tasks import task

from cityhall.inquiries.services import letter_files


@task()
def make_letter_files(batch_id: int) -> int:
    """Make the signed letters (照会書・回答書) and request files of a decided batch; how many letters."""
    return letter_files.letters_generate(batch_id)


@task()
def make_reminder_file(reminder_id: int) -> bool:
    """Make the signed reminder (督促状) of a recorded reminder; False if it was there already."""
    return letter_files.reminder_generate(reminder_id)
