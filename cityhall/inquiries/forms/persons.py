"""The persons list's filters (滞納者の絞り込み), shared by the batch draft form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import WholeNumberField, YenField
from cityhall.inquiries.selectors.persons import INQUIRED_NO, INQUIRED_YES, PersonFilters

INQUIRED_CHOICES = [("", _("すべて")), (INQUIRED_NO, _("未照会の方のみ")), (INQUIRED_YES, _("照会済の方のみ"))]


class PersonFilterFields(forms.Form):
    """Amount, age of the debt, area and already asked: how persons are chosen (対象者の条件)."""

    min_amount = YenField(label=_("滞納額（以上）"), label_for_message="滞納額", minimum=0, required=False)
    max_amount = YenField(label=_("滞納額（以下）"), label_for_message="滞納額", minimum=0, required=False)
    min_age_months = WholeNumberField(
        label=_("滞納期間（か月以上）"),
        min_value=0,
        max_value=1200,
        required=False,
        help_text=_("最も古い滞納の納期限からの月数"),
    )
    area = forms.ChoiceField(label=_("地区"), required=False)
    inquired = forms.ChoiceField(label=_("照会の有無"), choices=INQUIRED_CHOICES, required=False)

    def __init__(self, *args: Any, areas: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("すべて")), *((a, a) for a in areas)]  # type: ignore[attr-defined]

    def filters(self, text: str = "") -> PersonFilters:
        """The valid form's filters."""
        data = self.cleaned_data
        return PersonFilters(
            text=text,
            min_amount=data.get("min_amount"),
            max_amount=data.get("max_amount"),
            min_age_months=data.get("min_age_months"),
            area=data.get("area") or "",
            inquired=data.get("inquired") or "",
        )


class PersonSearchForm(PersonFilterFields):
    """The persons list's search: a word (宛名番号・氏名・フリガナ) and the filters."""

    q = forms.CharField(label=_("宛名番号・氏名・フリガナ"), required=False, max_length=100)
    field_order = ["q", "min_amount", "max_amount", "min_age_months", "area", "inquired"]

    def search_filters(self) -> PersonFilters:
        """The valid form's filters with its word."""
        return self.filters(text=self.cleaned_data.get("q") or "")
