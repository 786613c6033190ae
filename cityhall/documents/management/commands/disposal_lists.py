"""``manage.py disposal_lists --user NAME --due-by YYYY-MM-DD [--section CODE]`` (廃棄・移管リストの一括作成).

The 文書主管 named by ``--user`` generates, through ``services.disposal.disposal_lists_generate``, one
list per section (or for the one ``--section``) of the closed records whose retention ended by the date
and that no pending list holds yet. The lists are drafts: they are checked, 歴史公文書 selected and
submitted on their screens or through the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.documents.services.disposal import disposal_lists_generate
from cityhall.org.models import OrgUnit, UnitKind


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--due-by は YYYY-MM-DD の日付で指定してください（{value}）。") from exc


class Command(BaseCommand):
    help = "保存期間が満了した文書の廃棄・移管リストを課ごとに作成します（文書主管）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="作成する文書主管のユーザー名")
        parser.add_argument("--due-by", required=True, help="この日までに保存期間が満了した文書（YYYY-MM-DD）")
        parser.add_argument("--section", default=None, help="課コード（省略時は全庁）")

    def handle(self, *args: Any, user: str, due_by: str, section: str | None, **options: Any) -> None:
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"ユーザー {user} が見つかりません。")
        unit = None
        if section:
            unit = OrgUnit.objects.exclude(kind=UnitKind.SUBSECTION).filter(code=section).first()
            if unit is None:
                raise CommandError(f"課コード {section} の課が見つかりません。")
        try:
            made = disposal_lists_generate(actor=actor, due_by=_date(due_by), section=unit)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for document in made:
            self.stdout.write(f"{document.number_label} {document.title}")
        self.stdout.write(self.style.SUCCESS(f"廃棄・移管リストを {len(made)} 件作成しました（起案中）。"))
