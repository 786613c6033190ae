"""The REST API (django-ninja): one NinjaAPI; each app adds its router here.

The OpenAPI schema is at /api/openapi.json and the interactive docs at /api/docs.
Endpoints use the signed-in session (with CSRF on writes) and call the same
services and selectors as the screens.
"""

from ninja import NinjaAPI

from cityhall.accounts.api import router as accounts_router

api = NinjaAPI(title="cityhall API", version="1", urls_namespace="api")
api.add_router("/accounts", accounts_router)
