"""Daily work (日次処理) enqueued by ``manage.py scheduler``: the simplest scheduler that holds.

The project had no scheduler; the daily jobs so far anchor the audit chain's
head (00:30) and verify the chain against the newest anchor (01:00).
``DAILY_JOBS`` lists each job as data (name, task path, Japan time); ``due``
says which have not run on today's Japan date once their time has passed.
The last run date of each job is kept in a small JSON file
(``settings.SCHEDULER_STATE_FILE``), so a restart neither repeats a job nor
forgets one missed while the server was down (it runs when the scheduler comes
back). Run one scheduler per installation; the work itself runs in the worker.
Written here rather than adding a library (celery beat, APScheduler) for a few daily jobs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DailyJob:
    """A task enqueued once a day at or after ``at`` (Japan time)."""

    name: str
    task: str
    at: dt.time


DAILY_JOBS = (
    DailyJob("audit_anchor", "cityhall.core.tasks.anchor_audit_head", dt.time(0, 30)),
    # After the anchor: the nightly verification, recorded, which the audit room shows.
    DailyJob("audit_verify", "cityhall.core.tasks.verify_audit_chain", dt.time(1, 0)),
    # Archive timestamps of signed records nearing the end of their proof, or never timestamped (長期署名の延長).
    DailyJob("signatures_extend", "cityhall.documents.tasks.extend_signatures", dt.time(2, 0)),
    # Files of disposed records an interrupted run left (廃棄した文書のファイル); by path: core imports no app.
    DailyJob("disposal_files", "cityhall.documents.services.disposal_tasks.delete_disposed_files", dt.time(23, 30)),
)

State = dict[str, str]


def _state_file() -> Path:
    return Path(settings.SCHEDULER_STATE_FILE)


def load_state() -> State:
    """Each job's last run date (ISO), empty when the file is missing or unreadable."""
    try:
        data = json.loads(_state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def save_state(state: State) -> None:
    """Write the state file atomically."""
    path = _state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)


def due(now: dt.datetime, state: State, jobs: tuple[DailyJob, ...] = DAILY_JOBS) -> list[DailyJob]:
    """Jobs whose time has passed today (Japan date) and that have not run today."""
    local = timezone.localtime(now)
    today = local.date().isoformat()
    return [job for job in jobs if local.time() >= job.at and state.get(job.name) != today]


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue the due jobs and remember the date; returns the names enqueued."""
    now = now or timezone.now()
    state = load_state()
    started = []
    for job in due(now, state):
        import_string(job.task).enqueue()
        state[job.name] = timezone.localtime(now).date().isoformat()
        started.append(job.name)
    if started:
        save_state(state)
    return started
