"""Telework's menu entries: the policy (情報政策), the task inventory (課長, 情報政策), the survey (everyone)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry
from cityhall.telework.access import may_configure
from cityhall.telework.scopes import sees_inventory


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


MENU = Menu(
    entries=[
        MenuEntry(_("リモートアクセスの方針"), "telework:policy", visible=may_configure),
        MenuEntry(_("業務棚卸し"), "telework:inventory", visible=sees_inventory),
        MenuEntry(_("テレワーク環境の調査"), "telework:survey", visible=_signed_in),
    ]
)
