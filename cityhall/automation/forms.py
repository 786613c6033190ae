"""The upload form of invoice files (請求書ファイルの選択): many files or a whole folder at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class _ManyFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class _ManyFilesField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(_ManyFilesField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    """Invoice files (JP PINT XML) chosen one by one, several at once, or as a folder; a dry run or not."""

    invoices = _ManyFilesField(
        label=_("請求書ファイル（JP PINT の XML）"),
        widget=_ManyFiles(attrs={"accept": ".xml,application/xml,text/xml"}),
        error_messages={"required": _("取り込む請求書ファイルを選んでください。")},
    )
    dry_run = forms.BooleanField(label=_("試行（保存せず、取り込んだ場合の結果だけを確かめる）"), required=False)
