"""Forms of the signing app."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.signing.sign import looks_like_pdf


class VerifyUploadForm(forms.Form):
    """Upload of a PDF whose signature is to be verified (署名検証)."""

    file = forms.FileField(
        label=gettext_lazy("PDF ファイル"),
        error_messages={
            "required": gettext_lazy("検証する PDF ファイルを選んでください。"),
            "empty": gettext_lazy("ファイルが空です。"),
            "invalid": gettext_lazy("ファイルを受け取れませんでした。もう一度選んでください。"),
        },
    )

    def clean_file(self) -> UploadedFile:
        """Refuse oversized files and files that are not PDFs, whatever their name says."""
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.CITYHALL_MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("ファイルが大きすぎます（上限 %(limit)s）。") % {"limit": filesizeformat(limit)}, code="too_large"
            )
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if not looks_like_pdf(head):
            raise forms.ValidationError(
                _("このファイルは PDF ではありません。署名付きの PDF ファイルを選んでください。"), code="not_pdf"
            )
        return upload
