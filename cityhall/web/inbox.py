"""The header's count of work waiting for the user (未処理件数).

Modules that own a to-do list (e-approval first) declare a counter in their
``menu`` module (``Menu(inbox_counters=[...])``, see :mod:`cityhall.core.menus`);
the shell only adds the counts up. With no counter declared the header shows
nothing.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cityhall.web import menus


def inbox_count(user: Any) -> int | None:
    """Total items waiting for ``user``, or ``None`` when no module counts any."""
    counters = menus.inbox_counters()
    if not counters:
        return None
    return sum(counter(user) for counter in counters)


def inbox_url() -> str:
    """Where the header's count leads: the page that lists the same items (the documents inbox), or ""."""
    name = menus.inbox_url_name()
    return reverse(name) if name else ""
