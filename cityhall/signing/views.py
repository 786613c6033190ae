"""Views of the signing app: the signature verification page (署名検証)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cityhall.signing.forms import VerifyUploadForm
from cityhall.signing.verify import format_signing_time, verify_pdf


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a signed PDF and see whether it is intact and who signed it."""
    context: dict[str, Any] = {"max_upload_bytes": settings.CITYHALL_MAX_UPLOAD_BYTES}
    if request.method != "POST":
        return render(request, "signing/verify.html", {**context, "form": VerifyUploadForm()})
    form = VerifyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "signing/verify.html", {**context, "form": form}, status=400)
    upload = form.cleaned_data["file"]
    report = verify_pdf(upload.read())
    context |= {
        "form": VerifyUploadForm(),
        "report": report,
        "file_name": upload.name,
        "signing_time": format_signing_time(report.signing_time),
    }
    return render(request, "signing/verify.html", context)
