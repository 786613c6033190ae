"""The dashboard's filters (絞り込み): 年度, month and 課, read strictly from the query string."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import ModelChoice
from cityhall.core.japanese import fiscal_year
from cityhall.dashboard.selectors import DrillDown, Filters
from cityhall.documents.models import Medium
from cityhall.org.models import OrgUnit, UnitKind


def month_choices() -> list[tuple[str, str]]:
    """The months of a 年度 (April first), in the current language."""
    return [("", gettext("通年"))] + [(str(m), gettext("%(month)d月") % {"month": m}) for m in (*range(4, 13), 1, 2, 3)]


class FilterForm(forms.Form):
    """年度 (default: this one), month of it (default: the whole year) and 課 (default: every section)."""

    fiscal_year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(label=_("月"), choices=month_choices, coerce=int, required=False, empty_value=None)
    section = ModelChoice(label=_("課"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("すべて"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.exclude(kind=UnitKind.SUBSECTION).order_by("code")
        self.fields["section"].queryset = units  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        """The valid filters (call after ``is_valid``)."""
        d = self.cleaned_data
        year = d.get("fiscal_year") or fiscal_year(timezone.localdate())
        month_number = d.get("month")
        month = None
        if month_number:
            month = dt.date(year + (month_number < 4), month_number, 1)
        return Filters(fiscal_year=year, month=month, section_id=d["section"].pk if d.get("section") else None)


class DrillForm(FilterForm):
    """The filters plus what the figure counts: a medium, a kind of matter, or 後閲 outstanding."""

    medium = forms.ChoiceField(label=_("媒体"), choices=[("", _("すべて")), *Medium.choices], required=False)
    kind = forms.IntegerField(label=_("事案の種類"), min_value=1, required=False)
    post_review = forms.BooleanField(label=_("後閲待ち"), required=False)

    def drill(self) -> DrillDown:
        d = self.cleaned_data
        return DrillDown(
            medium=d.get("medium") or None, matter_kind_id=d.get("kind"), post_review=bool(d.get("post_review"))
        )
