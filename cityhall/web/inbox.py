"""The header's count of work waiting for the user (未処理件数).

Modules that own a to-do list (e-approval first) register a counter at start-up,
from their ``AppConfig.ready``; the shell only adds the counts up. With no
counter registered the header shows nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

InboxCounter = Callable[[Any], int]
_counters: list[InboxCounter] = []


def register_inbox_counter(counter: InboxCounter) -> None:
    """Add a counter ``counter(user) -> int`` of items waiting for ``user`` (未処理)."""
    if counter not in _counters:
        _counters.append(counter)


def inbox_count(user: Any) -> int | None:
    """Total items waiting for ``user``, or ``None`` when no module counts any."""
    if not _counters:
        return None
    return sum(counter(user) for counter in _counters)
