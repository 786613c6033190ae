"""Forms of the receipts screens (収受の画面の入力): register with a file, add a file, circulate, import, close.

Forms check the shape of the input only (required fields, a file's name and size); the services
decide who may do what and check a file's content once the user's permission is known.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import ModelChoice
from cityhall.documents.forms import AttachmentField, ReceiptForm
from cityhall.documents.models import FileOrigin, FilePlanClass, ReceiptChannel
from cityhall.documents.selectors_records import in_force

_ORIGINS = [(FileOrigin.SCAN.value, FileOrigin.SCAN.label), (FileOrigin.ORIGINAL.value, FileOrigin.ORIGINAL.label)]


class ReceiptRegisterForm(ReceiptForm):
    """A received document to register (収受の登録), with how it came, personal data and an optional first file."""

    channel = forms.ChoiceField(
        label=_("収受の方法"),
        choices=[
            (ReceiptChannel.PAPER.value, ReceiptChannel.PAPER.label),
            (ReceiptChannel.ELECTRONIC.value, ReceiptChannel.ELECTRONIC.label),
        ],
        initial=ReceiptChannel.PAPER,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("収受の方法を選んでください。"),
            "required": _("収受の方法を選んでください。"),
        },
        help_text=_("オンライン申請は「オンライン申請の取込」で収受します。"),
    )
    sender_address = forms.CharField(label=_("発信者の住所"), max_length=200, required=False)
    has_personal_info = forms.BooleanField(label=_("個人情報を含む"), required=False)
    file = AttachmentField(label=_("ファイル（スキャンした紙または電子の原本）"), required=False)
    origin = forms.ChoiceField(
        label=_("ファイルの種別"), choices=_ORIGINS, initial=FileOrigin.SCAN, widget=forms.RadioSelect
    )

    field_order = ["received_on", "channel", "sender_number", "sender", "sender_address", "title", "addressee"]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values ``receipt_register`` takes, without the file."""
        data = dict(self.cleaned_data)
        data.pop("file", None)
        data.pop("origin", None)
        return data


class ReceiptFileForm(forms.Form):
    """A file added to a received document (スキャンまたは電子の原本)."""

    file = AttachmentField(label=_("ファイル"), error_messages={"required": _("ファイルを選んでください。")})
    origin = forms.ChoiceField(
        label=_("ファイルの種別"), choices=_ORIGINS, initial=FileOrigin.SCAN, widget=forms.RadioSelect
    )


class CirculateForm(forms.Form):
    """The superiors a received document is circulated to (供覧先)."""

    readers = forms.TypedMultipleChoiceField(
        label=_("供覧先"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("供覧先を1人以上選んでください。"),
            "invalid_choice": _("選べない職員が含まれています。"),
        },
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["readers"].choices = candidates or []  # type: ignore[attr-defined]


class _CsvField(forms.FileField):
    default_error_messages = {"empty": _("空のファイルです。"), "invalid": _("ファイルを受け取れませんでした。")}


class ReceiptImportForm(forms.Form):
    """The export of an online application service: the CSV of applications and the ZIP of their files."""

    csv = _CsvField(
        label=_("申請データ（CSV）"),
        error_messages={"required": _("申請データのCSVファイルを選んでください。")},
        help_text=_("1行が1件の申請です。文字コードは UTF-8 または Shift_JIS。"),
    )
    archive = forms.FileField(
        label=_("添付ファイル（ZIP）"),
        required=False,
        help_text=_("CSVの「添付ファイル名」の列にZIPの中の名前を「;」で区切って書きます。"),
        error_messages={"empty": _("空のファイルです。")},
    )

    def clean_archive(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("archive")
        if upload and not (upload.name or "").lower().endswith(".zip"):
            raise forms.ValidationError(_("添付ファイルはZIPファイル（.zip）を選んでください。"), code="archive")
        return upload


class ReceiptCloseForm(forms.Form):
    """Close a received document that needs no answer (完結) under a file-plan class (its retention)."""

    file_plan_class = ModelChoice(
        label=_("文書分類"),
        queryset=FilePlanClass.objects.all(),
        error_messages={"required": _("文書分類を選んでください。")},
        help_text=_("分類の保存期間が、完結した年度の翌年度から数えて適用されます。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file_plan_class"].queryset = in_force().order_by("sort_order", "code")  # type: ignore[attr-defined]


class ReceiptCancelForm(forms.Form):
    """Cancel a receipt registered by mistake (収受の取消): the reason, kept in the register."""

    reason = forms.CharField(
        label=_("取消の理由"),
        max_length=200,
        error_messages={"required": _("取消の理由を入力してください。")},
        help_text=_("例: 二重に登録したため、他の課あての文書を誤って収受したため"),
    )
