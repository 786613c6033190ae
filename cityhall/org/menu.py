"""IT's account-support screen in the main menu (アカウント支援): for the 情報政策 role and superusers."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry
from cityhall.org.services import may_support_accounts

MENU = Menu(entries=[MenuEntry(_("アカウント支援"), "org:account_support", visible=may_support_accounts)])
