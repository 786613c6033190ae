"""Forms of the budget movements (流用・予備費充用・繰越の入力)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import YenField
from cityhall.finance.forms._common import LineChoiceField
from cityhall.finance.models import (
    BudgetLine,
    TransferKind,
)

CARRY_KINDS = (TransferKind.CARRY_EXPLICIT, TransferKind.CARRY_ACCIDENT)


class MovementForm(forms.Form):
    """A movement of budget between lines (流用・予備費充用): title, source, target, amount, reason."""

    title = forms.CharField(label=_("件名"), max_length=200, error_messages={"required": _("件名を入力してください。")})
    source = LineChoiceField(
        label=_("流用元"),
        queryset=BudgetLine.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("流用元を選んでください。"), "invalid_choice": _("予算科目が見つかりません。")},
    )
    target = LineChoiceField(
        label=_("流用先"),
        queryset=BudgetLine.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("流用先を選んでください。"), "invalid_choice": _("予算科目が見つかりません。")},
    )
    amount = YenField(
        label=_("流用額（円）"), label_for_message="流用額", error_messages={"required": _("金額を入力してください。")}
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("理由を入力してください。")},
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sources: QuerySet[BudgetLine], targets: QuerySet[BudgetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values ``transfer_draft`` and ``reserve_use_draft`` take."""
        return {name: self.cleaned_data[name] for name in ("title", "source", "target", "amount", "reason")}


class ReserveUseForm(MovementForm):
    """A reserve-fund use (予備費充用): from the 予備費 line to another line of the account and year."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].label = _("充用元（予備費）")
        self.fields["target"].label = _("充用先")
        self.fields["amount"].label = _("充用額（円）")
        self.fields["amount"].label_for_message = "充用額"  # type: ignore[attr-defined]


class CarryOverForm(forms.Form):
    """A carry-over (繰越明許・事故繰越) of a line's unallotted budget into the same line of next year."""

    title = forms.CharField(label=_("件名"), max_length=200, error_messages={"required": _("件名を入力してください。")})
    source = LineChoiceField(
        label=_("繰越元の予算科目"),
        queryset=BudgetLine.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("繰越元を選んでください。"), "invalid_choice": _("予算科目が見つかりません。")},
    )
    kind = forms.ChoiceField(
        label=_("繰越の種類"),
        choices=[
            ("", _("選んでください")),
            *((k.value, k.label) for k in (TransferKind.CARRY_EXPLICIT, TransferKind.CARRY_ACCIDENT)),
        ],
        error_messages={"required": _("繰越の種類を選んでください。")},
    )
    amount = YenField(
        label=_("繰越額（円）"), label_for_message="繰越額", error_messages={"required": _("金額を入力してください。")}
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("理由を入力してください。")},
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sources: QuerySet[BudgetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values ``carry_over_draft`` takes."""
        return {name: self.cleaned_data[name] for name in ("title", "source", "kind", "amount", "reason")}
