"""The documents entries of the menu (受信箱・起案・検索・管理簿・収受・廃棄・移管) and the header's waiting count."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry, ModuleCard
from cityhall.documents.home import PANELS
from cityhall.documents.selectors import waiting_count

MENU = Menu(
    entries=[
        MenuEntry(_("文書"), "documents:inbox"),
        MenuEntry(_("起案"), "documents:new"),
        MenuEntry(_("文書検索"), "documents:search"),
        MenuEntry(_("文書管理簿"), "documents:register"),
        MenuEntry(_("収受"), "documents:receipts"),
        MenuEntry(_("廃棄・移管"), "documents:disposal_lists"),
    ],
    # 処理待ち + 後閲 of the user, in the header (未処理件数).
    inbox_counters=[waiting_count],
    inbox_url_name="documents:inbox",
    modules=[
        ModuleCard(_("文書管理・電子決裁"), _("起案、回議・合議、決裁、施行、文書の保存と検索。"), "documents:inbox")
    ],
    home_panels=PANELS,
)
