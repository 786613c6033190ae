"""Forms of the disposal/transfer lists' screens (廃棄・移管リストの画面の入力): shape only, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import ModelChoice, WholeNumberField
from cityhall.org.models import OrgUnit, UnitKind


class DisposalListForm(forms.Form):
    """A new list (廃棄・移管リストの作成): the date retention ended by and, for the 文書主管, whose records."""

    due_by = forms.DateField(
        label=_("保存期間満了日（この日までに満了した文書）"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("保存期間満了日を入力してください。"),
            "invalid": _("保存期間満了日を正しい日付で入力してください。"),
        },
    )
    section = ModelChoice(
        label=_("対象の課"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("全庁（対象のある課ごとに作成）"),
        help_text=_("文書主管は全庁または任意の課のリストを作成できます。"),
    )

    def __init__(self, *args: Any, manager: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if manager:
            units = OrgUnit.objects.exclude(kind=UnitKind.SUBSECTION).order_by("sort_order", "code")
            self.fields["section"].queryset = units  # type: ignore[attr-defined]
        else:
            del self.fields["section"]


class ExpectedVersionForm(forms.Form):
    """The version of the list the user saw (楽観的排他), for choosing 廃棄/移管 and for submitting."""

    expected_version = WholeNumberField(widget=forms.HiddenInput)
