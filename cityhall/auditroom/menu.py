"""The audit room's entry in the main menu (監査室): for the 監査 and 情報政策 roles only."""

from django.utils.translation import gettext_lazy as _

from cityhall.auditroom.access import may_enter
from cityhall.core.menus import Menu, MenuEntry

MENU = Menu(entries=[MenuEntry(_("監査室"), "auditroom:room", visible=may_enter)])
