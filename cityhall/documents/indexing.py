"""Keeping the search index in step with documents (文書の検索索引).

Title, body and the extracted text of attachments go into the generic index
(``cityhall.search``) under the kind ``"document"``; the selector composes the
match with its permission filter in one query.
"""

from __future__ import annotations

from cityhall.documents.models import Attachment, Document
from cityhall.search.services import index_item, remove_item

SEARCH_KIND = "document"


def document_text(document: Document) -> tuple[str, str, str]:
    """(title, body, attachment text) as indexed."""
    texts = Attachment.objects.filter(document=document).order_by("pk").values_list("name", "extracted_text")
    extra = "\n".join(f"{name}\n{text}" for name, text in texts)
    return document.title, f"{document.number_label}\n{document.body}", extra


def index_document(document_id: int) -> None:
    """Add or refresh one document in the search index; a document that no longer exists is removed."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        remove_item(key=document_id, kind=SEARCH_KIND)
        return
    title, body, extra = document_text(document)
    index_item(key=document.pk, kind=SEARCH_KIND, title=title, body=body, extra_text=extra)
