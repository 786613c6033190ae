"""The header's main menu (メインメニュー), which modules extend.

A module that has pages registers its entry from ``AppConfig.ready``::

    register_nav_item(_("文書"), "documents:list", visible=lambda user: True)

An entry may carry a ``count(user) -> int`` (e.g. unread お知らせ) shown as a
badge next to its label when it is not zero. Only registered (so existing)
pages appear: the menu never links to a module that is not installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """One menu entry: its label, URL name, who sees it, and an optional per-user count (badge)."""

    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool] = lambda user: True
    count: Callable[[Any], int] | None = None


@dataclass(frozen=True)
class NavLink:
    """A menu entry resolved for one request."""

    label: str | Promise
    url: str
    current: bool
    count: int = 0


_HOME = NavItem(_("ホーム"), "web:home")
_ADMIN = NavItem(_("管理サイト"), "admin:index", visible=lambda user: user.is_staff)
_items: list[NavItem] = []


def register_nav_item(
    label: str | Promise,
    url_name: str,
    *,
    visible: Callable[[Any], bool] | None = None,
    count: Callable[[Any], int] | None = None,
) -> None:
    """Add a module's entry to the main menu, between ホーム and 管理サイト (with an optional count badge)."""
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(NavItem(label, url_name, visible or (lambda user: True), count))


def nav_links(user: Any, path: str) -> list[NavLink]:
    """The entries ``user`` sees, marking the one for ``path`` as current."""
    visible = [(item, reverse(item.url_name)) for item in [_HOME, *_items, _ADMIN] if item.visible(user)]
    # The longest URL that prefixes the path is the current entry, so /documents/search/
    # marks 文書検索, not 文書 as well.
    matches = [url for _item, url in visible if path == url or (url != "/" and path.startswith(url))]
    current_url = max(matches, key=len, default=None)
    return [
        NavLink(item.label, url, url == current_url, item.count(user) if item.count else 0) for item, url in visible
    ]
