"""Keeping the search index in step with documents (文書の検索索引).

Title, body and the extracted text of attachments go into the generic index
(``cityhall.search``) under the kind ``"document"``; the selector composes the
match with its permission filter in one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cityhall.documents.models import Attachment, Document
from cityhall.search.services import IndexItem, index_item, index_new_items, remove_item

SEARCH_KIND = "document"
_CHUNK = 1000


def _text(document: Document, attachments: Sequence[tuple[str, str]]) -> tuple[str, str, str]:
    extra = "\n".join(f"{name}\n{text}" for name, text in attachments)
    return document.title, f"{document.number_label}\n{document.body}", extra


def document_text(document: Document) -> tuple[str, str, str]:
    """(title, body, attachment text) as indexed."""
    texts = Attachment.objects.filter(document=document).order_by("pk").values_list("name", "extracted_text")
    return _text(document, list(texts))


def index_document(document_id: int) -> None:
    """Add or refresh one document in the search index; a document that no longer exists is removed."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        remove_item(key=document_id, kind=SEARCH_KIND)
        return
    title, body, extra = document_text(document)
    index_item(key=document.pk, kind=SEARCH_KIND, title=title, body=body, extra_text=extra)


def index_new_documents(document_ids: Sequence[int]) -> int:
    """Add many documents not yet in the index, in bulk (一括登録: records taken over from the old register)."""
    total = 0
    for start in range(0, len(document_ids), _CHUNK):
        chunk = document_ids[start : start + _CHUNK]
        files: dict[int, list[tuple[str, str]]] = defaultdict(list)
        rows = Attachment.objects.filter(document_id__in=chunk).order_by("pk")
        for document_id, name, text in rows.values_list("document_id", "name", "extracted_text"):
            files[document_id].append((name, text))
        documents = Document.objects.filter(pk__in=chunk).only("pk", "title", "number_label", "body").order_by("pk")
        items = (IndexItem(d.pk, *_text(d, files[d.pk])) for d in documents)
        total += index_new_items(kind=SEARCH_KIND, items=items)
    return total
