"""Forms of the accounting manager's review (会計管理者審査の入力)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReturnForm(forms.Form):
    """The accounting manager's return of an order (返付) with its reason."""

    reason = forms.CharField(
        label=_("返付理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("返付理由を入力してください。")},
    )


class ExportConfirmForm(forms.Form):
    """The figures the accounting manager confirmed before the 全銀 file is written (出力の確認)."""

    expected_orders = forms.IntegerField(
        min_value=0, widget=forms.HiddenInput, error_messages={"required": _("確認した件数が送られていません。")}
    )
    expected_total = forms.IntegerField(
        min_value=0, widget=forms.HiddenInput, error_messages={"required": _("確認した合計金額が送られていません。")}
    )
