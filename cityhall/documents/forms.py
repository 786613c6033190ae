"""Forms of the documents screens (文書・電子決裁の画面の入力).

Forms only parse and check input shape (whole yen, required fields, a file's name and
size); the services decide, and check a file's content after the user's permission. ``cityhall.core.http.apply_error``
puts a service's ``ApplicationError`` next to the field it names.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityhall.core.errors import ApplicationError
from cityhall.core.forms import ModelChoice, ModelMultipleChoice, WholeNumberField, YenField
from cityhall.documents.files import CheckedFile, check_upload_metadata
from cityhall.documents.models import COMMENT_MAX_LENGTH, DocumentStatus, FilePlanClass, MatterKind, SavedRoute
from cityhall.documents.selectors import SearchFilters
from cityhall.documents.selectors_records import in_force
from cityhall.org.models import OrgUnit, UnitKind


class AttachmentField(forms.FileField):
    """An attachment's name, type by extension and size, checked without reading the file.

    The content is checked by the service once the user's permission is known (添付ファイルの検査).
    """

    default_error_messages = {"empty": _("空のファイルです。"), "invalid": _("ファイルを受け取れませんでした。")}

    def clean(self, data: Any, initial: Any = None) -> UploadedFile | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        assert isinstance(upload, UploadedFile)
        try:
            check_upload_metadata(upload.name or "file", upload.size)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code="file") from exc
        return upload


def upload_stream(upload: UploadedFile | CheckedFile) -> dict[str, Any]:
    """Keyword arguments for ``attachment_add`` from an uploaded or an already checked file."""
    if isinstance(upload, CheckedFile):
        return {"name": upload.name, "stream": io.BytesIO(upload.data), "size": upload.size}
    stream = upload.file if upload.file is not None else io.BytesIO()
    return {"name": upload.name or "file", "stream": stream, "size": upload.size}


class DraftForm(forms.Form):
    """The draft (起案) fields a drafter fills in."""

    title = forms.CharField(label=_("件名"), max_length=200, error_messages={"required": _("件名を入力してください。")})
    body = forms.CharField(label=_("本文"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    matter_kind = ModelChoice(
        label=_("事案の種類"),
        queryset=MatterKind.objects.all(),
        empty_label=_("選んでください"),
        error_messages={"required": _("事案の種類を選んでください。")},
    )
    amount = YenField(label=_("金額（円）"), minimum=0, required=False)
    file_plan_class = ModelChoice(
        label=_("文書分類"),
        queryset=FilePlanClass.objects.all(),
        empty_label=_("選んでください"),
        error_messages={"required": _("文書分類を選んでください。")},
    )
    is_confidential = forms.BooleanField(label=_("秘（関係者のみ閲覧）"), required=False)
    has_personal_info = forms.BooleanField(label=_("個人情報を含む"), required=False)
    is_important = forms.BooleanField(label=_("重要案件（代決不可）"), required=False)
    expected_version = WholeNumberField(required=False, widget=forms.HiddenInput)
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, keep_class: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Classes in force today (文書分類表); a draft filed in a class ended since keeps it on offer.
        offered = in_force() | FilePlanClass.objects.filter(pk=keep_class) if keep_class else in_force()
        self.fields["file_plan_class"].queryset = offered.order_by("sort_order", "code")  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values the drafting services take."""
        names = ("title", "body", "matter_kind", "amount", "file_plan_class")
        flags = ("is_confidential", "has_personal_info", "is_important")
        return {name: self.cleaned_data[name] for name in (*names, *flags)}

    def carry_typed_fields(self) -> None:
        """A typed document's kind of matter and amount (文書の型の事案の種類・金額) are carried, not edited.

        Its own screen changes them; hidden inputs still send them, so the route
        preview shows the route they decide and the service refuses a changed value.
        """
        for name in ("matter_kind", "amount"):
            self.fields[name].widget = forms.HiddenInput()


