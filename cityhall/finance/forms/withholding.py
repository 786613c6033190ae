"""Forms of the 歳計外現金 (源泉所得税) ledger: the month to pay to the tax office, the year of 支払調書."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.finance.services.withholding import parse_month


class RemitForm(forms.Form):
    """The month whose withheld tax is paid to the tax office (納付する徴収月)."""

    month = forms.CharField(
        label=_("徴収月"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"required": _("徴収月を入力してください（例: 2026-11）。")},
    )

    def clean_month(self) -> dt.date:
        value = self.cleaned_data["month"]
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(
                _("徴収月は「2026-11」の形で入力してください（入力: 「%(v)s」）。") % {"v": value}
            )
        return month
