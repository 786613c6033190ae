"""Views of the signing app: the signature verification page (署名検証), and the demo TSA and CRL.

The demo time-stamping authority answers RFC 3161 requests over HTTP
(``POST`` ``application/timestamp-query``, answer ``application/timestamp-reply``,
RFC 3161 §3.4; no session, no CSRF token: a machine's protocol) and the demo
CA publishes its CRL, both only while ``CITYHALL_TSA_SERVE_DEMO`` is on (off in
production, where the city's TSA and CA are real): otherwise 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
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


def _demo_served() -> None:
    if not settings.CITYHALL_TSA_SERVE_DEMO:
        raise Http404


@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def tsa(request: HttpRequest) -> HttpResponse:
    """The demo time-stamping authority (デモ時刻認証局): one RFC 3161 request, one DER answer."""
    from cityhall.signing import tsa as stamps

    _demo_served()
    if request.content_type != stamps.CONTENT_TYPE_QUERY:
        return HttpResponse(
            f"Content-Type は {stamps.CONTENT_TYPE_QUERY} にしてください。", status=415, content_type="text/plain"
        )
    return HttpResponse(stamps.respond(request.body), content_type=stamps.CONTENT_TYPE_REPLY)


@require_http_methods(["GET"])
def demo_ca_crl(request: HttpRequest) -> HttpResponse:
    """The demo CA's certificate revocation list (失効リスト), DER, fresh for a week."""
    from cityhall.signing.authority import demo_crl

    _demo_served()
    crl = demo_crl()
    if crl is None:
        raise Http404
    return HttpResponse(crl, content_type="application/pkix-crl")
