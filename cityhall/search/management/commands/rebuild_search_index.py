"""``manage.py rebuild_search_index``: re-derive the n-gram index from the stored texts (索引の再構築)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityhall.search.services import rebuild_index


class Command(BaseCommand):
    help = "全文検索の索引を保存済みの正規化テキストから作り直します。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_index()
        self.stdout.write(f"{count}件の索引を再構築しました。")
