"""The telework request form (テレワークの申請) and the calendar's choice of 課 and week."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.telework.models import TeleworkRequest
from cityhall.telework.services import RequestInput


def parse_days(text: str) -> list[dt.date]:
    """Days written one a line or separated by commas or spaces, as 2026/06/10 or 2026-06-10; a bad one is an error."""
    days = []
    written = unicodedata.normalize("NFKC", text)  # full-width digits and ／ as typed on a Japanese keyboard
    for part in re.split(r"[\s,、]+", written.strip()):
        if not part:
            continue
        try:
            days.append(dt.date.fromisoformat(part.replace("/", "-")))
        except ValueError as exc:
            raise forms.ValidationError(
                _("「%(part)s」は日付として読めません（例: 2026/06/10）。") % {"part": part[:20]}
            ) from exc
    return days


class RequestForm(forms.Form):
    """Days, tasks to be done and reachable hours (連絡可能な時間)."""

    days = forms.CharField(
        label=_("テレワークをする日"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("1行に1日、年-月-日で入力します（例: 2026/06/10）。"),
    )
    tasks = forms.CharField(label=_("実施する業務"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    reachable_from = forms.TimeField(
        label=_("連絡可能な時間（から）"), initial=dt.time(9, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    reachable_to = forms.TimeField(
        label=_("連絡可能な時間（まで）"), initial=dt.time(17, 45), widget=forms.TimeInput(attrs={"type": "time"})
    )

    @staticmethod
    def initial_of(request: TeleworkRequest) -> dict[str, Any]:
        """A request's values as the form shows them (one day a line, as typed)."""
        return {
            "days": "\n".join(f"{d.day:%Y/%m/%d}" for d in request.days.all()),
            "tasks": request.tasks,
            "reachable_from": request.reachable_from,
            "reachable_to": request.reachable_to,
        }

    def clean_days(self) -> list[dt.date]:
        """The days, read strictly."""
        return parse_days(self.cleaned_data["days"])

    def request_input(self) -> RequestInput:
        """The request as the service takes it."""
        data: dict[str, Any] = self.cleaned_data
        return RequestInput(
            days=data["days"],
            tasks=data["tasks"],
            reachable_from=data["reachable_from"],
            reachable_to=data["reachable_to"],
        )


class LimitsForm(forms.Form):
    """The limits of telework days (テレワークの上限), for the 情報政策 role."""

    max_days_per_week = forms.IntegerField(label=_("1週間の上限（1人あたりの日数）"), min_value=1, max_value=7)
    max_section_percent = forms.IntegerField(
        label=_("1日に課の職員の何％までテレワークできるか"),
        min_value=1,
        max_value=100,
        help_text=_("少なくとも1名はテレワークできます。"),
    )
    approved_days_only = forms.BooleanField(
        label=_("庁外からの利用は、承認されたテレワーク日のみ"),
        required=False,
        help_text=_(
            "オンにすると、承認された申請の日でなければ、庁外から文書などを表示できません。方針の画面は除きます。"
        ),
    )
