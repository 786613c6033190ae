"""Template filters of the application shell: dates as officials write them."""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats, timezone, translation

from cityhall.core.japanese.wareki import format_date

register = template.Library()


@register.filter
def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """A date for headings: 「令和8年11月26日（木）」 in Japanese, the locale's long form otherwise."""
    if value is None:
        return ""
    if (translation.get_language() or "ja").split("-")[0] == "ja":
        return format_date(value, weekday=True)
    date = value
    if isinstance(value, datetime.datetime):
        date = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return formats.date_format(date, "l, j F Y")
