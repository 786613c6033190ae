"""The institution master's form (照会先の入力)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.inquiries.models import Channel, Institution, InstitutionKind, MatchOn
from cityhall.inquiries.services.institutions import InstitutionInput

FIELDS = (
    "kind",
    "bank_code",
    "branch_code",
    "name",
    "kana",
    "postal_code",
    "address",
    "addressee",
    "region",
    "channel",
    "match_on",
)


class InstitutionForm(forms.Form):
    """An institution (照会先): a bank by its code, or any other by name and address."""

    kind = forms.ChoiceField(label=_("種類"), choices=InstitutionKind.choices)
    bank_code = forms.CharField(
        label=_("銀行コード（4桁）"),
        required=False,
        max_length=8,
        help_text=_("銀行・信用金庫等のとき。名称とフリガナを空欄にすると全銀協の登録名を使います。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )
    branch_code = forms.CharField(
        label=_("照会先の支店コード（3桁）"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
    )
    name = forms.CharField(label=_("名称"), required=False, max_length=100)
    kana = forms.CharField(label=_("フリガナ"), required=False, max_length=100)
    postal_code = forms.CharField(label=_("郵便番号"), required=False, max_length=10)
    address = forms.CharField(label=_("送付先住所"), max_length=300)
    addressee = forms.CharField(label=_("宛先（部署）"), required=False, max_length=100)
    region = forms.CharField(
        label=_("地域"), required=False, max_length=40, help_text=_("例: 東京都。地域ごとに照会先をまとめて選べます。")
    )
    channel = forms.ChoiceField(label=_("照会の方法"), choices=Channel.choices)
    match_on = forms.ChoiceField(label=_("照合の項目"), choices=MatchOn.choices)

    @classmethod
    def initial_of(cls, institution: Institution) -> dict[str, str]:
        """The form's values for an existing institution."""
        return {name: getattr(institution, name) for name in FIELDS}

    def data_input(self) -> InstitutionInput:
        """The valid form as the services take it."""
        return InstitutionInput(**{name: self.cleaned_data.get(name) or "" for name in FIELDS})
