"""``manage.py import_delinquent PATH --user NAME [--section CODE] [--dry-run]``: the tax system's list.

Imports a CSV or Excel file of delinquent persons (滞納者一覧) into the section (組織コード of a 課;
the user's only 徴税 section when omitted) as the screen does (``services.person_imports``): the
section's column layout, all rows stored or none, known 宛名番号 updated, audited and counted on the
hours-saved ledger. ``--dry-run`` stores nothing. Exits with status 1 when a row was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.inquiries.access import section_ids
from cityhall.inquiries.services.person_imports import persons_import
from cityhall.org.models import OrgUnit


class Command(BaseCommand):
    help = "税務システムの滞納者一覧（CSV・Excel）を財産照会に取り込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV または Excel のファイル")
        parser.add_argument("--user", required=True, help="取り込む職員（徴税の役割）のユーザー名")
        parser.add_argument("--section", help="担当課の組織コード（担当課が一つなら省略可）")
        parser.add_argument("--dry-run", action="store_true", help="何も登録せず、結果だけを表示します")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"職員が見つかりません: {options['user']}")
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"ファイルが見つかりません: {path}")
        section = None
        if options["section"]:
            section = OrgUnit.objects.filter(code=options["section"], pk__in=section_ids(user)).first()
            if section is None:
                raise CommandError(f"その職員が担当する課に、組織コード {options['section']} の課はありません。")
        try:
            run = persons_import(
                actor=user, section=section, file_name=path.name, data=path.read_bytes(), dry_run=options["dry_run"]
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for row in run.report.get("rows", []):
            for reason in row["reasons"]:
                self.stdout.write(f"× {reason['message']}")
        prefix = "［試行］" if run.dry_run else ""
        counts = f"新規 {run.created}・更新 {run.updated}・変更なし {run.unchanged}・誤り {run.refused}"
        self.stdout.write(f"{prefix}{run.rows}行: {counts}")
        if run.refused:
            raise CommandError("誤りのある行があるため、何も登録していません。")
        self.stdout.write("すべての行を登録しました。" if run.written else "すべての行を登録できます（試行）。")
