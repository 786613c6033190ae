"""``manage.py worker``: the background worker of the configured task backend, restarted after errors.

The database queue's worker (``db_worker``) stops at the first database error other than a
locked database, e.g. when PostgreSQL restarts or the network drops; signed approval sheets
and e-mail then wait until someone notices. This command runs that worker (or ``rqworker`` on
Redis) and starts it again after a database or Redis error, waiting a little longer each time
(up to a minute), so the work resumes when the database is back.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, connections

logger = logging.getLogger("cityhall.worker")
MAX_BACKOFF_SECONDS = 60.0


def _recoverable() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [DatabaseError, ConnectionError]
    try:
        from redis.exceptions import RedisError
    except ImportError:  # Redis is only installed where it is used
        return tuple(errors)
    return (*errors, RedisError)


class Command(BaseCommand):
    help = "バックグラウンド処理のワーカーを起動します（データベースや Redis のエラーの後は自動で再起動）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--backoff", type=float, default=2.0, help="first wait before a restart (seconds)")
        parser.add_argument("--max-restarts", type=int, default=None, help="give up after this many (default: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        restarts, wait = 0, float(options["backoff"])
        while True:
            try:
                self._run_worker(options["queue_name"])
                return
            except _recoverable() as exc:
                restarts += 1
                limit = options["max_restarts"]
                self.stderr.write(f"ワーカーがエラーで停止しました: {type(exc).__name__}: {exc}")
                if limit is not None and restarts > limit:
                    raise CommandError(f"ワーカーを{limit}回再起動しましたが、エラーが続くため停止します。") from exc
                logger.error("ワーカーを%.0f秒後に再起動します（%s回目）。", wait, restarts)
                for connection in connections.all():
                    connection.close()
                time.sleep(wait)
                wait = min(wait * 2, MAX_BACKOFF_SECONDS)
            finally:
                close_old_connections()

    def _run_worker(self, queue_name: str) -> None:
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.startswith("django_tasks_rq"):
            call_command("rqworker", queue_name, job_class="django_tasks_rq.Job")
        elif backend.startswith("django_tasks_db"):
            # No autoreloader: it runs the worker in a thread whose errors would not reach this loop.
            call_command("db_worker", queue_name=queue_name, reload=False)
        else:
            raise CommandError("タスクのバックエンドがキューを持たないため、ワーカーは不要です（即時実行）。")
