"""``manage.py seed_demo [--staff N] [--today YYYY-MM-DD]``: load the demo city (デモ市の投入).

Deterministic (same arguments, same city) and idempotent (a second run writes
nothing). See ``cityhall.org.demo.apply`` for why it writes in bulk with one
summary audit entry.

Other apps add their demo data without org importing them: after the
organisation is in (also on a second run, when it was already there), every
``AppConfig`` that defines ``seed_demo(self, options) -> str | None`` is
called in ``INSTALLED_APPS`` order with the command's options (``staff``,
``today``: the base date, never None); a returned string is printed. Each
hook must be deterministic and idempotent itself. ``--skip-apps`` loads the
organisation only (the org tests use it; the documents add ~1 minute).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
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
        parser.add_argument(
            "--skip-apps", action="store_true", help="組織だけを投入し、文書など他のアプリのデモデータは投入しない"
        )

    def handle(self, *args: Any, staff: int, today: dt.date | None, skip_apps: bool = False, **options: Any) -> None:
        day = today or timezone.localdate()
        try:
            plan = build_plan(staff, day)
            counts = apply_plan(plan)
        except (ValueError, ApplicationError) as exc:
            raise CommandError(str(exc)) from exc
        self._report(plan.municipality["name"], counts)
        if not skip_apps:
            self._app_hooks({"staff": staff, "today": day})

    def _app_hooks(self, options: dict[str, Any]) -> None:
        """Call ``seed_demo(options)`` on every app that defines it, in INSTALLED_APPS order."""
        for config in apps.get_app_configs():
            hook = getattr(config, "seed_demo", None)
            if not callable(hook):
                continue
            try:
                message = hook(dict(options))
            except ApplicationError as exc:
                raise CommandError(f"{config.verbose_name}: {exc}") from exc
            if message:
                self.stdout.write(str(message))

    def _report(self, name: str, counts: dict[str, Any] | None) -> None:
        if counts is None:
            self.stdout.write(f"{name}は投入済みです。変更はありません。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}を投入しました: 職員 {counts['staff']} 人、組織 {counts['units']}、"
                f"配置 {counts['assignments']}、不在 {counts['absences']}、権限付与 {counts['role_grants']}。"
            )
        )
