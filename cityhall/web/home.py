"""The home page's content (ホーム): the business modules and the panels every app contributes as data.

Apps declare ``modules`` and ``home_panels`` in their ``menu`` module (see
:mod:`cityhall.core.menus`); the shell never imports an app to build its home page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import HomePanel, ModuleCard
from cityhall.web import menus

# Modules still to come (their apps are not installed yet): shown as 準備中, never as a link.
UPCOMING: tuple[tuple[str | Promise, str | Promise], ...] = ((_("テレワーク"), _("業務棚卸し、実施の申請と承認。")),)
_ADMIN = ModuleCard(
    _("管理サイト"), _("組織、職員、発令、権限の管理。"), "admin:index", visible=lambda user: user.is_staff
)


def module_cards(user: Any) -> list[tuple[ModuleCard, str]]:
    """The installed modules the user may open, each with its URL (業務メニュー)."""
    cards = [*menus.modules(), _ADMIN]
    return [(card, reverse(card.url_name)) for card in cards if card.visible(user)]


def panels(user: Any) -> list[HomePanel]:
    """Every app's home panels for the user, what waits for them first (``HomePanel.order``)."""
    found = [panel for provider in menus.panel_providers() for panel in provider(user)]
    return sorted(found, key=lambda panel: panel.order)
