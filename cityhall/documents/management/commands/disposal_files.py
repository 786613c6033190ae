"""``manage.py disposal_files [--scan]`` (廃棄した文書のファイルの削除・点検).

Deletes again the stored files of disposed records whose deletion an interrupted run left
(``PendingFileDeletion`` rows: the carry-out writes them in its transaction and removes each once its
file is gone; the daily job does the same). ``--scan`` also walks the folders of attachments and
signed PDFs in storage and lists the files no row names (e.g. an upload whose transaction failed),
without deleting them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityhall.documents.services.disposal_carry_out import delete_pending_files, unreferenced_files


class Command(BaseCommand):
    help = "廃棄した文書の削除待ちファイルを削除します。--scan で、どの文書も指していないファイルを一覧します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scan", action="store_true", help="添付ファイル・署名済みPDFの保存先を点検する")

    def handle(self, *args: Any, scan: bool, **options: Any) -> None:
        result = delete_pending_files()
        self.stdout.write(f"削除待ちのファイルを {result.deleted} 件削除しました（失敗 {len(result.failed)} 件）。")
        for name in result.failed:
            self.stderr.write(f"削除できませんでした: {name}")
        if scan:
            orphans = unreferenced_files()
            for name in orphans:
                self.stdout.write(name)
            self.stdout.write(f"どの文書も指していないファイル: {len(orphans)} 件")
