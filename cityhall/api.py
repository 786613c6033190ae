"""The REST API (django-ninja): one NinjaAPI; each app adds its router here.

The OpenAPI schema is at /api/openapi.json and the interactive docs at /api/docs, both for
signed-in users only (the schema maps every operation an attacker could try).
Endpoints use the signed-in session (with CSRF on writes) and call the same
services and selectors as the screens.
"""

from collections.abc import Callable
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.operation import Operation

from cityhall.auditroom.api import router as audit_router
from cityhall.automation.api import router as automation_router
from cityhall.core.errors import ApplicationError
from cityhall.core.http import StrictJsonParser, error_body
from cityhall.dashboard.api import router as dashboard_router
from cityhall.documents.api import router as documents_router
from cityhall.finance.api import router as finance_router
from cityhall.inquiries.api import router as inquiries_router
from cityhall.org.api import router as me_router
from cityhall.telework.api import router as telework_router

# Operation ids are part of the published API (clients are generated from them). They are derived
# from the endpoint's module and function; a module renamed or split keeps the module its ids had.
OPERATION_ID_MODULES = {
    "cityhall.org.api": "cityhall.accounts.api",
    "cityhall.finance.api.payment_orders": "cityhall.finance.api.orders",
    "cityhall.finance.api.batches": "cityhall.finance.api.review",
}


class CityhallAPI(NinjaAPI):
    """The one NinjaAPI, with operation ids that stay when code moves."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """``<module>_<function>`` with dots as underscores, the module as first published."""
        module = operation.view_func.__module__
        return f"{OPERATION_ID_MODULES.get(module, module)}_{operation.view_func.__name__}".replace(".", "_")


def signed_in_docs(view: Callable[..., Any]) -> Callable[..., Any]:
    """The schema and docs only for a signed-in user; Swagger UI's own inline styles allowed there."""
    return login_required(csp_update({"style-src": [UNSAFE_INLINE]})(view))


api = CityhallAPI(
    title="cityhall API",
    version="1",
    urls_namespace="api",
    parser=StrictJsonParser(),
    docs_decorator=signed_in_docs,
)
# /api/accounts/me reads the organisation, so org owns it (accounts imports nothing of org).
api.add_router("/accounts", me_router)
api.add_router("/documents", documents_router)
api.add_router("/finance", finance_router)
api.add_router("/audit", audit_router)
api.add_router("/automation", automation_router)
api.add_router("/inquiries", inquiries_router)
api.add_router("/telework", telework_router)
api.add_router("/dashboard", dashboard_router)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """The one mapping of application errors to HTTP: status from the class, Japanese message and field.

    ``PermissionDenied`` is 404, so "missing" and "forbidden" look the same.
    """
    return api.create_response(request, error_body(exc), status=exc.status_code)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own errors; a body it could not parse says why in Japanese, naming the field when known.

    ``StrictJsonParser`` refuses NUL and lone surrogates with an ``ApplicationError``; ninja wraps
    whatever the parser raises in a 400 ``HttpError``, so the cause is unwrapped here.
    """
    cause = exc.__cause__
    if isinstance(cause, ApplicationError):
        return api.create_response(request, error_body(cause), status=exc.status_code)
    if exc.status_code == 400 and cause is not None:
        body = {"detail": "リクエストの本文を JSON として読み取れません。", "field": None}
        return api.create_response(request, body, status=400)
    return api.create_response(request, {"detail": str(exc), "field": None}, status=exc.status_code)


@api.exception_handler(ValidationError)
def input_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input that does not match the schema (422), in the same shape with a Japanese message."""
    loc = [str(part) for part in (exc.errors[0].get("loc", ()) if exc.errors else ())]
    field = loc[-1] if loc else None
    detail = f"入力内容に誤りがあります（{field or '入力'}）。"
    first = exc.errors[0] if exc.errors else {}
    if first.get("type") == "whole_yen":  # a type whose message is already Japanese: say why, too
        detail += str(first.get("msg", ""))
    body = {"detail": detail, "field": field, "errors": exc.errors}
    return api.create_response(request, body, status=422)
