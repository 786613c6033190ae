"""Telework's entries in the main menu: テレワーク申請 and 勤務場所の予定 for everyone; the policy and the
limits for the 情報政策 role only."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry
from cityhall.telework.access import may_configure

MENU = Menu(
    entries=[
        MenuEntry(_("テレワーク申請"), "telework:requests"),
        MenuEntry(_("勤務場所の予定"), "telework:calendar"),
        MenuEntry(_("リモートアクセスの方針"), "telework:policy", visible=may_configure),
        MenuEntry(_("テレワークの上限"), "telework:limits", visible=may_configure),
    ]
)
