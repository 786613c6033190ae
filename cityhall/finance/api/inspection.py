"""The inspection report (検査調書, 法234条の2・令167条の15) of a payment order, as the order page offers it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from cityhall.accounts.requests import user_of
from cityhall.core.http import Id
from cityhall.finance.api import _common as c
from cityhall.finance.inspection_report import pdf_response
from cityhall.finance.services.inspection import inspection_report_pdf

router = Router(tags=["支出命令"])

PDF = {
    "responses": {
        200: {
            "description": "検査調書（PDF）",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/payment-orders/{int:order_id}/inspection-report.pdf",
    response=c.ERRORS,
    summary="検査調書（PDF）の出力",
    openapi_extra=PDF,
)
def inspection_report(request: HttpRequest, order_id: Id) -> HttpResponse:
    """The 検査調書 of the order, once its 検収日 and 検査員 are recorded; each download is audited."""
    name, content = inspection_report_pdf(actor=user_of(request), order_id=order_id)
    return pdf_response(name, content)
