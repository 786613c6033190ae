"""The survey's forms: an official's own answers, and the eligibility rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.telework.services.survey import RulesInput, SurveyInput


class SurveyForm(forms.Form):
    """The official's answers; the service refuses impossible ones."""

    has_home_pc = forms.BooleanField(label=_("自宅で使えるパソコンがある"), required=False)
    has_home_network = forms.BooleanField(label=_("自宅にインターネット回線がある"), required=False)
    has_private_space = forms.BooleanField(label=_("自宅に一人で作業できる場所がある"), required=False)
    has_care_duty = forms.BooleanField(label=_("育児・介護がある"), required=False)
    care_detail = forms.CharField(
        label=_("育児・介護の内容"), max_length=200, required=False, help_text=_("育児・介護があるときは必須です。")
    )
    commute_minutes = forms.IntegerField(label=_("通勤時間（分）"), required=False)

    def data_input(self) -> SurveyInput:
        """The answers as the service takes them."""
        return SurveyInput(**self.cleaned_data)


class RulesForm(forms.Form):
    """The eligibility rules."""

    exclude_probation = forms.BooleanField(label=_("条件付採用期間中の職員は対象外"), required=False)
    probation_months = forms.IntegerField(
        label=_("条件付採用期間（月）"), help_text=_("最初の発令からこの月数の間を条件付採用期間とみなします。")
    )
    require_home_pc = forms.BooleanField(label=_("自宅のパソコンが必要"), required=False)
    require_home_network = forms.BooleanField(label=_("自宅の回線が必要"), required=False)
    require_private_space = forms.BooleanField(label=_("一人で作業できる場所が必要"), required=False)

    def data_input(self) -> RulesInput:
        """The rules as the service takes them."""
        return RulesInput(**self.cleaned_data)
