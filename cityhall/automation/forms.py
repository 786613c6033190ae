"""Forms of automation: invoice files to upload (many, or a folder), and a recurring payment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cityhall.automation.models import SupplierMapping
from cityhall.core.forms import ModelChoice, YenField
from cityhall.core.japanese.display import shown_fiscal_year
from cityhall.finance.models import BudgetLine, Creditor


class LineChoiceField(ModelChoice):
    """A budget line with its fiscal year (「令和8年度 一般会計 2款…10節需用費」)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{shown_fiscal_year(obj.fiscal_year)} {obj.label}"


class _ManyFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class _ManyFilesField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(_ManyFilesField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    """Invoice files (JP PINT XML, or a supplier's CSV/Excel) chosen one by one or as a folder; dry run or not."""

    invoices = _ManyFilesField(
        label=_("請求書ファイル（JP PINT の XML、CSV、Excel）"),
        widget=_ManyFiles(attrs={"accept": ".xml,.csv,.xlsx"}),
        error_messages={"required": _("取り込む請求書ファイルを選んでください。")},
    )
    supplier = forms.ModelChoiceField(
        label=_("CSV・Excel の取引先（読み取り形式）"),
        queryset=SupplierMapping.objects.select_related("creditor").order_by("creditor__code"),
        required=False,
        empty_label=_("自動（ファイルに書かれた登録番号の取引先）"),
        error_messages={"invalid_choice": _("取引先の読み取り形式が見つかりません。")},
    )
    dry_run = forms.BooleanField(label=_("試行（保存せず、取り込んだ場合の結果だけを確かめる）"), required=False)


class RecurringForm(forms.Form):
    """A recurring payment (定例支払): name, supplier, budget line, fixed amount, variable part, tax, pay day."""

    name = forms.CharField(label=_("名称"), max_length=100, error_messages={"required": _("名称を入力してください。")})
    creditor = ModelChoice(
        label=_("債権者"),
        queryset=Creditor.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("債権者を選んでください。"), "invalid_choice": _("債権者が見つかりません。")},
    )
    line = LineChoiceField(
        label=_("予算科目"),
        queryset=BudgetLine.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("予算科目を選んでください。"), "invalid_choice": _("予算科目が見つかりません。")},
    )
    base_amount = YenField(label=_("定額（税込・円）"), label_for_message="定額", minimum=0, required=False)
    variable = forms.BooleanField(label=_("毎月、変動分を入力する（電気・水道など）"), required=False)
    tax_rate = forms.TypedChoiceField(
        label=_("税率"), choices=[(10, "10%"), (8, "8%"), (0, "0%")], coerce=int, initial=10
    )
    pay_day = forms.IntegerField(
        label=_("支払日（毎月）"),
        min_value=1,
        max_value=31,
        initial=25,
        error_messages={"required": _("支払日を入力してください。"), "min_value": _("1〜31日で入力してください。"),
                        "max_value": _("1〜31日で入力してください。"), "invalid": _("1〜31日で入力してください。")},
    )  # fmt: skip

    def __init__(self, *args: Any, creditors: QuerySet[Creditor], lines: QuerySet[BudgetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creditor"].queryset = creditors  # type: ignore[attr-defined]
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]


class SwitchoverForm(forms.Form):
    """A switch-over file (移行データ) of one kind, CSV or Excel; dry run or not."""

    kind = forms.ChoiceField(label=_("移行データの種類"), error_messages={"required": _("種類を選んでください。")})
    file = forms.FileField(
        label=_("ファイル（CSV・Excel）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": _("取り込むファイルを選んでください。")},
    )
    dry_run = forms.BooleanField(label=_("試行（登録せず、取り込んだ場合の結果だけを確かめる）"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["kind"].error_messages["invalid_choice"] = _("その種類の移行データは取り込めません。")


class SwitchoverLayoutForm(forms.Form):
    """Where each field of a kind is (a header or 「#3」), the header row, the sheet, a sample to preview."""

    header_row = forms.IntegerField(label=_("見出しの行"), min_value=0, max_value=1000, initial=1)
    sheet = forms.CharField(label=_("シート名（Excel、空欄なら最初のシート）"), max_length=31, required=False)
    sample = forms.FileField(label=_("見本のファイル（CSV・Excel、プレビュー用）"), required=False)

    def __init__(self, *args: Any, fields: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.column_names = [name for name, _label, _hint in fields]
        for name, label, hint in fields:
            # The usual headers are Japanese as the files write them, whatever the page's language.
            shown = format_html('<span lang="ja">{}</span>', hint)
            self.fields[f"col_{name}"] = forms.CharField(label=label, max_length=100, required=False, help_text=shown)

    def layout(self) -> dict[str, Any]:
        """The layout as ``Layout.from_dict`` takes it (empty columns left out: their usual headers apply)."""
        columns = {n: self.cleaned_data[f"col_{n}"].strip() for n in self.column_names}
        return {
            "columns": {n: c for n, c in columns.items() if c},
            "header_row": self.cleaned_data["header_row"],
            "sheet": self.cleaned_data["sheet"].strip() or None,
        }
