"""Forms of the budget movements (流用・予備費充用・繰越の入力)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import YenField
from cityhall.core.japanese.display import shown_yen
from cityhall.finance.forms._common import LineChoiceField
from cityhall.finance.models import (
    BudgetLine,
    CarryAllowance,
    ContinuingExpense,
    Encumbrance,
    TransferKind,
)

CARRY_KINDS = (TransferKind.CARRY_EXPLICIT, TransferKind.CARRY_ACCIDENT, TransferKind.CARRY_CONTINUING)


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
    """A carry-over into the same heading of next year, with the ground of its kind.

    繰越明許 names its 繰越明許費, 事故繰越 the encumbrance it carries (then the source is the
    encumbrance's line and may be left empty), 逓次繰越 its 継続費.
    """

    title = forms.CharField(label=_("件名"), max_length=200, error_messages={"required": _("件名を入力してください。")})
    source = LineChoiceField(
        label=_("繰越元の予算科目"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("予算科目が見つかりません。")},
    )
    kind = forms.ChoiceField(
        label=_("繰越の種類"),
        choices=[("", _("選んでください")), *((k.value, k.label) for k in CARRY_KINDS)],
        error_messages={"required": _("繰越の種類を選んでください。")},
    )
    allowance = forms.ModelChoiceField(
        label=_("繰越明許費（繰越明許のとき）"),
        queryset=CarryAllowance.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("繰越明許費が見つかりません。")},
    )
    encumbrance = forms.ModelChoiceField(
        label=_("繰り越す支出負担行為（事故繰越のとき）"),
        queryset=Encumbrance.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("支出負担行為が見つかりません。")},
    )
    continuing = forms.ModelChoiceField(
        label=_("継続費（逓次繰越のとき）"),
        queryset=ContinuingExpense.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("継続費が見つかりません。")},
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

    def __init__(
        self,
        *args: Any,
        sources: QuerySet[BudgetLine],
        encumbrances: QuerySet[Encumbrance] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        years = set(sources.values_list("fiscal_year", flat=True))
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
        allowances = CarryAllowance.objects.filter(fiscal_year__in=years).select_related("kou")
        self.fields["allowance"].queryset = allowances  # type: ignore[attr-defined]
        self.fields["encumbrance"].queryset = (  # type: ignore[attr-defined]
            encumbrances if encumbrances is not None else Encumbrance.objects.none()
        )
        self.fields["encumbrance"].label_from_instance = _encumbrance_label  # type: ignore[attr-defined]
        # A 継続費 carries from any of its years but the last (令145条①).
        carriable = ContinuingExpense.objects.filter(
            first_year__lte=max(years, default=0), last_year__gt=min(years, default=0)
        )
        self.fields["continuing"].queryset = carriable  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("source") and not data.get("encumbrance") and not self.has_error("source"):
            self.add_error("source", _("繰越元の予算科目か、繰り越す支出負担行為を選んでください。"))
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values ``carry_over_draft`` takes."""
        names = ("title", "source", "kind", "amount", "reason", "allowance", "encumbrance", "continuing")
        return {name: self.cleaned_data[name] for name in names}


def _encumbrance_label(encumbrance: Encumbrance) -> str:
    return f"{encumbrance.document.number_label} {encumbrance.document.title} / {shown_yen(encumbrance.amount)}"
