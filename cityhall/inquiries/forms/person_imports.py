"""Forms of the import of the tax system's list (滞納者一覧の取込): the file, and the column layout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from cityhall.core.tables import Field
from cityhall.org.models import OrgUnit


class SectionChoice(forms.ModelChoiceField):
    """The 課 imported into, shown when the collector has more than one."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _section_field(sections: Sequence[OrgUnit]) -> forms.Field:
    ids = [s.pk for s in sections]
    field = SectionChoice(label=_("担当課"), queryset=OrgUnit.objects.filter(pk__in=ids), empty_label=None)
    if len(sections) == 1:  # the only one: nothing to choose (an empty value is that section)
        field.widget = forms.HiddenInput()
        field.initial = sections[0].pk
        field.required = False
    return field


class PersonImportForm(forms.Form):
    """The file to import (CSV or Excel), the section, and whether it is a dry run (試行)."""

    file = forms.FileField(label=_("滞納者一覧のファイル（CSV・Excel）"))
    dry_run = forms.BooleanField(
        label=_("試行（登録せずに結果だけを確かめる）"), required=False, help_text=_("誤りがないか先に確かめられます。")
    )

    def __init__(self, *args: Any, sections: Sequence[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"] = _section_field(sections)
        self.order_fields(["section", "file", "dry_run"])


class PersonImportLayoutForm(forms.Form):
    """Where each field is (a header or 「#3」), the header row, the sheet, a sample to preview."""

    header_row = forms.IntegerField(label=_("見出しの行"), min_value=0, max_value=1000, initial=1)
    sheet = forms.CharField(label=_("シート名（Excel、空欄なら最初のシート）"), max_length=31, required=False)
    sample = forms.FileField(label=_("見本のファイル（CSV・Excel、プレビュー用）"), required=False)

    def __init__(self, *args: Any, fields: Sequence[Field], sections: Sequence[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"] = _section_field(sections)
        self.column_names = [f.name for f in fields]
        for spec in fields:
            # The usual headers are Japanese as the files write them, whatever the page's language.
            hint = format_html('<span lang="ja">{}</span>', "・".join((spec.label, *spec.headers)))
            label = gettext_now(spec.label) + (" *" if spec.required else "")
            column = forms.CharField(label=label, max_length=100, required=False, help_text=hint)
            self.fields[f"col_{spec.name}"] = column
        self.order_fields(["section", *[f"col_{n}" for n in self.column_names], "header_row", "sheet", "sample"])

    def layout(self) -> dict[str, Any]:
        """The layout as ``Layout.from_dict`` takes it (empty columns left out: their usual headers apply)."""
        columns = {n: self.cleaned_data[f"col_{n}"].strip() for n in self.column_names}
        return {
            "columns": {n: c for n, c in columns.items() if c},
            "header_row": self.cleaned_data["header_row"],
            "sheet": self.cleaned_data["sheet"].strip() or None,
        }
