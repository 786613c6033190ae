"""The reminder form (督促): how many days the institution gets to answer from the reminder."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import WholeNumberField


class ReminderForm(forms.Form):
    """A reminder of an overdue letter: the new deadline, in days from today."""

    reply_days = WholeNumberField(
        label=_("新しい回答期限（督促日から）"),
        min_value=1,
        max_value=120,
        initial=14,
        help_text=_("日数（1〜120日）"),
        error_messages={
            "required": _("新しい回答期限までの日数を入力してください。"),
            "min_value": _("新しい回答期限は督促日から1日以上120日以内にしてください。"),
            "max_value": _("新しい回答期限は督促日から1日以上120日以内にしてください。"),
            "invalid": _("日数は半角の数字で入力してください。"),
        },
    )
