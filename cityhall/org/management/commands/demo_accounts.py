"""``manage.py demo_accounts``: print the demo accounts as a Japanese table (デモアカウント一覧)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from cityhall.accounts.models import User
from cityhall.org.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from cityhall.org.selectors import primary_assignment


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def unit_label(unit: Any) -> str:
    """A unit with its parents, e.g. 「企画部 企画政策課 企画係」."""
    names = []
    while unit is not None:
        names.append(unit.name)
        unit = unit.parent
    return " ".join(reversed(names))


class Command(BaseCommand):
    help = "デモアカウント（ユーザー名・パスワード・役割・所属・職）を表示します。"

    def handle(self, *args: Any, **options: Any) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])}
        header = ("ユーザー名", "パスワード", "役割", "氏名", "所属", "職")
        rows = []
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            assignment = primary_assignment(user) if user is not None else None
            rows.append(
                (
                    account.username,
                    DEMO_PASSWORD if user is not None else "（未作成）",
                    account.role,
                    user.full_name if user is not None else "",
                    unit_label(assignment.unit) if assignment else "",
                    assignment.post.name if assignment else "",
                )
            )
        widths = [max(_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
        self.stdout.write("デモアカウント（デモ専用。本番環境では使わないでください）")
        for row in (header, tuple("-" * w for w in widths), *rows):
            self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if len(users) < len(DEMO_ACCOUNTS):
            self.stdout.write("未作成のアカウントがあります。manage.py seed_demo を実行してください。")
