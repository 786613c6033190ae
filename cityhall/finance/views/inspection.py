"""The inspection report (検査調書) of a payment order, downloaded from the order page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.finance.inspection_report import pdf_response
from cityhall.finance.services.inspection import inspection_report_pdf


@login_required
def inspection_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The 検査調書 PDF (audited); back to the order with the reason when the inspection is not recorded."""
    try:
        name, content = inspection_report_pdf(actor=user_of(request), order_id=pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("finance:payment_order", pk)
    return pdf_response(name, content)


urlpatterns: list[URLPattern] = [
    path("payments/<id:pk>/inspection-report.pdf", inspection_report, name="payment_order_inspection_report"),
]
