"""The delegation rules (事務決裁規程) as data: one row per kind of matter, scope, amount band and period.

Which row decides a draft is chosen at submission (``cityhall.documents.rules.decision_rule``) and
recorded on the document (``Document.delegation_rule``): rows are never changed in place once in
effect; a change ends the row the day before its successor takes effect (``replaces``), so a route
already running keeps the row it was given and the register shows which row that was.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from cityhall.documents.models.register import MatterKind
from cityhall.org.models import DatedQuerySet, OrgUnit, Post

RULES_SINCE = dt.date(2000, 4, 1)
"""The day the initial rows (初期設定) take effect: before any document of the system."""


class DelegationRule(models.Model):
    """One row of the 事務決裁規程: who decides (専決者) a kind of matter, within a scope, below an amount.

    ``amount_below`` is an exclusive upper bound in yen; null means "any amount". A row covers
    the amounts from the next lower bound of the rows of the same scope up to its own bound.
    ``unit`` limits the row to one 部 or 課 (null: the whole city); ``budget_setsu`` to one
    budget 節 by its code (empty: any). The most specific row wins: 課 before 部 before the whole
    city, then a 節 row before one without. ``consult_units`` are the sections a matter under
    the row must be consulted with (必須合議先), besides the kind's own (``MatterKind.consult_units``).
    ``valid_from``/``valid_to`` (both inclusive) are the days the row is in effect.
    """

    matter_kind = models.ForeignKey(
        MatterKind, verbose_name="事案の種類", on_delete=models.PROTECT, related_name="delegation_rules"
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="対象の部・課",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空欄は全庁。",
    )
    budget_setsu = models.CharField(
        "予算の節", max_length=10, blank=True, help_text="節の番号（例: 14 工事請負費）。空欄はすべての節。"
    )
    amount_below = models.BigIntegerField("金額（未満）", null=True, blank=True)
    decider_post = models.ForeignKey(Post, verbose_name="決裁する職", on_delete=models.PROTECT, related_name="+")
    label = models.CharField("決裁区分", max_length=20, help_text="例: 「課長専決」「市長決裁」。")
    consult_units = models.ManyToManyField(
        OrgUnit,
        verbose_name="必須合議先",
        blank=True,
        related_name="+",
        help_text="この行で決裁する文書に必ず合議する課（例: 契約の契約管財課）。起案者は外せません。",
    )
    valid_from = models.DateField("施行日", default=RULES_SINCE)
    valid_to = models.DateField("廃止日", null=True, blank=True, help_text="この日まで有効。空欄は廃止の予定なし。")
    replaces = models.ForeignKey(
        "self", verbose_name="改正前の行", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("改正の理由・備考", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("決裁区分")
        verbose_name_plural = gettext_lazy("事務決裁規程")
        ordering = ["matter_kind", "unit_id", "budget_setsu", models.F("amount_below").asc(nulls_last=True)]
        constraints = [
            # One row in effect without an end per slot (kind, scope, bound); periods of ended rows are
            # kept apart by the services (``delegation_rule_add``), which lock the kind.
            models.UniqueConstraint(
                "matter_kind",
                Coalesce("unit", Value(0)),
                "budget_setsu",
                Coalesce("amount_below", Value(0)),
                condition=Q(valid_to__isnull=True),
                name="doc_delegation_one_open_slot",
                violation_error_message="同じ種類・対象・金額の行が既にあります。",
            ),
            models.CheckConstraint(
                condition=Q(amount_below__isnull=True) | Q(amount_below__gt=0),
                name="doc_delegation_amount_positive",
                violation_error_message="金額は1円以上にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="doc_delegation_dates_ordered",
                violation_error_message="廃止日は施行日以降の日付にしてください。",
            ),
        ]
        indexes = [models.Index(fields=["matter_kind", "valid_from"], name="doc_delegation_kind_from")]

    def __str__(self) -> str:
        bound = "上限なし" if self.amount_below is None else f"{self.amount_below:,}円未満"
        return f"{self.matter_kind} {self.scope_label} {bound}: {self.label}"

    @property
    def scope_label(self) -> str:
        """Where the row applies: 「全庁」, 「総務部」, 「道路課」, with 「節14」 when limited to a 節."""
        where = self.unit.name if self.unit is not None else "全庁"
        return f"{where} 節{self.budget_setsu}" if self.budget_setsu else where

    @property
    def specificity(self) -> tuple[int, int]:
        """How specific the row is: (課 2 / 部 1 / 全庁 0, 節 1 / none 0); the highest wins."""
        level = 0 if self.unit is None else (2 if self.unit.kind in ("section", "subsection") else 1)
        return level, int(bool(self.budget_setsu))

    def in_effect(self, day: dt.date) -> bool:
        """Whether the row is in effect on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
