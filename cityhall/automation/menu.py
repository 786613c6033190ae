"""The automation entries of the main menu: 請求書の取込 for everyone signed in, who imports for their
section; 移行データの取込 for the roles that import a switch-over kind (会計, 文書主管)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cityhall.automation.selectors import switchover_kinds_for
from cityhall.core.menus import Menu, MenuEntry


def _switches_over(user: Any) -> bool:
    return bool(switchover_kinds_for(user))


MENU = Menu(
    entries=[
        MenuEntry(_("請求書の取込"), "automation:upload"),
        MenuEntry(_("移行データの取込"), "automation:switchover", visible=_switches_over),
    ]
)
