"""The automation entry of the main menu (請求書の取込): for everyone signed in, who imports for their section."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry

MENU = Menu(entries=[MenuEntry(_("請求書の取込"), "automation:upload")])
