"""The お知らせ entry of the main menu with the unread count as its badge, and the home panel of unread notices."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import HomePanel, Menu, MenuEntry, PanelRow
from cityhall.notifications.selectors import recent, unread_count

SHOWN = 5


def unread_panel(user: Any) -> list[HomePanel]:
    """未読のお知らせ (order 40): the latest unread notices, linking to what they are about."""
    total = unread_count(user)
    if not total:
        return []
    rows = [
        PanelRow(n.subject, n.url, date=timezone.localtime(n.created_at).date(), date_label=_("通知日"))
        for n in recent(user, limit=SHOWN, unread_only=True)
    ]
    more = reverse("notifications:list")
    return [HomePanel("notifications-unread", _("未読のお知らせ"), rows, total=total, more_url=more, order=40)]


MENU = Menu(
    entries=[MenuEntry(_("お知らせ"), "notifications:list", count=unread_count)],
    home_panels=[unread_panel],
)
