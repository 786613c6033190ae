"""``manage.py seed_demo [--staff N] [--today YYYY-MM-DD]``: load the demo city (デモ市の投入).

Deterministic (same arguments, same city) and idempotent (a second run writes
nothing). See ``cityhall.org.demo.apply`` for why it writes in bulk with one
summary audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cityhall.core.errors import ApplicationError
from cityhall.org.demo import apply_plan, build_plan
from cityhall.org.demo.plan import DEFAULT_STAFF


class Command(BaseCommand):
    help = "デモ用の市（みどり野市）の組織・職員・配置・不在・権限を投入します。2回目以降は何もしません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--staff", type=int, default=DEFAULT_STAFF, help="職員数（既定 600）")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="基準日 YYYY-MM-DD（既定は今日）")

    def handle(self, *args: Any, staff: int, today: dt.date | None, **options: Any) -> None:
        try:
            plan = build_plan(staff, today or timezone.localdate())
            counts = apply_plan(plan)
        except (ValueError, ApplicationError) as exc:
            raise CommandError(str(exc)) from exc
        if counts is None:
            self.stdout.write(f"{plan.municipality['name']}は投入済みです。変更はありません。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{plan.municipality['name']}を投入しました: 職員 {counts['staff']} 人、組織 {counts['units']}、"
                f"配置 {counts['assignments']}、不在 {counts['absences']}、権限付与 {counts['role_grants']}。"
            )
        )
