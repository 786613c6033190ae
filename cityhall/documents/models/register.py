"""The file plan, delegation rules, numbering and the document register (文書分類表・事務決裁規程・文書管理簿)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from cityhall.org.models import OrgUnit

# 保存期間: years; 0 means 永年 (kept permanently).
PERMANENT = 0
RETENTION_CHOICES = [
    (1, pgettext_lazy("retention", "1年")),
    (3, pgettext_lazy("retention", "3年")),
    (5, pgettext_lazy("retention", "5年")),
    (10, pgettext_lazy("retention", "10年")),
    (30, pgettext_lazy("retention", "30年")),
    (PERMANENT, pgettext_lazy("retention", "永年")),
]
RETENTION_YEARS = [value for value, _ in RETENTION_CHOICES]


class ExpiryAction(models.TextChoices):
    """What happens when the retention period ends (保存期間満了時の措置)."""

    DISPOSE = "dispose", pgettext_lazy("expiry action", "廃棄")
    TRANSFER = "transfer", pgettext_lazy("expiry action", "移管")


class FilePlanLevel(models.IntegerChoices):
    """Level of a file-plan class (大分類・中分類・小分類)."""

    MAJOR = 1, pgettext_lazy("file plan level", "大分類")
    MIDDLE = 2, pgettext_lazy("file plan level", "中分類")
    MINOR = 3, pgettext_lazy("file plan level", "小分類")


class FilePlanClass(models.Model):
    """A class of the file plan (文書分類表) with its default retention (保存期間) and action at expiry."""

    level = models.PositiveSmallIntegerField("分類階層", choices=FilePlanLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上位分類", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField("分類コード", max_length=30, unique=True)
    name = models.CharField("分類名", max_length=100)
    section = models.ForeignKey(
        OrgUnit, verbose_name="主管課", null=True, blank=True, on_delete=models.PROTECT, related_name="file_plan"
    )
    retention_years = models.PositiveSmallIntegerField("保存期間", choices=RETENTION_CHOICES, default=5)
    expiry_action = models.CharField(
        "満了時の措置", max_length=10, choices=ExpiryAction.choices, default=ExpiryAction.DISPOSE
    )
    sort_order = models.PositiveIntegerField("表示順", default=0)
    # 廃止日: the last day the class may be chosen for a new document; records filed in it keep it.
    valid_to = models.DateField("廃止日", null=True, blank=True, help_text="この日まで使えます。空欄は使用中。")

    class Meta:
        verbose_name = gettext_lazy("文書分類")
        verbose_name_plural = gettext_lazy("文書分類表")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_years__in=RETENTION_YEARS),
                name="doc_fileplan_retention_valid",
                violation_error_message="保存期間は1・3・5・10・30年または永年から選んでください。",
            ),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__in=[2, 3], parent__isnull=False),
                name="doc_fileplan_parent_by_level",
                violation_error_message="大分類は上位分類を持たず、中分類・小分類には上位分類が必要です。",
            ),
            models.CheckConstraint(
                condition=Q(expiry_action__in=ExpiryAction.values),
                name="doc_fileplan_expiry_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def in_force(self, day: dt.date) -> bool:
        """Whether the class may be chosen for a document on ``day`` (not ended before it)."""
        return self.valid_to is None or self.valid_to >= day


class MatterKind(models.Model):
    """A kind of matter (事案の種類) such as 一般, 支出, 契約; amount-based kinds decide by amount.

    ``consult_units`` are the sections every document of the kind is consulted with (必須合議先),
    whatever the drafter adds: the route planner puts them in the 合議 stage (``rules.plan_route``),
    with those of the deciding row of the 事務決裁規程 (``DelegationRule.consult_units``).
    """

    code = models.CharField("コード", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50)
    amount_based = models.BooleanField("金額で決裁区分が変わる", default=False)
    sort_order = models.PositiveIntegerField("表示順", default=0)
    consult_units = models.ManyToManyField(
        OrgUnit,
        verbose_name="必須合議先",
        blank=True,
        related_name="+",
        help_text="この種類の文書に必ず合議する課（例: 予備費充用の財政課）。起案者は外せません。",
    )

    class Meta:
        verbose_name = gettext_lazy("事案の種類")
        verbose_name_plural = gettext_lazy("事案の種類")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class DocumentNumberCounter(models.Model):
    """The running number of a section in a fiscal year (文書番号の採番); locked while numbering."""

    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    last_number = models.PositiveIntegerField("最終番号", default=0)

    class Meta:
        verbose_name = gettext_lazy("文書番号")
        verbose_name_plural = gettext_lazy("文書番号")
        constraints = [models.UniqueConstraint(fields=["section", "fiscal_year"], name="doc_counter_unique")]

    def __str__(self) -> str:
        return f"{self.section} {self.fiscal_year}年度 {self.last_number}"


class DocumentStatus(models.TextChoices):
    """The one state of a document (文書の状態)."""

    DRAFT = "draft", pgettext_lazy("document status", "起案中")
    CIRCULATING = "circulating", pgettext_lazy("document status", "回議中")
    SENT_BACK = "sent_back", pgettext_lazy("document status", "差戻し")
    DECIDED = "decided", pgettext_lazy("document status", "決裁済")
    REJECTED = "rejected", pgettext_lazy("document status", "却下")
    WITHDRAWN = "withdrawn", pgettext_lazy("document status", "取下げ")
    CLOSED = "closed", pgettext_lazy("document status", "完結")


EDITABLE_STATUSES = (DocumentStatus.DRAFT, DocumentStatus.SENT_BACK)
DECIDED_STATUSES = (DocumentStatus.DECIDED, DocumentStatus.CLOSED)
FINAL_STATUSES = (DocumentStatus.DECIDED, DocumentStatus.CLOSED, DocumentStatus.REJECTED, DocumentStatus.WITHDRAWN)


class Disposition(models.TextChoices):
    """What was done with the record at the end of its retention (廃棄・移管の実施)."""

    NONE = "", pgettext_lazy("disposition", "保存中")
    DISPOSED = "disposed", pgettext_lazy("disposition", "廃棄済")
    TRANSFERRED = "transferred", pgettext_lazy("disposition", "移管済")


class Medium(models.TextChoices):
    """Medium of the original (媒体)."""

    ELECTRONIC = "electronic", pgettext_lazy("medium", "電子")
    PAPER = "paper", pgettext_lazy("medium", "紙")


class Document(models.Model):
    """A document in the register (文書管理簿): a draft (起案) and, once decided, the original (原議)."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    section = models.ForeignKey(OrgUnit, verbose_name="課", on_delete=models.PROTECT, related_name="documents")
    number = models.PositiveIntegerField("文書番号")
    sub_number = models.PositiveSmallIntegerField("枝番", default=0)
    number_label = models.CharField("文書番号（表示）", max_length=40)
    title = models.CharField("件名", max_length=200)
    body = models.TextField("本文", blank=True)
    matter_kind = models.ForeignKey(MatterKind, verbose_name="事案の種類", on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField("金額", null=True, blank=True)
    is_confidential = models.BooleanField("秘", default=False)
    has_personal_info = models.BooleanField("個人情報あり", default=False)
    is_important = models.BooleanField("重要（代決不可）", default=False)
    file_plan_class = models.ForeignKey(
        FilePlanClass, verbose_name="文書分類", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起案者", on_delete=models.PROTECT, related_name="drafted_documents"
    )
    status = models.CharField(
        "状態", max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField("版", default=1)
    current_round = models.PositiveSmallIntegerField("回議回数", default=0)
    doc_type = models.CharField("文書の型", max_length=40, blank=True)
    drafted_on = models.DateField("起案日")
    submitted_at = models.DateTimeField("回議開始日時", null=True, blank=True)
    decided_at = models.DateTimeField("決裁日時", null=True, blank=True)
    issued_on = models.DateField("施行日", null=True, blank=True)
    closed_on = models.DateField("完結日", null=True, blank=True)
    decision_label = models.CharField("決裁区分", max_length=20, blank=True)
    # The row of the 事務決裁規程 the route was planned by, chosen at submission (回議開始・再回議).
    delegation_rule = models.ForeignKey(
        "documents.DelegationRule",
        verbose_name="適用した事務決裁規程の行",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="決裁者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by_proxy = models.BooleanField("代決", default=False)
    retention_years = models.PositiveSmallIntegerField("保存期間", choices=RETENTION_CHOICES, default=5)
    expires_on = models.DateField("保存期間満了日", null=True, blank=True)
    expiry_action = models.CharField(
        "満了時の措置", max_length=10, choices=ExpiryAction.choices, default=ExpiryAction.DISPOSE
    )
    medium = models.CharField("媒体", max_length=10, choices=Medium.choices, default=Medium.ELECTRONIC)
    paper_reason = models.CharField("紙で決裁する理由", max_length=200, blank=True)
    location = models.CharField("保管場所", max_length=100, blank=True)
    # A record taken over from the old register (旧文書管理簿): its number and decider as the old
    # register wrote them (the decider may never have been a user of cityhall); empty otherwise.
    old_number = models.CharField("旧文書番号", max_length=40, blank=True)
    old_decider = models.CharField("決裁者（旧文書管理簿）", max_length=100, blank=True)
    disposition = models.CharField("廃棄・移管", max_length=12, choices=Disposition.choices, default="", blank=True)
    disposed_on = models.DateField("廃棄・移管日", null=True, blank=True)
    signed_pdf = models.FileField("署名済みPDF", upload_to="documents/signed/%Y/", blank=True)
    signed_pdf_sha256 = models.CharField("署名済みPDFのSHA-256", max_length=64, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("文書")
        verbose_name_plural = gettext_lazy("文書管理簿")
        ordering = ["-fiscal_year", "section_id", "-number", "-sub_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "fiscal_year", "number", "sub_number"],
                name="doc_number_unique",
                violation_error_message="この文書番号は既に使われています。",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="doc_amount_not_negative",
                violation_error_message="金額は0円以上にしてください。",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="doc_number_positive"),
            models.CheckConstraint(condition=Q(version__gte=1), name="doc_version_positive"),
            models.CheckConstraint(condition=Q(status__in=DocumentStatus.values), name="doc_status_valid"),
            models.CheckConstraint(
                condition=Q(retention_years__in=RETENTION_YEARS),
                name="doc_retention_valid",
                violation_error_message="保存期間は1・3・5・10・30年または永年から選んでください。",
            ),
            models.CheckConstraint(
                condition=Q(medium="electronic") | (Q(medium="paper") & ~Q(paper_reason="")),
                name="doc_paper_needs_reason",
                violation_error_message="紙で決裁する場合は理由を入力してください。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["decided", "closed"], decided_at__isnull=False)
                | (~Q(status__in=["decided", "closed"]) & Q(decided_at__isnull=True)),
                name="doc_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
                name="doc_closed_has_date",
            ),
            models.CheckConstraint(
                condition=(Q(disposition="") & Q(disposed_on__isnull=True))
                | (Q(disposition__in=["disposed", "transferred"], status="closed") & Q(disposed_on__isnull=False)),
                name="doc_disposition_closed_with_date",
            ),
        ]
        indexes = [
            models.Index(fields=["drafter", "status"], name="doc_drafter_status"),
            models.Index(fields=["section", "fiscal_year", "status"], name="doc_section_year_status"),
            models.Index(fields=["expires_on"], name="doc_expires_on"),
            # The DX dashboard rebuilds a month's rollup from the documents decided in it, and finds the
            # months to rebuild from the documents saved since it last looked.
            models.Index(fields=["decided_at"], name="doc_decided_at"),
            models.Index(fields=["updated_at"], name="doc_updated_at"),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} {self.title}"

    @property
    def is_decided(self) -> bool:
        """Whether the document is decided (決裁済 or 完結): the record is immutable."""
        return self.status in DECIDED_STATUSES


class RetentionExtension(models.Model):
    """A recorded extension of a document's retention period (保存期間の延長)."""

    document = models.ForeignKey(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="extensions")
    previous_years = models.PositiveSmallIntegerField("延長前の保存期間")
    new_years = models.PositiveSmallIntegerField("延長後の保存期間")
    previous_expires_on = models.DateField("延長前の満了日", null=True, blank=True)
    new_expires_on = models.DateField("延長後の満了日", null=True, blank=True)
    reason = models.CharField("理由", max_length=200)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延長者", on_delete=models.PROTECT)
    extended_at = models.DateTimeField("延長日時", auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("object type", "保存期間の延長")
        verbose_name_plural = pgettext_lazy("object type", "保存期間の延長")
        ordering = ["-extended_at"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.previous_years}→{self.new_years}"


class FormalAddition(models.Model):
    """A formal addition to a decided record by the document manager (原議の補正), with before and after."""

    document = models.ForeignKey(Document, verbose_name="文書", on_delete=models.PROTECT, related_name="additions")
    field = models.CharField("項目", max_length=40)
    before = models.TextField("補正前", blank=True)
    after = models.TextField("補正後", blank=True)
    reason = models.CharField("理由", max_length=200)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="補正者", on_delete=models.PROTECT)
    made_at = models.DateTimeField("補正日時", auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("原議の補正")
        verbose_name_plural = gettext_lazy("原議の補正")
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.field}"
