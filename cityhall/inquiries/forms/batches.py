"""The batch draft form (預貯金等照会の作成): persons by the filters, institutions, the terms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import ModelMultipleChoice, WholeNumberField
from cityhall.inquiries.forms.persons import PersonFilterFields
from cityhall.inquiries.models import Institution
from cityhall.inquiries.models.batches import LEGAL_BASIS
from cityhall.inquiries.services.batches import BatchTerms, InstitutionChoice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstitutionChoiceField(ModelMultipleChoice):
    """Institutions in use, each with its kind."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class BatchDraftForm(PersonFilterFields):
    """Who is asked (the filters), of whom (institutions, a region), and the terms the approver decides."""

    institutions = InstitutionChoiceField(
        label=_("照会先"), queryset=Institution.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    region = forms.ChoiceField(
        label=_("地域の銀行等をすべて照会する"),
        required=False,
        help_text=_("選んだ地域の銀行等とゆうちょ銀行を追加します。"),
    )
    where_seen = forms.BooleanField(
        label=_("納付や以前の回答で取引が確認された金融機関も照会する"),
        required=False,
        help_text=_("滞納者ごとに、口座振替・納付の金融機関と、以前の照会で財産が判明した照会先を追加します。"),
    )
    title = forms.CharField(
        label=_("件名"), required=False, max_length=200, help_text=_("空欄のときは人数と照会先の数から付けます。")
    )
    purpose = forms.CharField(
        label=_("照会の目的"),
        max_length=1000,
        initial=_("滞納処分のための財産調査"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    legal_basis = forms.CharField(label=_("根拠法令"), max_length=200, initial=LEGAL_BASIS)
    base_date = forms.DateField(label=_("残高の基準日"), widget=DATE)
    period_from = forms.DateField(label=_("取引履歴の照会期間（開始）"), required=False, widget=DATE)
    period_to = forms.DateField(label=_("取引履歴の照会期間（終了）"), required=False, widget=DATE)
    reply_days = WholeNumberField(label=_("回答期限（送付日から何日）"), min_value=1, max_value=120, initial=14)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, institutions: Any = None, regions: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if institutions is not None:
            self.fields["institutions"].queryset = institutions  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", _("選ばない")), *((r, r) for r in regions)]  # type: ignore[attr-defined]
        self.fields["base_date"].initial = timezone.localdate()

    def terms(self) -> BatchTerms:
        """The valid form's terms."""
        data = self.cleaned_data
        return BatchTerms(
            purpose=data["purpose"],
            base_date=data["base_date"],
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            reply_days=data["reply_days"],
            legal_basis=data.get("legal_basis") or LEGAL_BASIS,
            title=data.get("title") or "",
        )

    def choice(self) -> InstitutionChoice:
        """The valid form's institutions."""
        chosen = self.cleaned_data.get("institutions") or []
        return InstitutionChoice(
            institution_ids=[i.pk for i in chosen],
            region=self.cleaned_data.get("region") or "",
            where_seen=bool(self.cleaned_data.get("where_seen")),
        )
