"""The audit room's filter form (検索条件): every bad value gets a Japanese message naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityhall.auditroom.selectors import AuditFilters
from cityhall.core.audit.labels import action_choices, object_type_choices
from cityhall.org.models import OrgUnit, UnitKind

MAX_PAGE = 1_000_000
OFFICE_CHOICES = [("", _("すべて")), ("office", _("庁内")), ("remote", _("庁外"))]
EARLIEST = dt.date(1989, 1, 8)
LATEST = dt.date(2200, 12, 31)


def _max_page_message() -> str:
    """The page number's upper bound, with its thousands separator, in the request's language."""
    return gettext("ページ: %(max)s 以下で指定してください。") % {"max": f"{MAX_PAGE:,}"}


def _invalid(reason: Any) -> dict[str, Any]:
    """The field's own message (the summary at the top puts the field's name before it)."""
    return {"invalid": reason, "invalid_choice": reason}


class AuditFilterForm(forms.Form):
    """Person, section, action, object type, object, Japan date range, office/remote and page."""

    person = forms.CharField(label=_("職員（ユーザー名または氏名）"), required=False, max_length=150)
    section = forms.ModelChoiceField(
        label=_("課"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("すべて"),
        error_messages=_invalid(_("一覧から選んでください。")),
    )
    action = forms.ChoiceField(label=_("操作"), required=False, error_messages=_invalid(_("一覧から選んでください。")))
    object_type = forms.ChoiceField(
        label=_("対象の種類"), required=False, error_messages=_invalid(_("一覧から選んでください。"))
    )
    object = forms.CharField(label=_("対象（IDまたは名称の一部）"), required=False, max_length=255)
    date_from = forms.DateField(
        label=_("日付（から）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=_invalid(_("日付を YYYY-MM-DD で入力してください。")),
    )
    date_to = forms.DateField(
        label=_("日付（まで）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=_invalid(_("日付を YYYY-MM-DD で入力してください。")),
    )
    access = forms.ChoiceField(
        label=_("接続元"),
        choices=OFFICE_CHOICES,
        required=False,
        error_messages=_invalid(_("一覧から選んでください。")),
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("ページ: 1 以上の整数で指定してください。"),
            "min_value": _("ページ: 1 以上の整数で指定してください。"),
            "max_value": lazy(_max_page_message, str)(),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = OrgUnit.objects.filter(kind=UnitKind.SECTION).order_by("code")  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", _("すべて")), *action_choices()]  # type: ignore[attr-defined]
        # Object types: those the apps declare in their audit_labels (reading the distinct types of
        # the whole trail would scan it on every page).
        self.fields["object_type"].choices = [("", _("すべて")), *object_type_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("平成元年（1989年）から2200年までの日付にしてください。"))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("日付（から）以降の日付にしてください。"))
        return data

    def filters(self) -> AuditFilters:
        """The cleaned values as the selector's filters."""
        data = self.cleaned_data
        section = data.get("section")
        office = {"office": True, "remote": False}.get(data.get("access") or "")
        return AuditFilters(
            person=(data.get("person") or "").strip(),
            section_id=section.pk if section is not None else None,
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            object=(data.get("object") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            office=office,
        )

    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1
