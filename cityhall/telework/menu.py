"""Telework's entry in the main menu (リモートアクセスの方針): for the 情報政策 role only."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry
from cityhall.telework.access import may_configure

MENU = Menu(entries=[MenuEntry(_("リモートアクセスの方針"), "telework:policy", visible=may_configure)])
