"""``manage.py restore DIR`` (復元): put a backup made by ``manage.py backup`` back.

Every file is checked against the manifest's SHA-256 before anything is
written. The database must be new (no tables: a new SQLite file or a newly
created PostgreSQL database) unless ``--force``; stored files and certificates
that differ from the backup's are refused unless ``--force`` too. Afterwards
run ``verify_audit`` (and ``verify_pdf`` on any signed PDF) on the restored copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.core.backup import database, files
from cityhall.core.backup.manifest import read_manifest
from cityhall.core.errors import ApplicationError


class Command(BaseCommand):
    help = "manage.py backup で作ったバックアップを復元します（復元先は新しいデータベース）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path, help="バックアップのディレクトリ")
        parser.add_argument("--force", action="store_true", help="既存のデータベース・ファイルを上書きする")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["dir"])
        force: bool = options["force"]
        try:
            manifest = read_manifest(root)
            if manifest.vendor != database.vendor():
                raise CommandError(f"このバックアップは {manifest.vendor} のものです（復元先は {database.vendor()}）。")
            database.load(root / manifest.database, force=force)
            media = [r for r in manifest.files if r.startswith(f"{files.MEDIA}/")]
            files.restore_media(root, media, force=force)
            certs = {r: e for r, e in manifest.files.items() if r.startswith(f"{files.CERTS}/")}
            placed = [files.restore_cert(root, r, e, force=force) for r, e in certs.items()]
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{root}（{manifest.created_at} 作成）を復元しました: データベース（{manifest.vendor}）、"
                f"保存ファイル {len(media):,}件、証明書・鍵 {len(placed)}件。"
                "verify_audit で監査ログを検証してください。"
            )
        )
