"""The documents entries of the menu (受信箱・起案・検索・管理簿・収受・廃棄・移管) and the header's waiting count."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry, ModuleCard
from cityhall.documents.home import PANELS
from cityhall.documents.home_records import loans_panel
from cityhall.documents.selectors import waiting_count
from cityhall.documents.selectors_receipts import to_read_count
from cityhall.documents.selectors_records import may_edit_file_plan
from cityhall.documents.selectors_storage import overdue_count
from cityhall.documents.services._common import is_document_manager


def _document_manager(user: Any) -> bool:
    """The 文書主管 edits the 事務決裁規程; everyone else reads it from the route preview's link."""
    return is_document_manager(user, on=timezone.localdate())


MENU = Menu(
    entries=[
        MenuEntry(_("文書"), "documents:inbox"),
        MenuEntry(_("起案"), "documents:new"),
        MenuEntry(_("文書検索"), "documents:search"),
        MenuEntry(_("文書管理簿"), "documents:register"),
        MenuEntry(_("収受"), "documents:receipts", count=to_read_count),  # the badge: waiting for the user's 閲
        MenuEntry(_("事務決裁規程"), "documents:delegation_rules", visible=_document_manager),
        # The 文書主管's records work (文書分類表・書庫と借覧, with loans past their due date as the badge);
        # everyone else reaches them from the register (文書管理簿) and a paper record's page.
        MenuEntry(_("文書分類表"), "documents:file_plan", visible=may_edit_file_plan),
        MenuEntry(_("書庫・借覧"), "documents:storage", visible=may_edit_file_plan, count=overdue_count),
        MenuEntry(_("廃棄・移管"), "documents:disposal_lists"),
    ],
    # 処理待ち + 後閲 of the user, in the header (未処理件数).
    inbox_counters=[waiting_count],
    inbox_url_name="documents:inbox",
    modules=[
        ModuleCard(_("文書管理・電子決裁"), _("起案、回議・合議、決裁、施行、文書の保存と検索。"), "documents:inbox")
    ],
    home_panels=[*PANELS, loans_panel],
)
