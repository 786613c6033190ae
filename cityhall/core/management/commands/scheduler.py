"""``manage.py scheduler``: enqueue the daily jobs (日次処理) for the worker, once a day each.

Runs beside ``manage.py worker`` (one per installation). ``--once`` checks a single
time and exits, for a cron job or systemd timer instead of a long-running process.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from cityhall.core.schedule import run_due


class Command(BaseCommand):
    help = "日次処理（監査ログのアンカーなど）を1日1回キューに入れます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="1回だけ確認して終了する（cron 用）")
        parser.add_argument("--interval", type=float, default=60.0, help="確認の間隔（秒）")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                for name in run_due():
                    self.stdout.write(f"日次処理をキューに入れました: {name}")
            except DatabaseError as exc:  # the database queue is down: try again at the next check
                self.stderr.write(f"日次処理をキューに入れられませんでした: {exc}")
            finally:
                close_old_connections()
            if options["once"]:
                return
            time.sleep(options["interval"])
