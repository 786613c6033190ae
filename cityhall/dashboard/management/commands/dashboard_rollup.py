"""Rebuild the dashboard's monthly rollups (月次集計の再作成), e.g. after a bulk import of old paper records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityhall.dashboard import rollup
from cityhall.dashboard.models import RollupMonth
from cityhall.documents.models import Document


class Command(BaseCommand):
    help = "DXダッシュボードの月次集計を、決裁済みの文書がある全ての月について作り直します。"

    def handle(self, *args: Any, **options: Any) -> None:
        first = (
            Document.objects.filter(decided_at__isnull=False)
            .order_by("decided_at")
            .values_list("decided_at", flat=True)
            .first()
        )
        months = set(RollupMonth.objects.values_list("month", flat=True))
        if first is not None:
            month, current = rollup.month_of(first), rollup.month_of(rollup.timezone.now())
            while month <= current:
                months.add(month)
                month = rollup.next_month(month)
        for month in sorted(months):
            rollup.rebuild(month)
        self.stdout.write(f"{len(months)} か月の集計を作り直しました。")
