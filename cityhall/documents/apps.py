from typing import Any

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents and e-approval (文書管理・電子決裁): file plan, register, drafts, the approval engine."""

    name = "cityhall.documents"
    label = "documents"
    verbose_name = "文書・電子決裁"

    def ready(self) -> None:
        """Count the user's waiting items (処理待ち・後閲) in the header; register the disposal list type."""
        from cityhall.documents import disposal
        from cityhall.documents.selectors import waiting_count
        from cityhall.web.inbox import register_inbox_counter

        register_inbox_counter(waiting_count)
        disposal.register()
        _register_menu()

    def seed_demo(self, options: dict[str, Any]) -> str:
        """Fill the demo city with documents in every state (デモ文書の投入); called by ``seed_demo``."""
        from cityhall.documents.demo import seed_documents

        return seed_documents(options)


def _register_menu() -> None:
    """The documents entries of the main menu (受信箱・起案・検索・文書管理簿・収受)."""
    from django.utils.translation import gettext_lazy as _

    from cityhall.web.navigation import register_nav_item

    register_nav_item(_("文書"), "documents:inbox")
    register_nav_item(_("起案"), "documents:new")
    register_nav_item(_("文書検索"), "documents:search")
    register_nav_item(_("文書管理簿"), "documents:register")
    register_nav_item(_("収受"), "documents:receipts")
