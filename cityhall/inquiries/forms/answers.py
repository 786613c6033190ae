"""The answers' forms (回答): import a file, type in a paper reply, decide a row, an institution's columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import ModelChoice, YenField
from cityhall.core.tables import Field
from cityhall.inquiries.models import AccountType, AnswerResult, BatchPerson, Letter
from cityhall.inquiries.services.answers import AssetInput, ManualAnswer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OTHER, NOT_OURS = "other", "not_ours"


class LetterChoice(ModelChoice):
    """A letter by its institution."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number or '—'} {obj.institution.name}（{obj.get_status_display()}）"


class AnswerImportForm(forms.Form):
    """An answer file (回答ファイル, CSV or Excel) for one letter of the batch, and the day it came."""

    letter = LetterChoice(label=_("照会先（照会書）"), queryset=Letter.objects.none())
    file = forms.FileField(
        label=_("回答ファイル（CSV・Excel）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": _("取り込むファイルを選んでください。")},
    )
    received_on = forms.DateField(label=_("回答日（空欄なら今日）"), required=False, widget=DATE)

    def __init__(self, *args: Any, letters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letter"].queryset = letters  # type: ignore[attr-defined]


class AssetForm(forms.Form):
    """One asset of a paper reply (判明財産)."""

    branch_name = forms.CharField(label=_("支店名"), max_length=100, required=False)
    branch_code = forms.CharField(label=_("支店番号"), max_length=10, required=False)
    account_type = forms.ChoiceField(label=_("預金種目"), choices=[("", "—"), *AccountType.choices], required=False)
    account_number = forms.CharField(label=_("口座番号・証券番号"), max_length=30, required=False)
    balance = YenField(label=_("残高・解約返戻金"), label_for_message="残高", minimum=0, required=False)
    last_transaction_on = forms.DateField(label=_("最終取引日"), required=False, widget=DATE)

    def asset(self, *, policy: bool) -> AssetInput | None:
        """The asset typed in, or None for an empty row; ``policy``: the number is an insurance policy's."""
        data = self.cleaned_data
        if not (data.get("account_number") or data.get("balance") is not None or data.get("branch_name")):
            return None
        number, balance = data.get("account_number", "").strip(), data.get("balance")
        return AssetInput(
            branch_name=data.get("branch_name", ""),
            branch_code=data.get("branch_code", ""),
            account_type=data.get("account_type", ""),
            account_number="" if policy else number,
            policy_number=number if policy else "",
            balance=None if policy else balance,
            surrender_value=balance if policy else None,
            last_transaction_on=data.get("last_transaction_on"),
        )


AssetFormSet = forms.formset_factory(AssetForm, extra=3, max_num=20, validate_max=True)


class ManualAnswerForm(forms.Form):
    """A paper reply about one person (回答書の入力): whom, what was answered, when."""

    resident_number = forms.CharField(
        label=_("宛名番号"), max_length=20, help_text=_("照会書の対象者一覧にある宛名番号です。")
    )
    result = forms.ChoiceField(label=_("回答の内容"), choices=AnswerResult.choices, widget=forms.RadioSelect)
    received_on = forms.DateField(label=_("回答日（空欄なら今日）"), required=False, widget=DATE)
    note = forms.CharField(label=_("備考"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def answer(self, assets: Sequence[AssetInput]) -> ManualAnswer:
        """What the service takes."""
        data = self.cleaned_data
        return ManualAnswer(
            resident_number=data["resident_number"],
            result=data["result"],
            received_on=data.get("received_on"),
            assets=tuple(assets),
            note=data.get("note", ""),
        )


class DecideForm(forms.Form):
    """Whose a row is (照合の確定): one of the likely persons, another 宛名番号, or not ours (対象外)."""

    choice = forms.ChoiceField(label=_("この回答の対象者"), widget=forms.RadioSelect)
    other_number = forms.CharField(label=_("ほかの宛名番号"), max_length=20, required=False)

    def __init__(self, *args: Any, persons: Sequence[BatchPerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [  # type: ignore[attr-defined]
            *((p.person.resident_number, f"{p.person.resident_number} {p.name}（{p.kana}）") for p in persons),
            (OTHER, _("ほかの対象者（宛名番号を入力）")),
            (NOT_OURS, _("対象外（この照会の対象者ではない）")),
        ]

    def decision(self) -> tuple[str, bool]:
        """(宛名番号, not ours) as the service takes them."""
        choice = self.cleaned_data["choice"]
        if choice == NOT_OURS:
            return "", True
        if choice == OTHER:
            return self.cleaned_data.get("other_number", "").strip(), False
        return choice, False


class AnswerLayoutForm(forms.Form):
    """Where each field of the institution's answer files is (a header or 「#3」), a sample to preview."""

    header_row = forms.IntegerField(label=_("見出しの行"), min_value=0, max_value=1000, initial=1)
    sheet = forms.CharField(label=_("シート名（Excel、空欄なら最初のシート）"), max_length=31, required=False)
    sample = forms.FileField(label=_("見本のファイル（CSV・Excel、プレビュー用）"), required=False)

    def __init__(self, *args: Any, fields: Sequence[Field], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.column_names = [f.name for f in fields]
        for spec in fields:
            # The usual headers are Japanese as the files write them, whatever the page's language.
            hint = format_html('<span lang="ja">{}</span>', "・".join((spec.label, *spec.headers)))
            self.fields[f"col_{spec.name}"] = forms.CharField(
                label=_(spec.label), max_length=100, required=False, help_text=hint
            )

    def layout(self) -> dict[str, Any]:
        """The layout as ``Layout.from_dict`` takes it (empty columns left out: their usual headers apply)."""
        columns = {n: self.cleaned_data[f"col_{n}"].strip() for n in self.column_names}
        return {
            "columns": {n: c for n, c in columns.items() if c},
            "header_row": self.cleaned_data["header_row"],
            "sheet": self.cleaned_data["sheet"].strip() or None,
        }
