"""The dashboard's entry in the main menu (DXダッシュボード): for the 幹部 role only."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry
from cityhall.dashboard.access import may_view

MENU = Menu(entries=[MenuEntry(_("DXダッシュボード"), "dashboard:page", visible=may_view)])
