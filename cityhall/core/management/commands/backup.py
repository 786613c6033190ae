"""``manage.py backup --output DIR`` (バックアップ): the database, every stored file and the certificates.

See ``cityhall.core.backup`` for what goes where. DIR must be new or empty. The
database is copied first (one consistent snapshot), then the stored files, then
the certificates; the manifest with the SHA-256 of every file is written last,
so a directory without ``manifest.json`` is an unfinished backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cityhall.core.backup import database, files
from cityhall.core.backup.manifest import Manifest
from cityhall.core.errors import ApplicationError


class Command(BaseCommand):
    help = "データベース・保存ファイル・証明書をディレクトリにバックアップします。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="バックアップを書き出す新しいディレクトリ")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["output"])
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise CommandError(f"{out} は空のディレクトリではありません。新しいディレクトリを指定してください。")
        out.mkdir(parents=True, exist_ok=True)
        try:
            manifest = Manifest(timezone.now().isoformat(), database.vendor(), database.dump(out))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        manifest.add(out, manifest.database)
        media = files.copy_media(out)
        for relative in media:
            manifest.add(out, relative)
        certs = files.copy_certs(out)
        for relative, entry in certs.items():
            manifest.add(out, relative, **entry)
        digest = manifest.write(out)
        self.stdout.write(
            self.style.SUCCESS(
                f"{out} にバックアップしました（{manifest.vendor}、保存ファイル {len(media):,}件、"
                f"証明書・鍵 {len(certs)}件）。目録 manifest.json の SHA-256: {digest}"
            )
        )
