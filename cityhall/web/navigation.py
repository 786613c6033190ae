"""The header's main menu (メインメニュー), which modules extend.

A module that has pages registers its entry from ``AppConfig.ready``::

    register_nav_item(_("文書"), "documents:list", visible=lambda user: True)

Only registered (so existing) pages appear: the menu never links to a module
that is not installed.
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
    """One menu entry: its label, URL name, and who sees it."""

    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool] = lambda user: True


@dataclass(frozen=True)
class NavLink:
    """A menu entry resolved for one request."""

    label: str | Promise
    url: str
    current: bool


_HOME = NavItem(_("ホーム"), "web:home")
_ADMIN = NavItem(_("管理サイト"), "admin:index", visible=lambda user: user.is_staff)
_items: list[NavItem] = []


def register_nav_item(label: str | Promise, url_name: str, *, visible: Callable[[Any], bool] | None = None) -> None:
    """Add a module's entry to the main menu, between ホーム and 管理サイト."""
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(NavItem(label, url_name, visible or (lambda user: True)))


def nav_links(user: Any, path: str) -> list[NavLink]:
    """The entries ``user`` sees, marking the one for ``path`` as current."""
    links = []
    for item in [_HOME, *_items, _ADMIN]:
        if not item.visible(user):
            continue
        url = reverse(item.url_name)
        current = path == url if url == "/" else path.startswith(url)
        links.append(NavLink(item.label, url, current))
    return links
