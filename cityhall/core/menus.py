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

The home page is built the same way: an app lists its business module
(``modules``: the 業務メニュー card) and ``home_panels``, callables that take
the signed-in user and return :class:`HomePanel` data (rows with a title, a
link, an amount in yen, a date and a status; figures for shortcuts). The shell
shows the panels of every app, ordered by ``HomePanel.order``, and formats
amounts and dates itself: a panel is data, never HTML.
"""

from __future__ import annotations

import datetime as dt
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
class ModuleCard:
    """A business module on the home page (業務メニュー): title, description and the URL name of its first page."""

    title: str | Promise
    description: str | Promise
    url_name: str
    visible: Visibility = everyone


@dataclass(frozen=True)
class PanelRow:
    """One row of a home panel: what it is, where it opens, and optionally its amount (円), date and status.

    ``date_label`` says what the date is (期限, 支払予定日, 提出日 …); the shell shows
    the date in 和暦 and the amount as 「1,234円」.
    """

    title: str | Promise
    url: str = ""
    amount: int | None = None
    date: dt.date | None = None
    date_label: str | Promise = ""
    status: str | Promise = ""
    urgent: bool = False


@dataclass(frozen=True)
class PanelFigure:
    """A shortcut figure on a home panel (審査待ち 3件, 次の支払日, その合計): a count, an amount or a date."""

    label: str | Promise
    count: int | None = None
    amount: int | None = None
    date: dt.date | None = None
    url: str = ""


@dataclass(frozen=True)
class HomePanel:
    """A panel of the home page (ホームのパネル): a titled list of rows and shortcut figures for one user.

    ``total`` is how many there are in all (the rows may be the first few);
    ``more_url`` opens the whole list; ``empty`` is said when there are no rows
    and no figures. Lower ``order`` comes first: what waits for the user (10),
    their own drafts (20), their role's shortcuts (30), notices (40).
    """

    key: str
    title: str | Promise
    rows: Sequence[PanelRow] = ()
    figures: Sequence[PanelFigure] = ()
    total: int | None = None
    more_url: str = ""
    more_label: str | Promise = ""
    empty: str | Promise = ""
    order: int = 50


PanelProvider = Callable[[Any], Sequence[HomePanel]]
"""Returns the home panels an app shows to a user (none when the user has nothing there)."""


@dataclass(frozen=True)
class Menu:
    """An app's part of the shell: menu entries, counters of waiting items (未処理), module cards and home panels."""

    entries: Sequence[MenuEntry] = ()
    inbox_counters: Sequence[Counter] = ()
    # Where the header's 未処理件数 leads: the page that lists what the counters count, with the same total.
    inbox_url_name: str = ""
    modules: Sequence[ModuleCard] = ()
    home_panels: Sequence[PanelProvider] = ()
