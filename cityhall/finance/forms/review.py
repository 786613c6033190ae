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
