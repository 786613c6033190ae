"""``manage.py tasks_status``: the background queue as IT reads it (待ち件数, 最も古い待ち, 失敗)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cityhall.core.background import queue_state
from cityhall.core.japanese import format_date


def _moment(value: Any) -> str:
    local = timezone.localtime(value)
    return f"{format_date(local)} {local:%H:%M}"


class Command(BaseCommand):
    help = "バックグラウンド処理の待ち件数・最も古い待ち・直近24時間の失敗を表示します。遅延があれば終了コード1。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="print nothing; only the exit status")

    def handle(self, *args: Any, **options: Any) -> None:
        state = queue_state()
        lines = [f"バックエンド: {state.backend}"]
        if not state.readable:
            lines.append("キューを読めません（接続を確認してください）。")
        lines.append(f"待ち: {state.waiting}件 / 実行中: {state.running}件")
        if state.oldest_waiting_since is not None:
            late = "（5分以上の遅れ: ワーカーが止まっているか混雑しています）" if state.stalled() else ""
            lines.append(f"最も古い待ち: {_moment(state.oldest_waiting_since)}{late}")
        lines.append(f"直近24時間の失敗: {len(state.failed)}件")
        lines += [f"  {_moment(f.failed_at) if f.failed_at else '—'} {f.task} {f.error}" for f in state.failed]
        if not options["quiet"]:
            self.stdout.write("\n".join(lines))
        if state.stalled() or not state.readable:
            raise SystemExit(1)
