"""Forms of the encumbrance screens (支出負担行為の入力): drafting, correcting, amending and cancelling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.forms import ModelChoice, YenField
from cityhall.finance.contracts import SPENDING_CONTRACT_KINDS
from cityhall.finance.forms._common import DATE, LineChoiceField, active_creditors
from cityhall.finance.models import (
    BudgetLine,
    ContractMethod,
    Creditor,
    Encumbrance,
    NegotiatedGround,
)
from cityhall.finance.selectors.budget import section_lines

CONTRACT_FIELDS = ("negotiated_ground", "contract_kind", "unit_price", "contract_number", "contract_date")


class EncumbranceForm(forms.Form):
    """A new encumbrance (支出負担行為の起案)."""

    title = forms.CharField(label=_("件名"), max_length=200, error_messages={"required": _("件名を入力してください。")})
    line = LineChoiceField(
        label=_("予算科目"),
        queryset=BudgetLine.objects.none(),
        empty_label=_("選んでください"),
        error_messages={
            "required": _("予算科目を選んでください。"),
            "invalid_choice": _("この予算科目は所属課に配当されていません。"),
        },
    )
    creditor = ModelChoice(
        label=_("債権者（契約の相手方）"),
        queryset=Creditor.objects.none(),
        empty_label=_("選んでください"),
        error_messages={
            "required": _("債権者を選んでください。"),
            "invalid_choice": _("債権者が見つかりません。"),
        },
    )
    amount = YenField(label=_("金額（円）"), error_messages={"required": _("金額を入力してください。")})
    contract_method = forms.ChoiceField(
        label=_("契約方法（地方自治法第234条）"),
        choices=[("", _("選んでください")), *ContractMethod.choices],
        error_messages={"required": _("契約方法を選んでください。")},
    )
    negotiated_ground = forms.ChoiceField(
        label=_("随意契約の理由（地方自治法施行令第167条の2第1項）"),
        required=False,
        choices=[("", _("随意契約のときに選んでください")), *NegotiatedGround.choices],
    )
    contract_kind = forms.ChoiceField(
        label=_("契約の種類（令別表第5）"),
        required=False,
        choices=[("", _("予算科目の節から決める")), *[(k.value, k.label) for k in SPENDING_CONTRACT_KINDS]],
        help_text=_(
            "空欄のときは節から決めます（工事請負費は工事、備品購入費・需用費は買入れ、使用料及び賃借料は借入れ）。"
        ),
    )
    unit_price = forms.BooleanField(label=_("単価契約"), required=False)
    contract_number = forms.CharField(label=_("契約番号"), max_length=40, required=False)
    contract_date = forms.DateField(
        label=_("契約日"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("契約日を正しい日付で入力してください。")},
    )
    deadline = forms.DateField(
        label=_("履行期限"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("履行期限を正しい日付で入力してください。")},
    )
    body = forms.CharField(label=_("本文（内容・理由）"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = section_lines(user, on=on)  # type: ignore[attr-defined]
        self.fields["creditor"].queryset = active_creditors()  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values ``encumbrance_draft`` takes."""
        names = ("title", "line", "creditor", "amount", "contract_method", "deadline", "body", *CONTRACT_FIELDS)
        return {name: self.cleaned_data[name] for name in names}


class EncumbranceEditForm(EncumbranceForm):
    """A correction of a draft or sent-back encumbrance (支出負担行為の修正).

    The budget line (予算科目) stays as drafted, and the body (本文) is edited on
    the document's own page, so neither is a field here.
    """

    def __init__(self, *args: Any, user: User, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, user=user, on=on, **kwargs)
        for name in ("line", "body", "form_token"):
            del self.fields[name]

    @staticmethod
    def initial_for(encumbrance: Encumbrance) -> dict[str, Any]:
        """The form's values from the encumbrance as saved (修正前の内容)."""
        return {
            "title": encumbrance.document.title,
            "creditor": encumbrance.creditor_id,
            "amount": f"{encumbrance.amount:,}",
            "contract_method": encumbrance.contract_method,
            "deadline": encumbrance.deadline,
            **{name: getattr(encumbrance, name) for name in CONTRACT_FIELDS},
        }

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values ``encumbrance_update`` takes (an empty deadline clears it)."""
        names = ("title", "creditor", "amount", "contract_method", "deadline", *CONTRACT_FIELDS)
        return {name: self.cleaned_data[name] for name in names}


class AmendForm(forms.Form):
    """A decrease of a decided encumbrance's amount (支出負担行為の減額)."""

    amount = YenField(
        label=_("減額後の金額（円）"),
        help_text=_(
            "減額のみできます（支出命令済額未満にはできません）。"
            "増額は、変更契約を起案して変更後の総額による決裁を受けてください。"
        ),
        error_messages={"required": _("変更後の金額を入力してください。")},
    )
    reason = forms.CharField(
        label=_("変更理由"), max_length=200, error_messages={"required": _("変更理由を入力してください。")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "amend")
        super().__init__(*args, **kwargs)


class ChangeForm(forms.Form):
    """A 変更契約 (支出負担行為の変更): the new total, routed by it, with the reason."""

    new_amount = YenField(
        label=_("変更後の金額（総額・円）"),
        help_text=_("増額・減額とも変更後の総額を入力します。決裁区分は変更後の総額で決まります。"),
        error_messages={"required": _("変更後の金額を入力してください。")},
    )
    reason = forms.CharField(
        label=_("変更の理由"), max_length=300, error_messages={"required": _("変更の理由を入力してください。")}
    )
    change_date = forms.DateField(
        label=_("変更契約日"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("変更契約日を正しい日付で入力してください。")},
    )
    new_deadline = forms.DateField(
        label=_("変更後の履行期限"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("履行期限を正しい日付で入力してください。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "change")
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    """The cancellation of a decided encumbrance (支出負担行為の取消)."""

    reason = forms.CharField(
        label=_("取消理由"), max_length=200, error_messages={"required": _("取消理由を入力してください。")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cancel")
        super().__init__(*args, **kwargs)
