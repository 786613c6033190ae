"""The state of the background work (バックグラウンド処理の状況): what waits, what runs, what failed.

Signed approval sheets, e-mail and exports run in a worker (``manage.py worker``) through the
Django tasks API, on the database queue (``django_tasks_db``) or on Redis (``django_tasks_rq``).
When the worker stops, work waits unseen; this module reads the queue of either backend so that
IT sees it on the status page and in ``manage.py tasks_status``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import pgettext

FAILED_WINDOW = dt.timedelta(hours=24)
MAX_FAILURES_SHOWN = 10
STALLED_AFTER = dt.timedelta(minutes=5)
"""Work waiting longer than this is late: the worker is stopped or too busy (the status page says so)."""


@dataclass(frozen=True)
class FailedTask:
    """A task that failed in the last 24 hours."""

    task: str
    failed_at: dt.datetime | None
    error: str


@dataclass(frozen=True)
class QueueState:
    """The queue of the configured backend, as IT reads it."""

    backend: str
    waiting: int = 0
    oldest_waiting_since: dt.datetime | None = None
    running: int = 0
    failed: list[FailedTask] = field(default_factory=list)
    readable: bool = True

    def stalled(self, *, now: dt.datetime | None = None) -> bool:
        """Whether the oldest waiting task has waited longer than ``STALLED_AFTER``."""
        if self.oldest_waiting_since is None:
            return False
        return (now or timezone.now()) - self.oldest_waiting_since > STALLED_AFTER


def queue_state() -> QueueState:
    """The state of the default queue on the configured backend (database, Redis or immediate)."""
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_db"):
        return _database_state()
    if backend.startswith("django_tasks_rq"):
        return _redis_state()
    return QueueState(backend=pgettext("task backend", "即時実行（キューなし）"))


def _database_state() -> QueueState:
    try:
        return _read_database_queue()
    except DatabaseError:  # not migrated, or the database is down: say so rather than fail
        return QueueState(backend=pgettext("task backend", "データベース"), readable=False)


def _read_database_queue() -> QueueState:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.all()
    waiting = rows.filter(status="READY")
    failed = rows.filter(status="FAILED", finished_at__gte=timezone.now() - FAILED_WINDOW).order_by("-finished_at")
    return QueueState(
        backend=pgettext("task backend", "データベース"),
        waiting=waiting.count(),
        oldest_waiting_since=waiting.aggregate(oldest=Min("enqueued_at"))["oldest"],
        running=rows.filter(status="RUNNING").count(),
        failed=[
            FailedTask(task=row.task_path, failed_at=row.finished_at, error=row.exception_class_path)
            for row in failed[:MAX_FAILURES_SHOWN]
        ],
    )


def _redis_state() -> QueueState:
    import django_rq
    from redis.exceptions import RedisError
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    try:
        queue = django_rq.get_queue("default")
        oldest = queue.get_jobs(0, 1)
        failed_ids = FailedJobRegistry(queue=queue).get_job_ids(0, MAX_FAILURES_SHOWN - 1)
        return QueueState(
            backend="Redis (RQ)",
            waiting=queue.count,
            oldest_waiting_since=_aware(oldest[0].enqueued_at) if oldest else None,
            running=StartedJobRegistry(queue=queue).count,
            failed=[_failed_job(queue, job_id) for job_id in failed_ids],
        )
    except RedisError:
        return QueueState(backend="Redis (RQ)", readable=False)


def _failed_job(queue: Any, job_id: str) -> FailedTask:
    job = queue.fetch_job(job_id)
    if job is None:
        return FailedTask(task=job_id, failed_at=None, error="")
    error = (job.latest_result().exc_string or "").strip().splitlines()[-1:] if job.latest_result() else []
    return FailedTask(task=str(job.func_name), failed_at=_aware(job.ended_at), error=error[0] if error else "")


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, dt.UTC)
