"""Background tasks of documents (非同期処理): thin, by id, calling one function each."""

from __future__ import annotations

from django_tasks import task

from cityhall.documents.sheet import sign_decided_document


@task()
def sign_document(document_id: int) -> bool:
    """Produce the signed approval-sheet PDF of a decided document (署名済みPDFの作成)."""
    return sign_decided_document(document_id)


@task()
def extend_signatures() -> int:
    """Add or renew the archive timestamps of kept records' signed PDFs (長期署名の延長); how many were extended."""
    from cityhall.documents.longterm import signatures_extend

    return signatures_extend().extended
