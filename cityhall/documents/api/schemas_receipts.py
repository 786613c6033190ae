"""Schemas of the receipts API (収受 API のスキーマ): register, list, detail with files and 閲, import report."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from cityhall.core.http import BodyId, FiscalYear, Id, Page, PageSize
from cityhall.documents.models import Receipt, ReceiptFile, ReceiptReader
from cityhall.documents.selectors_receipts import receipt_readers


class ReceiptIn(Schema):
    """A received document (収受) to register; files are added afterwards (``POST /receipts/{id}/files``)."""

    received_on: dt.date
    sender: str = ""
    title: str = ""
    sender_number: str = ""
    sender_address: str = ""
    addressee: str = ""
    channel: str = Field("paper", description="収受の方法: paper（紙）または electronic（電子）")
    has_personal_info: bool = False
    reply_needed: bool = False
    reply_deadline: dt.date | None = None


class ReceiptOut(Schema):
    """A registered received document (収受文書) with its 収受番号 and 供覧 state."""

    id: int
    section_id: int
    fiscal_year: int
    number: int
    number_label: str = Field(description="収受番号（例: 緑総収第12号）")
    received_on: dt.date
    channel: str
    sender: str
    sender_address: str
    sender_number: str
    title: str
    addressee: str
    has_personal_info: bool
    procedure: str
    application_number: str
    applied_at: dt.datetime | None
    reply_needed: bool
    reply_deadline: dt.date | None
    circulated_at: dt.datetime | None = Field(description="供覧を始めた日時")
    circulation_done_at: dt.datetime | None = Field(description="供覧先の全員が閲覧した日時")
    answered_by_id: int | None = Field(description="回答文書の文書ID")
    disposition: str = Field(description="廃棄・移管（空: 保存中、disposed: 廃棄済、transferred: 移管済）")
    disposed_on: dt.date | None = Field(description="廃棄・移管した日")
    file_plan_class_id: int | None = Field(
        description="単独で完結した収受文書の文書分類（回答文書とともに保存するものは null）"
    )
    closed_on: dt.date | None = Field(description="完結日（回答しない収受文書）")
    expires_on: dt.date | None = Field(description="保存期間満了日（永年は null）")
    expiry_action: str = Field(description="満了時の措置: dispose（廃棄）または transfer（移管）")
    cancelled_at: dt.datetime | None = Field(description="取消日時（誤って収受したものを取り消した日時）")
    cancel_reason: str = Field(description="取消の理由")


class ReceiptFileOut(Schema):
    """A file of a received document (スキャンまたは電子の原本); the content is downloaded separately."""

    id: int
    name: str
    origin: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ReaderOut(Schema):
    """One superior the document is circulated to (供覧先) and when they marked it seen (閲)."""

    reader_id: int
    reader_name: str
    post_name: str
    requested_at: dt.datetime
    seen_at: dt.datetime | None

    @staticmethod
    def resolve_reader_name(obj: ReceiptReader) -> str:
        """The reader's full name."""
        return obj.reader.full_name


class ReceiptDetailOut(ReceiptOut):
    """A received document with its files and its 供覧先."""

    files: list[ReceiptFileOut]
    readers: list[ReaderOut]

    @staticmethod
    def resolve_files(obj: Receipt) -> list[ReceiptFile]:
        """The files in the order they were filed."""
        return list(obj.files.order_by("pk"))

    @staticmethod
    def resolve_readers(obj: Receipt) -> list[ReceiptReader]:
        """The 供覧先 in order, with their names."""
        return receipt_readers(obj)


class ReceiptQuery(Schema):
    """Filters of the receipts list (収受簿); empty means "any"."""

    fiscal_year: FiscalYear | None = None
    section_id: Id | None = None
    to_read: bool = Field(False, description="自分の閲覧（閲）を待っている収受文書だけ")
    page: Page = 1
    page_size: PageSize = 20


class ReceiptPage(Schema):
    """One page of received documents and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[ReceiptOut]


class CirculateIn(Schema):
    """The superiors to circulate the document to (供覧先: 上司の職員ID)."""

    reader_ids: list[BodyId] = Field(min_length=1, max_length=20)


class CancelIn(Schema):
    """Why a receipt registered by mistake is cancelled (取消の理由, kept in the register)."""

    reason: str = Field("", description="取消の理由（200文字以内）")


class CloseIn(Schema):
    """The file-plan class to close a received document that needs no answer under (完結: 文書分類のID)."""

    file_plan_class_id: BodyId


class CandidateOut(Schema):
    """A superior the caller may circulate a received document to (供覧先の候補)."""

    user_id: int
    name: str
    post_name: str


class ImportRowOut(Schema):
    """One application of an import: what it became or would become, or why not."""

    number: int = Field(description="CSVの行番号")
    application_number: str
    title: str
    applicant: str
    applied_at: dt.datetime | None
    files: list[str]
    reasons: list[str]
    skipped: str = Field(description="取込済みで飛ばした理由（空なら新しく収受）")
    receipt_id: int | None
    receipt_number: str


class ImportReportOut(Schema):
    """What an import did or (``dry_run``) would do."""

    dry_run: bool
    created: int
    skipped: int
    problems: list[str]
    unused_files: list[str]
    rows: list[ImportRowOut]
