"""The お知らせ entry of the main menu, with the user's unread count as its badge."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry
from cityhall.notifications.selectors import unread_count

MENU = Menu(entries=[MenuEntry(_("お知らせ"), "notifications:list", count=unread_count)])
