"""Telework's menu entries: テレワーク申請, 勤務場所の予定 and the survey for everyone; the task inventory
(課長, 情報政策); the policy and the limits (情報政策)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry
from cityhall.telework.access import may_configure
from cityhall.telework.scopes import sees_inventory


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


MENU = Menu(
    entries=[
        MenuEntry(_("テレワーク申請"), "telework:requests"),
        MenuEntry(_("勤務場所の予定"), "telework:calendar"),
        MenuEntry(_("リモートアクセスの方針"), "telework:policy", visible=may_configure),
        MenuEntry(_("テレワークの上限"), "telework:limits", visible=may_configure),
        MenuEntry(_("業務棚卸し"), "telework:inventory", visible=sees_inventory),
        MenuEntry(_("テレワーク環境の調査"), "telework:survey", visible=_signed_in),
    ]
)
