"""What an app shows in the header (メニュー定義): its main-menu entries and its count of waiting work.

An app with screens declares them as plain data in a module named ``menu``
(``cityhall/<app>/menu.py``) holding one ``MENU``::

    MENU = Menu(
        entries=[MenuEntry(_("文書"), "documents:inbox"), MenuEntry(_("起案"), "documents:new")],
        inbox_counters=[waiting_count],
    )

The shell (``cityhall.web``) imports every installed app's ``menu`` module at
start-up, in ``INSTALLED_APPS`` order, and shows the entries in that order
between ホーム and 管理サイト; it adds up the counters for the header's
未処理件数. Apps never import the shell: they only import these classes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

Visibility = Callable[[Any], bool]
Counter = Callable[[Any], int]


def everyone(user: Any) -> bool:
    """The default visibility: every signed-in user sees the entry."""
    return True


@dataclass(frozen=True)
class MenuEntry:
    """One main-menu entry: label, URL name, who sees it, and an optional per-user count (badge).

    ``visible(user)`` decides whether the user sees the entry; ``count(user)``
    is shown next to the label when it is not zero (e.g. unread お知らせ).
    """

    label: str | Promise
    url_name: str
    visible: Visibility = everyone
    count: Counter | None = None


@dataclass(frozen=True)
class Menu:
    """An app's part of the header: its menu entries in order, and counters of items waiting for a user (未処理)."""

    entries: Sequence[MenuEntry] = ()
    inbox_counters: Sequence[Counter] = ()
