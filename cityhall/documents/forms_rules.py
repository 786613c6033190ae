"""Forms of the 事務決裁規程 screens (行の追加・改正・廃止、ルートのプレビュー).

Forms only read the input's shape; ``services.delegation`` decides (future dates, overlapping
rows, the 文書主管's permission) and its errors are shown next to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityhall.core.forms import ModelChoice, ModelMultipleChoice, YenField
from cityhall.documents.models import MatterKind
from cityhall.org.models import OrgUnit, Post, UnitKind

DATE = forms.DateInput(attrs={"type": "date"})


def _sections() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=UnitKind.SECTION, valid_to__isnull=True).order_by("code")


def _scopes() -> QuerySet[OrgUnit]:
    kinds = (UnitKind.DEPARTMENT, UnitKind.SECTION)
    return OrgUnit.objects.filter(kind__in=kinds, valid_to__isnull=True).order_by("code")


class SampleMatterMixin(forms.Form):
    """A sample matter the edit is previewed against (プレビューの例): its section, amount and 節."""

    sample_section = ModelChoice(
        label=_("例の課"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("選んでください")
    )
    sample_amount = YenField(label=_("例の金額"), required=False, minimum=0)
    sample_setsu = forms.CharField(label=_("例の予算の節"), required=False, max_length=10)

    def _samples(self) -> None:
        self.fields["sample_section"].queryset = _sections()  # type: ignore[attr-defined]


class RuleForm(SampleMatterMixin):
    """A new row of the 事務決裁規程 (行の追加), in effect from a future day."""

    matter_kind = ModelChoice(
        label=_("事案の種類"), queryset=MatterKind.objects.none(), empty_label=_("選んでください")
    )
    unit = ModelChoice(
        label=_("対象の部・課"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("全庁"),
        help_text=_("部・課を選ぶと、その部・課の文書にだけ適用します（課の行 ＞ 部の行 ＞ 全庁の行）。"),
    )
    budget_setsu = forms.CharField(
        label=_("予算の節"),
        required=False,
        max_length=10,
        help_text=_("節の番号（例: 14 工事請負費）。空欄はすべての節。節の行は節のない行より優先します。"),
    )
    amount_below = YenField(
        label=_("金額（未満）"), required=False, help_text=_("この金額未満に適用します。空欄は上限なし。")
    )
    decider_post = ModelChoice(label=_("決裁する職（専決者）"), queryset=Post.objects.none())
    label = forms.CharField(label=_("決裁区分"), max_length=20, help_text=_("例: 課長専決、市長決裁"))
    consult_units = ModelMultipleChoice(
        label=_("必須合議先"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple,
        help_text=_("この行で決裁する文書に必ず合議する課（例: 契約は契約管財課、例規は総務課）。"),
    )
    valid_from = forms.DateField(
        label=pgettext_lazy("rule in force from", "施行日"),
        widget=DATE,
        help_text=_("明日以降。この日以降に回議を開始する文書から適用します。"),
    )
    note = forms.CharField(label=_("改正の理由・備考"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter_kind"].queryset = MatterKind.objects.order_by("sort_order", "code")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = _scopes()  # type: ignore[attr-defined]
        self.fields["decider_post"].queryset = Post.objects.order_by("-rank", "code")  # type: ignore[attr-defined]
        self.fields["consult_units"].queryset = _sections()  # type: ignore[attr-defined]
        self._samples()


class RuleChangeForm(RuleForm):
    """A change of a row from a future day (改正): the kind and the scope stay those of the row."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("matter_kind", "unit", "budget_setsu"):
            del self.fields[name]
        self.fields["valid_from"].label = _("改正の施行日")


class RuleEndForm(forms.Form):
    """Ending a row (廃止): the last day it applies."""

    last_day = forms.DateField(label=_("廃止日（この日まで有効）"), widget=DATE)
    note = forms.CharField(label=_("廃止の理由"), required=False, max_length=200)


class RulePreviewForm(forms.Form):
    """A sample matter to see its route today and on a later day (ルートのプレビュー)."""

    matter_kind = ModelChoice(
        label=_("事案の種類"), queryset=MatterKind.objects.none(), empty_label=_("選んでください")
    )
    amount = YenField(label=_("金額"), required=False, minimum=0)
    section = ModelChoice(label=_("課"), queryset=OrgUnit.objects.none(), empty_label=_("選んでください"))
    setsu = forms.CharField(label=_("予算の節"), required=False, max_length=10)
    later = forms.DateField(label=_("比べる日"), widget=DATE, help_text=_("この日の規程によるルートと比べます。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter_kind"].queryset = MatterKind.objects.order_by("sort_order", "code")  # type: ignore[attr-defined]
        self.fields["section"].queryset = _sections()  # type: ignore[attr-defined]
