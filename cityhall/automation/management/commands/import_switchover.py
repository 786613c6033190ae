"""``manage.py import_switchover KIND PATH --user NAME [--dry-run] [--report PATH]``: old systems' data.

KIND is ``creditors`` (債権者マスタ), ``budget_book`` (当初予算書) or ``register`` (文書管理簿): a CSV
or Excel file read with the kind's column settings, all rows written or none, by the given member
of staff with the role the screen asks for. ``--dry-run`` writes nothing and says what a real run
would do. The report file is the JSON of the screen's download: ``{"kind", "file", "dry_run",
"written", "would_write", "reasons", "rows": [{"row", "accepted", "reasons", "created"}]}``.
Exits with status 1 when the file was refused (CommandError), so a migration script stops there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.accounts.models import User
from cityhall.automation.services.switchover import switchover_import_now
from cityhall.automation.switchover import all_kinds
from cityhall.core.errors import ApplicationError


class Command(BaseCommand):
    help = "これまでのシステムのデータ（債権者マスタ・当初予算書・文書管理簿）を取り込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(all_kinds()), help="移行データの種類")
        parser.add_argument("path", help="CSV または Excel のファイル")
        parser.add_argument("--user", required=True, help="取り込む職員のユーザー名")
        parser.add_argument("--dry-run", action="store_true", help="何も登録せず、結果だけを表示します")
        parser.add_argument("--report", help="結果を JSON で書き出すファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"職員が見つかりません: {options['user']}")
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"ファイルが見つかりません: {path}")
        try:
            run = switchover_import_now(
                actor=user,
                kind=options["kind"],
                file_name=path.name,
                data=path.read_bytes(),
                dry_run=options["dry_run"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["report"]:
            Path(options["report"]).write_text(json.dumps(run.report, ensure_ascii=False, indent=2), encoding="utf-8")
        for reason in run.report.get("reasons", []):
            self.stdout.write(f"× {reason['message']}")
        for row in run.report.get("rows", []):
            for reason in row["reasons"]:
                self.stdout.write(f"× {reason['message']}")
        prefix = "［試行］" if run.dry_run else ""
        self.stdout.write(f"{prefix}{run.total}行中 受付 {run.accepted}行・不受理 {run.rejected}行")
        if run.written:
            self.stdout.write("すべての行を登録しました。")
        elif run.dry_run and run.report.get("would_write"):
            self.stdout.write("すべての行を登録できます（試行のため登録していません）。")
        else:
            raise CommandError("受け付けない行があるため、何も登録していません。")