class NewDraftForm(DraftForm):
    """A new draft with an optional first attachment."""

    file = AttachmentField(label=_("添付ファイル"), required=False)
    receipt = WholeNumberField(required=False, widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    """One attachment added to a document (添付)."""

    file = AttachmentField(label=_("添付ファイル"), error_messages={"required": _("ファイルを選んでください。")})
    expected_version = WholeNumberField(required=False, widget=forms.HiddenInput)


class ActionForm(forms.Form):
    """An action on a document: the version the actor saw and an optional comment (意見・理由)."""

    expected_version = WholeNumberField(
        widget=forms.HiddenInput, error_messages={"required": _("文書の版が送られていません。")}
    )
    comment = forms.CharField(
        label=_("意見・理由"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # 差戻し先: an earlier approver's route step; empty sends the draft back to the drafter.
    target_step = forms.TypedChoiceField(label=_("差戻し先"), required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, targets: list[tuple[int, str]] | None = None, drafter: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("起案者（%(name)s）") % {"name": drafter} if drafter else _("起案者"))]
        self.fields["target_step"].choices = [*choices, *(targets or [])]  # type: ignore[attr-defined]


def _sections() -> Any:
    return OrgUnit.objects.filter(kind=UnitKind.SECTION).order_by("code")


def _registering_units() -> Any:
    """Units that keep a register (文書管理簿): the 課, and the 部 and 特別職 whose own staff draft (section_of)."""
    return OrgUnit.objects.exclude(kind=UnitKind.SUBSECTION).order_by("code")


class SubmitForm(forms.Form):
    """Starting the route (回議開始) with the drafter's additions within the rules."""

    expected_version = WholeNumberField(widget=forms.HiddenInput)
    extra_reviewers = forms.TypedMultipleChoiceField(
        label=_("追加の回議者"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    consult_units = ModelMultipleChoice(
        label=_("合議先の課"), queryset=OrgUnit.objects.none(), required=False, widget=forms.SelectMultiple
    )

    saved_route = ModelChoice(
        label=_("マイルート"),
        queryset=SavedRoute.objects.none(),
        required=False,
        empty_label=_("使わない"),
        help_text=_("登録したマイルートの回議者・合議先を加えます。"),
        error_messages={"invalid_choice": _("マイルートが見つかりません。")},
    )

    def __init__(
        self,
        *args: Any,
        colleagues: list[tuple[int, str]] | None = None,
        saved_routes: QuerySet[SavedRoute] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extra_reviewers"].choices = colleagues or []  # type: ignore[attr-defined]
        self.fields["consult_units"].queryset = _sections()  # type: ignore[attr-defined]
        routes = saved_routes if saved_routes is not None else SavedRoute.objects.none()
        self.fields["saved_route"].queryset = routes  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    """Search and register filters (文書検索・文書管理簿)."""

    q = forms.CharField(label=_("キーワード"), required=False, max_length=200)
    section = ModelChoice(label=_("課"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("すべて"))
    file_plan_class = ModelChoice(
        label=_("文書分類"), queryset=FilePlanClass.objects.all(), required=False, empty_label=_("すべて")
    )
    fiscal_year = WholeNumberField(label=_("年度（西暦）"), required=False, min_value=1989, max_value=2200)
    status = forms.ChoiceField(label=_("状態"), required=False, choices=[("", _("すべて")), *DocumentStatus.choices])
    drafted_from = forms.DateField(
        label=_("起案日（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    drafted_to = forms.DateField(
        label=_("起案日（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = _registering_units()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("drafted_from")
        end: dt.date | None = data.get("drafted_to")
        if start and end and start > end:
            self.add_error("drafted_to", _("起案日（まで）は起案日（から）以降の日付にしてください。"))
        return data

    def filters(self) -> SearchFilters:
        """The selector's filters from the cleaned input."""
        d = self.cleaned_data
        return SearchFilters(
            section_id=d["section"].pk if d.get("section") else None,
            file_plan_class_id=d["file_plan_class"].pk if d.get("file_plan_class") else None,
            fiscal_year=d.get("fiscal_year"),
            status=d.get("status") or None,
            drafted_from=d.get("drafted_from"),
            drafted_to=d.get("drafted_to"),
        )


class ReceiptForm(forms.Form):
    """A received document to register (収受の登録)."""

    received_on = forms.DateField(
        label=_("収受日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("収受日を入力してください。"),
            "invalid": _("収受日を正しい日付で入力してください。"),
        },
    )
    sender = forms.CharField(
        label=_("発信者"), max_length=100, error_messages={"required": _("発信者を入力してください。")}
    )
    sender_number = forms.CharField(label=_("相手方の文書番号"), max_length=60, required=False)
    title = forms.CharField(label=_("件名"), max_length=200, error_messages={"required": _("件名を入力してください。")})
    addressee = forms.CharField(label=_("宛先"), max_length=100, required=False)
    reply_needed = forms.BooleanField(label=_("回答が必要"), required=False)
    reply_deadline = forms.DateField(
        label=_("回答期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("回答期限を正しい日付で入力してください。")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received: dt.date | None = data.get("received_on")
        deadline: dt.date | None = data.get("reply_deadline")
        if data.get("reply_needed") and deadline is None and "reply_deadline" not in self.errors:
            self.add_error("reply_deadline", _("回答が必要な場合は回答期限を入力してください。"))
        if received and deadline and deadline < received:
            self.add_error("reply_deadline", _("回答期限は収受日以降の日付にしてください。"))
        return data


class SavedRouteForm(forms.Form):
    """A personal saved route (マイルート) to create."""

    name = forms.CharField(label=_("名称"), max_length=50, error_messages={"required": _("名称を入力してください。")})
    reviewers = forms.TypedMultipleChoiceField(
        label=_("追加の回議者"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    consult_units = ModelMultipleChoice(
        label=_("合議先の課"), queryset=OrgUnit.objects.none(), required=False, widget=forms.SelectMultiple
    )

    def __init__(self, *args: Any, colleagues: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].choices = colleagues or []  # type: ignore[attr-defined]
        self.fields["consult_units"].queryset = _sections()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("reviewers") and not data.get("consult_units") and not self.errors:
            raise forms.ValidationError(_("追加の回議者か合議先の課を1つ以上選んでください。"), code="empty")
        return data
