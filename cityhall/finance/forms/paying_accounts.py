"""The form of a 会計's paying account (会計別の支払口座): six fields, all blank for the city-wide setting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.finance.models import PayingAccountType


class PayingAccountForm(forms.Form):
    """The paying account of one 会計 as the 全銀 header names it; the service checks each field."""

    requester_code = forms.CharField(label=_("依頼人コード（10桁）"), required=False, max_length=20)
    requester_name = forms.CharField(label=_("依頼人名（カナ）"), required=False, max_length=80)
    bank_code = forms.CharField(label=_("金融機関コード（4桁）"), required=False, max_length=10)
    branch_code = forms.CharField(label=_("支店コード（3桁）"), required=False, max_length=10)
    account_type = forms.ChoiceField(
        label=_("預金種目"), required=False, choices=[("", "―"), *PayingAccountType.choices]
    )
    account_number = forms.CharField(label=_("口座番号（7桁）"), required=False, max_length=20)
