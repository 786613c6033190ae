"""The inquiries' entry in the main menu and its home card (財産照会): for the 徴税 role only."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry, ModuleCard
from cityhall.inquiries.access import may_use

MENU = Menu(
    entries=[MenuEntry(_("財産照会"), "inquiries:persons", visible=may_use)],
    modules=[
        ModuleCard(_("財産照会"), _("預貯金等照会の作成、一括送付、回答の管理。"), "inquiries:persons", visible=may_use)
    ],
)
