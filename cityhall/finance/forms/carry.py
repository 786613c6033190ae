"""Forms of what the budget lets a city carry: 繰越明許費 and 継続費 with its 年割額."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import YenField
from cityhall.finance.forms._common import LineChoiceField
from cityhall.finance.models import BudgetClassification, BudgetLine, BudgetVersion

YEARS_OF_INSTALLMENTS = 5
"""年割額 fields on the screen: a 継続費 rarely runs longer; the API takes any number."""


class _VersionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.fiscal_year}年度 {obj.account.name} {obj.name}"


class AllowanceForm(forms.Form):
    """A 繰越明許費 (法213条): the budget that set it, the 項, the 事業名 and the amount."""

    version = _VersionField(
        label=_("議決した予算"),
        queryset=BudgetVersion.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("予算を選んでください。"), "invalid_choice": _("予算が見つかりません。")},
    )
    kou = forms.ModelChoiceField(
        label=_("項"),
        queryset=BudgetClassification.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("項を選んでください。"), "invalid_choice": _("項が見つかりません。")},
    )
    project = forms.CharField(
        label=_("事業名"), max_length=100, error_messages={"required": _("事業名を入力してください。")}
    )
    amount = YenField(
        label=_("繰越明許費の額（円）"),
        label_for_message="繰越明許費の額",
        error_messages={"required": _("金額を入力してください。")},
    )

    def __init__(self, *args: Any, versions: QuerySet[BudgetVersion], kous: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["kou"].queryset = kous  # type: ignore[attr-defined]


class ContinuingForm(forms.Form):
    """A 継続費 (法212条): the budget, the line of its first year (目・節), the 事業名 and each year's 年割額."""

    version = _VersionField(
        label=_("議決した予算"),
        queryset=BudgetVersion.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("予算を選んでください。"), "invalid_choice": _("予算が見つかりません。")},
    )
    line = LineChoiceField(
        label=_("初年度の予算科目"),
        queryset=BudgetLine.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("予算科目を選んでください。"), "invalid_choice": _("予算科目が見つかりません。")},
    )
    project = forms.CharField(
        label=_("事業名"), max_length=100, error_messages={"required": _("事業名を入力してください。")}
    )

    def __init__(
        self, *args: Any, versions: QuerySet[BudgetVersion], lines: QuerySet[BudgetLine], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]
        for year in range(1, YEARS_OF_INSTALLMENTS + 1):
            self.fields[f"year_{year}"] = YenField(
                label=_("%(n)s年目の年割額（円）") % {"n": year},
                label_for_message=f"{year}年目の年割額",
                required=year <= 2,
                error_messages={"required": _("2年度以上の年割額を入力してください。")},
            )

    def installments(self) -> list[int]:
        """The 年割額 entered, in order, up to the first empty year."""
        amounts = []
        for year in range(1, YEARS_OF_INSTALLMENTS + 1):
            amount = self.cleaned_data.get(f"year_{year}")
            if amount is None:
                break
            amounts.append(amount)
        return amounts
