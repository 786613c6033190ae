from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents and e-approval (文書管理・電子決裁): file plan, register, drafts, the approval engine."""

    name = "cityhall.documents"
    label = "documents"
    verbose_name = "文書・電子決裁"
