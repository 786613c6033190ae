from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents and e-approval (文書管理・電子決裁): file plan, register, drafts, the approval engine."""

    name = "cityhall.documents"
    label = "documents"
    verbose_name = "文書・電子決裁"

    def ready(self) -> None:
        """Count the user's waiting items (処理待ち・後閲) in the header."""
        from cityhall.documents.selectors import waiting_count
        from cityhall.web.inbox import register_inbox_counter

        register_inbox_counter(waiting_count)
