from typing import Any

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents and e-approval (文書管理・電子決裁): file plan, register, drafts, the approval engine."""

    name = "cityhall.documents"
    label = "documents"
    verbose_name = "文書・電子決裁"

    def ready(self) -> None:
        """Register the disposal list type (廃棄・移管リスト) by ``disposal``, imported on first use of the type;
        the menu is declared in ``menu.py``."""
        from cityhall.documents.document_types import REGISTERED_BY
        from cityhall.documents.registry import register_lazily

        for module, keys in REGISTERED_BY.items():
            register_lazily(module, *keys)

    def seed_demo(self, options: dict[str, Any]) -> str:
        """Fill the demo city with documents in every state (デモ文書の投入); called by ``seed_demo``."""
        from cityhall.documents.demo import seed_documents
        from cityhall.documents.demo_storage import seed_storage

        return " ".join(part for part in (seed_documents(options), seed_storage()) if part)
