"""Input and output schemas of the documents API (文書管理・電子決裁 API のスキーマ).

Outputs read model instances (``from_attributes``); the detail schema asks the
same selectors as the screen for the route and the actions the caller may take.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from cityhall.core.http import BodyId, Version, Yen
from cityhall.documents.models import (
    Attachment,
    Document,
    DocumentComment,
    FormalAddition,
    PostReview,
    RetentionExtension,
    RouteStep,
)
from cityhall.documents.selectors import available_actions, route_steps

# --- reference lists ---------------------------------------------------------


class FilePlanClassOut(Schema):
    """A file plan class (文書分類: 大・中・小分類) with its default retention."""

    id: int
    level: int
    parent_id: int | None
    code: str
    name: str
    retention_years: int
    expiry_action: str
    valid_to: dt.date | None = Field(None, description="廃止日（この日まで使えます）。null は使用中")


class MatterKindOut(Schema):
    """A kind of matter (事案の種類)."""

    id: int
    code: str
    name: str
    amount_based: bool
    consult_unit_ids: list[int] = Field(description="必須合議先の課（起案者が外せない合議先）")

    @staticmethod
    def resolve_consult_unit_ids(obj: Any) -> list[int]:
        return sorted(u.pk for u in obj.consult_units.all())


# --- documents --------------------------------------------------------------


class DocumentSummary(Schema):
    """A row of the register (文書台帳の一行)."""

    id: int
    number_label: str
    title: str
    status: str
    status_label: str
    section: str
    drafter: str
    fiscal_year: int
    drafted_on: dt.date
    decided_at: dt.datetime | None
    is_confidential: bool
    version: int

    @staticmethod
    def resolve_status_label(obj: Document) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_section(obj: Document) -> str:
        return obj.section.name

    @staticmethod
    def resolve_drafter(obj: Document) -> str:
        return obj.drafter.full_name


class DocumentPage(Schema):
    """One page of documents and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[DocumentSummary]


class DocumentSearchPage(DocumentPage):
    """One page of search results; past 1,000 matches ``count`` is 1,000 and ``capped`` says 「以上」."""

    capped: bool = Field(False, description="件数の数え上げを上限または時間で打ち切ったとき true（count 件以上）")
    many: bool = Field(
        False, description="件数の数え上げを時間の上限で打ち切ったとき true（「多数」。count は確認できた件数）"
    )
    incomplete: bool = Field(False, description="結果の取得自体が時間の上限に達したとき true（items は一部または空）")


class StepOut(Schema):
    """One step of the route (回議の段) with its stamp information (押印)."""

    id: int
    round: int
    order: int
    stage: int
    kind: str
    kind_label: str
    unit: str | None
    post: str | None
    assignee: str
    state: str
    state_label: str
    acted_by: str | None
    acted_at: dt.datetime | None
    by_proxy: bool = Field(description="代決（「代」印）")
    post_review_done: bool | None = Field(description="後閲: None=対象外, False=未了, True=済")
    comment: str

    @staticmethod
    def resolve_kind_label(obj: RouteStep) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_state_label(obj: RouteStep) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_unit(obj: RouteStep) -> str | None:
        return obj.unit.name if obj.unit else None

    @staticmethod
    def resolve_post(obj: RouteStep) -> str | None:
        return obj.post.name if obj.post else None

    @staticmethod
    def resolve_assignee(obj: RouteStep) -> str:
        return obj.assignee.full_name

    @staticmethod
    def resolve_acted_by(obj: RouteStep) -> str | None:
        return obj.acted_by.full_name if obj.acted_by else None

    @staticmethod
    def resolve_post_review_done(obj: RouteStep) -> bool | None:
        reviews = getattr(obj, "_post_reviews", None)
        if reviews is None:
            reviews = dict(PostReview.objects.filter(step=obj).values_list("step_id", "done_at"))
        if obj.pk not in reviews:
            return None
        return reviews[obj.pk] is not None


class AttachmentOut(Schema):
    """Attachment metadata (添付ファイル); the content is downloaded separately."""

    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    added_after_decision: bool
    uploaded_at: dt.datetime


class CommentOut(Schema):
    """A comment on a document (コメント)."""

    id: int
    round: int
    author: str
    body: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: DocumentComment) -> str:
        return obj.author.full_name


class DocumentOut(DocumentSummary):
    """One document (文書): register fields, route, attachments, comments and the caller's actions."""

    body: str
    matter_kind: MatterKindOut
    amount: int | None
    has_personal_info: bool
    is_important: bool
    file_plan_class: FilePlanClassOut | None
    retention_years: int
    expiry_action: str
    expires_on: dt.date | None
    issued_on: dt.date | None
    closed_on: dt.date | None
    submitted_at: dt.datetime | None
    decision_label: str
    delegation_rule_id: int | None = Field(description="回議開始時に適用した事務決裁規程の行")
    decided_by: str | None
    decided_by_proxy: bool
    medium: str
    paper_reason: str
    location: str
    current_round: int
    signed_pdf_sha256: str
    steps: list[StepOut]
    attachments: list[AttachmentOut]
    comments: list[CommentOut]
    actions: list[str] = Field(description="呼出し元が今とれる操作")

    @staticmethod
    def resolve_decided_by(obj: Document) -> str | None:
        return obj.decided_by.full_name if obj.decided_by else None

    @staticmethod
    def resolve_steps(obj: Document) -> list[RouteStep]:
        steps = list(route_steps(obj))
        reviews = dict(PostReview.objects.filter(document=obj).values_list("step_id", "done_at"))
        for step in steps:
            step._post_reviews = reviews  # type: ignore[attr-defined]  # one query for the whole route
        return steps

    @staticmethod
    def resolve_attachments(obj: Document) -> list[Attachment]:
        return list(obj.attachments.order_by("pk"))

    @staticmethod
    def resolve_comments(obj: Document) -> list[DocumentComment]:
        return list(obj.comments.select_related("author").order_by("created_at", "pk"))

    @staticmethod
    def resolve_actions(obj: Document, context: dict[str, Any]) -> list[str]:
        return sorted(available_actions(context["request"].user, obj))


