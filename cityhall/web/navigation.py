"""The header's main menu (メインメニュー): ホーム, every installed module's entries, システム状況, 管理サイト.

Modules declare their entries in their ``menu`` module (see
:mod:`cityhall.core.menus`); :mod:`cityhall.web.menus` reads them at start-up,
in ``INSTALLED_APPS`` order. Only declared (so existing) pages appear: the menu
never links to a module that is not installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import MenuEntry
from cityhall.web import menus
from cityhall.web.status import is_it_staff


@dataclass(frozen=True)
class NavLink:
    """A menu entry resolved for one request."""

    label: str | Promise
    url: str
    current: bool
    count: int = 0


_HOME = MenuEntry(_("ホーム"), "web:home")
_STATUS = MenuEntry(_("システム状況"), "web:status", visible=lambda user: is_it_staff(user))
_ADMIN = MenuEntry(_("管理サイト"), "admin:index", visible=lambda user: user.is_staff)


def nav_links(user: Any, path: str) -> list[NavLink]:
    """The entries ``user`` sees, marking the one for ``path`` as current."""
    entries = [_HOME, *menus.entries(), _STATUS, _ADMIN]
    visible = [(entry, reverse(entry.url_name)) for entry in entries if entry.visible(user)]
    # The longest URL that prefixes the path is the current entry, so /documents/search/
    # marks 文書検索, not 文書 as well.
    matches = [url for _entry, url in visible if path == url or (url != "/" and path.startswith(url))]
    current_url = max(matches, key=len, default=None)
    return [
        NavLink(entry.label, url, url == current_url, entry.count(user) if entry.count else 0) for entry, url in visible
    ]
