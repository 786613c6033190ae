"""Forms of the records-management screens (文書の保存・書庫の画面の入力).

保存期間の延長, 原議の補正, 紙決裁の登録, 文書分類表, 書庫・文書保存箱 and 借覧. As in ``forms``, a form only
reads the input's shape (dates, whole numbers, choices, lengths); the services decide and their
``ApplicationError`` is put next to its field by ``cityhall.core.http.apply_error``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import ModelChoice, WholeNumberField, YenField
from cityhall.core.japanese import JapaneseInputError, parse_wareki
from cityhall.core.numbers import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from cityhall.documents.models import (
    ExpiryAction,
    FilePlanClass,
    FilePlanLevel,
    MatterKind,
    StorageBox,
    Storeroom,
)
from cityhall.documents.models.register import PERMANENT, RETENTION_CHOICES
from cityhall.documents.selectors_records import in_force
from cityhall.documents.services.lifecycle import REASON_MAX_LENGTH
from cityhall.org.models import OrgUnit, UnitKind

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")


class JapaneseDateField(forms.DateField):
    """A date as a clerk types it: 2026-04-01, 2026/4/1, full-width digits, or 和暦 (令和8年4月1日, R8.4.1).

    Anything else (2026/13/40, 令和99年, a number of forty digits) is the field's own error, never a 500.
    """

    widget = forms.DateInput(attrs={"type": "date"})
    default_error_messages = {
        "required": _("日付を入力してください。"),
        "invalid": _("日付を正しく入力してください（例: 2026-04-01、令和8年4月1日）。"),
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if not text:
            return None
        if len(text) <= 40:
            for fmt in _DATE_FORMATS:
                try:
                    return dt.datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
            try:
                return parse_wareki(text)
            except JapaneseInputError:
                pass
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def _retention_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RETENTION_CHOICES,
        coerce=int,
        error_messages={
            "required": _("保存期間を選んでください。"),
            "invalid_choice": _("保存期間は1・3・5・10・30年または永年から選んでください。"),
        },
    )


def _reason_field(label: Any, required: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required},
    )


class VersionForm(forms.Form):
    """The version of the record the official saw (楽観的排他)."""

    expected_version = WholeNumberField(
        widget=forms.HiddenInput, error_messages={"required": _("文書の版が送られていません。")}
    )


class RetentionForm(VersionForm):
    """保存期間の延長: the new period (only the longer ones are offered) and the reason."""

    new_years = _retention_field(_("延長後の保存期間"))
    reason = _reason_field(_("延長の理由"), _("延長の理由を入力してください。"))

    def __init__(self, *args: Any, current: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current is not None:
            longer = [(years, label) for years, label in RETENTION_CHOICES if _longer(years, current)]
            self.fields["new_years"].choices = longer  # type: ignore[attr-defined]
            if longer and "new_years" not in self.initial:
                self.initial["new_years"] = longer[0][0]


def _longer(years: int, than: int) -> bool:
    """Whether a retention of ``years`` is longer than ``than`` (0 is 永年, the longest)."""
    if than == PERMANENT:
        return False
    return years == PERMANENT or years > than


class FormalAdditionForm(VersionForm):
    """原議の補正: which field, its new text and the reason."""

    field = forms.ChoiceField(
        label=_("補正する項目"),
        choices=[("title", _("件名")), ("body", _("本文")), ("location", _("保管場所"))],
        error_messages={
            "required": _("補正する項目を選んでください。"),
            "invalid_choice": _("補正できない項目です。件名・本文・保管場所から選んでください。"),
        },
    )
    value = forms.CharField(
        label=_("補正後の内容"),
        required=False,
        max_length=20_000,
        help_text=_("選んだ項目の補正後の全文を入力します。今の内容はこのフォームの下にあります。"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reason = _reason_field(_("補正の理由"), _("補正の理由を入力してください。"))


class PaperDecisionForm(forms.Form):
    """紙決裁の登録: a decision taken on paper, entered in the register with its reason and decider."""

    title = forms.CharField(label=_("件名"), max_length=200, error_messages={"required": _("件名を入力してください。")})
    matter_kind = ModelChoice(
        label=_("事案の種類"),
        queryset=MatterKind.objects.all(),
        empty_label=_("選んでください"),
        error_messages={"required": _("事案の種類を選んでください。")},
    )
    amount = YenField(label=_("金額（円）"), minimum=0, required=False)
    decided_on = JapaneseDateField(
        label=_("決裁日"),
        error_messages={
            "required": _("決裁日を入力してください。"),
            "invalid": _("決裁日を正しい日付で入力してください（例: 2026-04-01、令和8年4月1日）。"),
        },
    )
    decided_by = forms.TypedChoiceField(
        label=_("決裁者"),
        coerce=int,
        error_messages={
            "required": _("決裁者を選んでください。"),
            "invalid_choice": _("決裁者は一覧から選んでください。"),
        },
    )
    paper_reason = forms.CharField(
        label=_("紙で決裁した理由"),
        max_length=200,
        error_messages={"required": _("紙で決裁した理由を入力してください。")},
    )
    file_plan_class = ModelChoice(
        label=_("文書分類"),
        queryset=FilePlanClass.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("文書分類を選んでください。")},
    )
    location = forms.CharField(
        label=_("紙の原議の保管場所"),
        max_length=100,
        help_text=_("例: 総務課執務室 キャビネット2。書庫の箱に入れると箱の場所に置き換わります。"),
        error_messages={"required": _("紙の原議の保管場所を入力してください。")},
    )
    body = forms.CharField(label=_("概要"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    is_confidential = forms.BooleanField(label=_("秘（関係者のみ閲覧）"), required=False)
    has_personal_info = forms.BooleanField(label=_("個人情報を含む"), required=False)
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, deciders: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].choices = [("", _("選んでください")), *(deciders or [])]  # type: ignore[attr-defined]
        self.fields["file_plan_class"].queryset = in_force()  # type: ignore[attr-defined]


def _unit_choices() -> Any:
    """Units that keep records (課, and the 部 and 特別職 whose own staff draft)."""
    return OrgUnit.objects.exclude(kind=UnitKind.SUBSECTION).order_by("code")


class FilePlanClassForm(forms.Form):
    """A class of the file plan (文書分類): code and parent only when added, the rest also when changed."""

    parent = ModelChoice(
        label=_("上位分類"),
        queryset=FilePlanClass.objects.none(),
        required=False,
        empty_label=_("なし（大分類として追加）"),
        error_messages={"invalid_choice": _("上位分類は一覧から選んでください。")},
    )
    code = forms.CharField(
        label=_("分類コード"),
        max_length=30,
        help_text=_("半角の英数字とハイフン（例: 01-02-03）。追加した後は変更できません。"),
        error_messages={"required": _("分類コードを入力してください。")},
    )
    name = forms.CharField(
        label=_("分類名"), max_length=100, error_messages={"required": _("分類名を入力してください。")}
    )
    retention_years = _retention_field(_("保存期間"))
    expiry_action = forms.ChoiceField(
        label=_("満了時の措置"),
        choices=ExpiryAction.choices,
        error_messages={"invalid_choice": _("満了時の措置は「廃棄」か「移管」を選んでください。")},
    )
    section = ModelChoice(
        label=_("主管課"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("指定しない"),
        error_messages={"invalid_choice": _("主管課は一覧から選んでください。")},
    )
    sort_order = WholeNumberField(
        label=_("表示順"),
        required=False,
        max_value=1_000_000,
        help_text=_("空欄のときは最後に並びます。"),
        error_messages={
            "invalid": _("表示順は半角または全角の数字で入力してください。"),
            "max_value": _("表示順は1,000,000以下にしてください。"),
            "min_value": _("表示順は0以上にしてください。"),
        },
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = _unit_choices()  # type: ignore[attr-defined]
        self.fields["parent"].queryset = in_force().filter(level__lt=FilePlanLevel.MINOR)  # type: ignore[attr-defined]
        if editing:
            del self.fields["parent"], self.fields["code"]


class FilePlanEndForm(forms.Form):
    """文書分類の廃止: the last day the class may be chosen."""

    valid_to = JapaneseDateField(
        label=_("廃止日（この日まで使えます）"),
        error_messages={
            "required": _("廃止日を入力してください。"),
            "invalid": _("廃止日を正しい日付で入力してください（例: 2027-03-31、令和9年3月31日）。"),
        },
    )


class StoreroomForm(forms.Form):
    """書庫の登録."""

    name = forms.CharField(
        label=_("書庫名"), max_length=100, error_messages={"required": _("書庫名を入力してください。")}
    )
    place = forms.CharField(label=_("所在"), max_length=200, required=False, help_text=_("例: 本庁舎 地下1階"))


class StorageBoxForm(forms.Form):
    """文書保存箱の登録: a section's box on a shelf of a storeroom."""

    storeroom = ModelChoice(
        label=_("書庫"),
        queryset=Storeroom.objects.order_by("name"),
        empty_label=_("選んでください"),
        error_messages={"required": _("書庫を選んでください。"), "invalid_choice": _("書庫は一覧から選んでください。")},
    )
    section = ModelChoice(
        label=_("課"),
        queryset=OrgUnit.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("課を選んでください。"), "invalid_choice": _("課は一覧から選んでください。")},
    )
    label = forms.CharField(
        label=_("箱番号"), max_length=40, error_messages={"required": _("箱番号を入力してください。")}
    )
    shelf = forms.CharField(label=_("棚"), max_length=40, required=False)
    fiscal_year = WholeNumberField(
        label=_("年度（西暦）"),
        required=False,
        min_value=FISCAL_YEAR_MIN,
        max_value=FISCAL_YEAR_MAX,
        error_messages={
            "invalid": _("年度は西暦の数字で入力してください（例: 2025）。"),
            "min_value": _("年度は西暦で入力してください（例: 2025）。"),
            "max_value": _("年度は西暦で入力してください（例: 2025）。"),
        },
    )
    note = forms.CharField(label=_("備考"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = _unit_choices()  # type: ignore[attr-defined]


class StoreForm(VersionForm):
    """書庫への収納: the box of the record's section."""

    box = ModelChoice(
        label=_("文書保存箱"),
        queryset=StorageBox.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("箱を選んでください。"), "invalid_choice": _("箱は一覧から選んでください。")},
    )

    def __init__(self, *args: Any, boxes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["box"].queryset = boxes if boxes is not None else StorageBox.objects.none()  # type: ignore[attr-defined]


class LoanForm(forms.Form):
    """借覧の貸出: borrower, purpose, lent and due dates."""

    borrower = forms.TypedChoiceField(
        label=_("借受者"),
        coerce=int,
        error_messages={
            "required": _("借受者を選んでください。"),
            "invalid_choice": _("借受者は一覧から選んでください。"),
        },
    )
    purpose = forms.CharField(
        label=_("借覧の目的"), max_length=200, error_messages={"required": _("借覧の目的を入力してください。")}
    )
    lent_on = JapaneseDateField(
        label=_("貸出日"),
        error_messages={
            "required": _("貸出日を入力してください。"),
            "invalid": _("貸出日を正しい日付で入力してください（例: 2026-04-01、令和8年4月1日）。"),
        },
    )
    due_on = JapaneseDateField(
        label=_("返却期限"),
        error_messages={
            "required": _("返却期限を入力してください。"),
            "invalid": _("返却期限を正しい日付で入力してください（例: 2026-04-15、令和8年4月15日）。"),
        },
    )

    def __init__(self, *args: Any, borrowers: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["borrower"].choices = [("", _("選んでください")), *(borrowers or [])]  # type: ignore[attr-defined]


class ReturnForm(forms.Form):
    """借覧の返却: the day it came back (today when empty)."""

    returned_on = JapaneseDateField(
        label=_("返却日"),
        required=False,
        help_text=_("空欄のときは今日です。"),
        error_messages={"invalid": _("返却日を正しい日付で入力してください（例: 2026-04-15、令和8年4月15日）。")},
    )
