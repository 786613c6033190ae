"""Organisation (組織): municipality, units (部・課・係), posts, assignments, absences, roles.

Everything that changes at the April transfer (人事異動) carries validity dates
(``valid_from`` inclusive, ``valid_to`` inclusive or open), so the roster can
be read *as of a date*. Writes go through ``cityhall.org.services``; reads
through ``cityhall.org.selectors``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy


class Municipality(models.Model):
    """A local government (地方公共団体), e.g. みどり野市."""

    code = models.CharField("団体コード", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)
    kana = models.CharField("名称（かな）", max_length=100, blank=True)
    symbol = models.CharField("文書記号", max_length=4, help_text="文書番号の先頭に付ける記号（例: 「緑」）。")

    class Meta:
        verbose_name = gettext_lazy("地方公共団体")
        verbose_name_plural = gettext_lazy("地方公共団体")

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    """Level of an organisational unit. The executive unit holds 市長・副市長."""

    EXECUTIVE = "executive", pgettext_lazy("unit kind", "特別職")
    DEPARTMENT = "department", pgettext_lazy("unit kind", "部")
    SECTION = "section", pgettext_lazy("unit kind", "課")
    SUBSECTION = "subsection", pgettext_lazy("unit kind", "係")


# Which kind of unit a unit of each kind may sit under (None: top level).
PARENT_KIND: dict[str, str | None] = {
    UnitKind.EXECUTIVE: None,
    UnitKind.DEPARTMENT: None,
    UnitKind.SECTION: UnitKind.DEPARTMENT,
    UnitKind.SUBSECTION: UnitKind.SECTION,
}


class DatedQuerySet(models.QuerySet):
    """Rows with ``valid_from``/``valid_to`` (both inclusive, ``valid_to`` open when null)."""

    def on(self, day: dt.date) -> DatedQuerySet:
        """Rows valid on ``day``."""
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))

    def overlapping(self, start: dt.date, end: dt.date | None) -> DatedQuerySet:
        """Rows whose validity overlaps [start, end] (``end`` None: open)."""
        qs = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        return qs if end is None else qs.filter(valid_from__lte=end)


def _dates_ordered(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
        name=name,
        violation_error_message="終了日は開始日以降の日付にしてください。",
    )


class OrgUnit(models.Model):
    """An organisational unit (組織): 部 → 課 → 係, created or abolished at dates."""

    municipality = models.ForeignKey(Municipality, verbose_name="団体", on_delete=models.PROTECT, related_name="units")
    kind = models.CharField("種別", max_length=12, choices=UnitKind.choices)
    code = models.CharField("組織コード", max_length=20)
    name = models.CharField("名称", max_length=50)
    kana = models.CharField("名称（かな）", max_length=100, blank=True)
    symbol = models.CharField("文書記号", max_length=4, blank=True, help_text="文書番号に使う略号（例: 「総」）。")
    parent = models.ForeignKey(
        "self", verbose_name="上位組織", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveIntegerField("表示順", default=0)
    valid_from = models.DateField("設置日")
    valid_to = models.DateField("廃止日", null=True, blank=True, help_text="この日まで存続します。空欄は存続中。")

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("組織")
        verbose_name_plural = gettext_lazy("組織")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="org_unit_code_unique",
                violation_error_message="この組織コードは既に使われています。",
            ),
            _dates_ordered("org_unit_dates_ordered"),
            models.CheckConstraint(
                condition=(Q(kind__in=["executive", "department"], parent__isnull=True))
                | (Q(kind__in=["section", "subsection"], parent__isnull=False)),
                name="org_unit_parent_by_kind",
                violation_error_message="部・特別職は上位組織を持たず、課・係には上位組織が必要です。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A post (職) such as 主事, 係長, 課長; ``rank`` orders them, ``heads`` marks unit heads."""

    code = models.CharField("職コード", max_length=30, unique=True)
    name = models.CharField("職名", max_length=30)
    rank = models.PositiveSmallIntegerField("職位", help_text="大きいほど上位（主事 10, 係長 30, 課長 50, 市長 90）。")
    is_managerial = models.BooleanField("管理監督職", default=False)
    heads = models.CharField(
        "長となる組織種別",
        max_length=12,
        choices=UnitKind.choices,
        blank=True,
        help_text="この職が組織の長であるときの組織種別（課長なら「課」）。",
    )

    class Meta:
        verbose_name = gettext_lazy("職")
        verbose_name_plural = gettext_lazy("職")
        ordering = ["-rank", "code"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """Who holds which post in which unit, and when (配置; 本務 or 兼務)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="職員", on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name="所属", on_delete=models.PROTECT, related_name="assignments")
    post = models.ForeignKey(Post, verbose_name="職", on_delete=models.PROTECT, related_name="assignments")
    is_primary = models.BooleanField("本務", default=True, help_text="オフは兼務。")
    valid_from = models.DateField("発令日")
    valid_to = models.DateField("終了日", null=True, blank=True, help_text="この日まで在任。空欄は在任中。")

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("配置")
        verbose_name_plural = gettext_lazy("配置")
        ordering = ["-valid_from", "unit__sort_order", "-post__rank"]
        constraints = [
            _dates_ordered("org_assignment_dates_ordered"),
            # Overlap of closed periods is checked by the service under a lock;
            # the database holds the two cases it can express portably.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_primary=True, valid_to__isnull=True),
                name="org_assignment_one_open_primary",
                violation_error_message="この職員には終了日のない本務の配置が既にあります。",
            ),
            models.UniqueConstraint(
                fields=["user", "valid_from"],
                condition=Q(is_primary=True),
                name="org_assignment_one_primary_per_start",
                violation_error_message="この職員には同じ発令日の本務の配置が既にあります。",
            ),
        ]
        indexes = [models.Index(fields=["unit", "post", "valid_from"])]

    def __str__(self) -> str:
        kind = "本務" if self.is_primary else "兼務"
        return f"{self.user} {self.unit} {self.post}（{kind} {self.valid_from}〜{self.valid_to or ''}）"


class Absence(models.Model):
    """A period of absence (不在) with the designated proxy (代決者)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="職員", on_delete=models.PROTECT, related_name="absences"
    )
    starts_on = models.DateField("開始日")
    ends_on = models.DateField("終了日")
    proxy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代決者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proxy_for_absences",
    )
    reason = models.CharField("事由", max_length=100, blank=True)

    class Meta:
        verbose_name = gettext_lazy("不在")
        verbose_name_plural = gettext_lazy("不在")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="org_absence_dates_ordered",
                violation_error_message="終了日は開始日以降の日付にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(proxy__isnull=True) | ~Q(proxy=models.F("user")),
                name="org_absence_proxy_not_self",
                violation_error_message="本人を代決者にはできません。",
            ),
        ]
        indexes = [models.Index(fields=["user", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.user} 不在 {self.starts_on}〜{self.ends_on}"


class Role(models.TextChoices):
    """Functional roles (権限). drafter/approver also follow from assignments (see selectors)."""

    DRAFTER = "drafter", pgettext_lazy("role", "起案者")
    APPROVER = "approver", pgettext_lazy("role", "決裁者")
    DOCUMENT_MANAGER = "document_manager", pgettext_lazy("role", "文書主管")
    ACCOUNTING = "accounting", pgettext_lazy("role", "会計")
    TREASURER = "treasurer", pgettext_lazy("role", "会計管理者")
    TAX_COLLECTION = "tax_collection", pgettext_lazy("role", "徴税")
    IT_ADMIN = "it_admin", pgettext_lazy("role", "情報政策")
    AUDITOR = "auditor", pgettext_lazy("role", "監査")
    EXECUTIVE = "executive", pgettext_lazy("role", "幹部")


class RoleGrant(models.Model):
    """A role granted to a user for a period, optionally limited to one unit (権限付与)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="職員", on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.CharField("権限", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="対象組織",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_grants",
        help_text="空欄は全庁。",
    )
    valid_from = models.DateField("開始日")
    valid_to = models.DateField("終了日", null=True, blank=True, help_text="この日まで有効。空欄は無期限。")

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("権限付与")
        verbose_name_plural = gettext_lazy("権限付与")
        ordering = ["user_id", "role", "-valid_from"]
        constraints = [_dates_ordered("org_rolegrant_dates_ordered")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"
