"""Background work is visible: the worker restarts after database errors, late work is reported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from cityhall.core.background import STALLED_AFTER, queue_state
from cityhall.testing.notifications import queue_an_email
from cityhall.testing.process import run_manage

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_worker_is_started_again_after_a_database_error(tmp_path):
    """db_worker alone stops at the first error other than a locked database; ``worker`` restarts it."""
    unreachable = f"sqlite:///{tmp_path}/no-such-folder/cityhall.sqlite3"
    result = run_manage(
        "worker", "--max-restarts", "2", "--backoff", "0", DATABASE_URL=unreachable, CITYHALL_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert (
        result.stderr.count("ワーカーがエラーで停止しました: OperationalError") == 3
    )  # the first run and two restarts
    assert "2回再起動しましたが、エラーが続くため停止します" in result.stderr


@pytest.mark.django_db
def test_waiting_work_is_counted_and_called_late_after_five_minutes(settings, capsys):
    settings.TASKS = DATABASE_QUEUE
    start = timezone.now()
    with freeze_time(start):
        queue_an_email(1)
        state = queue_state()
    assert (state.backend, state.waiting, state.running, state.readable) == ("データベース", 1, 0, True)
    assert state.oldest_waiting_since == start and not state.stalled(now=start + STALLED_AFTER)
    assert state.stalled(now=start + STALLED_AFTER + dt.timedelta(seconds=1))

    with freeze_time(start + dt.timedelta(minutes=6)), pytest.raises(SystemExit) as stopped:
        call_command("tasks_status")
    assert stopped.value.code == 1
    out = capsys.readouterr().out
    assert "待ち: 1件" in out and "5分以上の遅れ" in out


@pytest.mark.django_db
def test_a_queue_with_nothing_late_ends_the_command_well(settings, capsys):
    settings.TASKS = DATABASE_QUEUE
    call_command("tasks_status")
    assert "待ち: 0件 / 実行中: 0件" in capsys.readouterr().out
