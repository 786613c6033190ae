"""``manage.py remit_withholding [--month YYYY-MM] [--on YYYY-MM-DD] [--user NAME]`` (源泉所得税の納付の作成).

Makes the payment to the tax office of the month's withheld tax (歳計外現金の払出) as the 会計管理者,
due on the 10th of the next month (所得税法第204条第1項); the month defaults to the previous one, so
a job run early each month makes it. A month with nothing withheld, or already paid, makes nothing
and says so (exit 0), so the job may run every day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError, Conflict, ValidationFailed
from cityhall.finance.services.withholding import month_of, parse_month, withholding_remit
from cityhall.org.models import Role, RoleGrant


def _treasurer(username: str | None, day: dt.date) -> User:
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」は存在しません。")
        return user
    grant = RoleGrant.objects.on(day).filter(role=Role.TREASURER, user__is_active=True).order_by("user_id").first()
    if grant is None:
        raise CommandError("会計管理者の権限を持つ有効なユーザーがいません（--user で指定してください）。")
    return grant.user


class Command(BaseCommand):
    help = "前月（または --month の月）に源泉徴収した所得税の納付（歳計外現金の払出）を作成します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="徴収月（YYYY-MM）。省略時は前月")
        parser.add_argument("--on", help="処理日（YYYY-MM-DD）。省略時は今日")
        parser.add_argument("--user", help="会計管理者のユーザー名。省略時は権限を持つ最初の職員")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["on"]) if options.get("on") else timezone.localdate()
        except ValueError:
            raise CommandError(f"日付「{options['on']}」が正しくありません（YYYY-MM-DD）。") from None
        if options.get("month"):
            month = parse_month(options["month"])
            if month is None:
                raise CommandError(f"徴収月「{options['month']}」が正しくありません（YYYY-MM）。")
        else:
            month = month_of(month_of(day) - dt.timedelta(days=1))
        user = _treasurer(options.get("user"), day)
        try:
            made = withholding_remit(actor=user, month=month, on=day)
        except (ValidationFailed, Conflict) as error:
            self.stdout.write(error.message)
            return
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{made.month.year}年{made.month.month}月分の源泉所得税の納付を作成しました"
            f"（{made.amount:,}円、{made.line_count}件、納期限 {made.due_date:%Y-%m-%d}）。"
        )
