"""Decided documents in bulk for the dashboard's tests (決裁済み文書の一括作成)."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from django.utils import timezone

from cityhall.core.japanese import fiscal_year
from cityhall.documents.models import Document, DocumentStatus, Medium
from cityhall.org.models import OrgUnit

_numbers = itertools.count(1)


def decided(
    city: SimpleNamespace,
    *,
    section: OrgUnit,
    kind: str = "general",
    hours: float = 5,
    on: dt.date,
    medium: str = Medium.ELECTRONIC,
    count: int = 1,
    confidential: bool = False,
) -> list[Document]:
    """``count`` documents of ``section`` decided at noon of ``on``, ``hours`` after their submission."""
    decided_at = timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))
    rows = []
    for _ in range(count):
        number = next(_numbers)
        rows.append(
            Document(
                fiscal_year=fiscal_year(on),
                section=section,
                number=number,
                number_label=f"緑{number}",
                title=f"決裁済みの文書{number}",
                matter_kind=city.kinds[kind],
                drafter=city.drafter,
                status=DocumentStatus.DECIDED,
                drafted_on=on - dt.timedelta(days=10),
                submitted_at=decided_at - dt.timedelta(hours=hours),
                decided_at=decided_at,
                medium=medium,
                paper_reason="" if medium == Medium.ELECTRONIC else "原本が紙のため",
                is_confidential=confidential,
            )
        )
    return Document.objects.bulk_create(rows)
