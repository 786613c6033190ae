"""Background tasks of the inquiries (非同期処理): thin, by id, calling one function each.

They live beside the services that queue them (``letters.letters_queue``, ``reminders.reminder_record``)
and call their worker side (``letters_generate``, ``reminder_generate``).
"""

from __future__ import annotations

from django_tasks import task


@task()
def make_letter_files(batch_id: int) -> int:
    """Make the signed letters (照会書・回答書) and request files of a decided batch; how many letters."""
    from cityhall.inquiries.services.letters import letters_generate

    return letters_generate(batch_id)


@task()
def make_reminder_file(reminder_id: int) -> bool:
    """Make the signed reminder (督促状) of a recorded reminder; False if it was there already."""
    from cityhall.inquiries.services.reminders import reminder_generate

    return reminder_generate(reminder_id)