# --- inputs -----------------------------------------------------------------


class DraftIn(Schema):
    """A new draft (起案)."""

    title: str = ""
    body: str = ""
    matter_kind_id: BodyId | None = None
    amount: Yen | None = None
    is_confidential: bool = False
    has_personal_info: bool = False
    is_important: bool = False
    file_plan_class_id: BodyId | None = None
    location: str = ""
    sub_of_id: BodyId | None = Field(None, description="枝番を付ける元の文書")


class DraftUpdateIn(Schema):
    """Changes to a draft (起案の修正); only the fields sent are changed."""

    expected_version: Version
    title: str | None = None
    body: str | None = None
    matter_kind_id: BodyId | None = None
    amount: Yen | None = None
    is_confidential: bool | None = None
    has_personal_info: bool | None = None
    is_important: bool | None = None
    file_plan_class_id: BodyId | None = None
    location: str | None = None


class VersionIn(Schema):
    """The version (版) of the document the caller saw."""

    expected_version: Version


class CommentActionIn(VersionIn):
    """An action with an optional comment (意見)."""

    comment: str = ""


class ReasonIn(VersionIn):
    """An action that needs a reason (理由), e.g. 差戻し・却下・異議."""

    comment: str = ""


class SendBackIn(ReasonIn):
    """A send-back (差戻し) with its reason and, optionally, the earlier approver it goes back to."""

    target_step_id: BodyId | None = Field(
        None,
        description="差戻し先: 既に承認・合議した前の回議の段（steps の id）。省略すると起案者に戻ります。",
    )


class WithdrawIn(VersionIn):
    """Withdrawal (取下げ) with an optional reason."""

    reason: str = ""


class SubmitIn(VersionIn):
    """Start or restart the route (回議) with the drafter's additions."""

    extra_reviewer_ids: list[BodyId] = Field(default_factory=list, description="追加する回議者")
    consult_unit_ids: list[BodyId] = Field(default_factory=list, description="合議先の課")
    saved_route_id: BodyId | None = Field(None, description="マイルート")


class CommentIn(Schema):
    """A comment (コメント)."""

    body: str = ""


class IssueIn(VersionIn):
    """Issue (施行) on a date, today by default."""

    issued_on: dt.date | None = None


class CloseIn(VersionIn):
    """Close (完結) on a date, today by default."""

    closed_on: dt.date | None = None


class BulkItemIn(Schema):
    """One item of a bulk approval."""

    document_id: BodyId
    expected_version: Version


class BulkApproveIn(Schema):
    """Bulk approval (一括承認) of selected items."""

    items: list[BulkItemIn]
    comment: str = ""


class BulkResultOut(Schema):
    """The outcome of one item of a bulk approval."""

    document_id: int
    ok: bool
    message: str


# --- inbox and post-review ---------------------------------------------------


class InboxCountsOut(Schema):
    """Counts of the inbox buckets (受信箱の件数)."""

    pending: int
    in_progress: int
    sent_back: int
    done: int
    post_review: int
    waiting: int


class PostReviewOut(Schema):
    """An open post-review task (後閲待ち)."""

    id: int
    document_id: int
    number_label: str
    title: str
    acted_by: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_number_label(obj: PostReview) -> str:
        return obj.document.number_label

    @staticmethod
    def resolve_title(obj: PostReview) -> str:
        return obj.document.title

    @staticmethod
    def resolve_acted_by(obj: PostReview) -> str | None:
        return obj.step.acted_by.full_name if obj.step.acted_by else None


class PostReviewDoneOut(Schema):
    """A completed post-review (後閲済)."""

    id: int
    document_id: int
    done_at: dt.datetime | None
    comment: str


class PostReviewIn(Schema):
    """Completion of a post-review with an optional comment."""

    comment: str = ""


# --- records management (文書管理) -------------------------------------------


class RetentionIn(VersionIn):
    """Extension of the retention period (保存期間の延長)."""

    new_years: int = Field(description="1, 3, 5, 10, 30 または 0（永年）")
    reason: str = ""


class FormalAdditionIn(VersionIn):
    """A formal addition to a decided record (原議の補正) by the document manager."""

    field: str = Field(description="title, body, location")
    value: str
    reason: str = ""


class RetentionExtensionOut(Schema):
    """One extension of the record's retention (保存期間の延長)."""

    id: int
    previous_years: int
    new_years: int
    previous_expires_on: dt.date | None
    new_expires_on: dt.date | None
    reason: str
    extended_by: str
    extended_at: dt.datetime

    @staticmethod
    def resolve_extended_by(obj: RetentionExtension) -> str:
        return obj.extended_by.full_name


class FormalAdditionOut(Schema):
    """One formal addition to the record (原議の補正) with the text before and after."""

    id: int
    field: str
    before: str
    after: str
    reason: str
    made_by: str
    made_at: dt.datetime

    @staticmethod
    def resolve_made_by(obj: FormalAddition) -> str:
        return obj.made_by.full_name


class PaperDecisionIn(Schema):
    """A decision made on paper, registered so the register is complete (紙決裁の登録)."""

    title: str = ""
    matter_kind_id: BodyId
    paper_reason: str = ""
    decided_on: dt.date
    decided_by_id: BodyId
    file_plan_class_id: BodyId
    location: str = ""
    amount: Yen | None = None
    body: str = ""
    has_personal_info: bool = False
    is_confidential: bool = False
