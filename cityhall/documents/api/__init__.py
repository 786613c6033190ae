"""REST API of documents and e-approval (文書管理・電子決裁 API), mounted at /api/documents.

Every endpoint is one operation for the signed-in session (CSRF on writes),
reads through the user-scoped selectors and writes through the same services
as the screens, passing ``actor`` and the ``expected_version`` the caller saw.
Errors are mapped to JSON ``{"detail", "field"}`` in one place (``cityhall.api``);
a document the caller may not see answers 404 like a missing one.
"""

from ninja import Router
from ninja.security import django_auth

from cityhall.documents.api import (
    actions,
    disposal,
    documents,
    file_plan,  # noqa: F401  (its operations go on ``reference.router``: one path, one router, else 405)
    files,
    inbox,
    lifecycle,
    receipts,
    record,
    reference,
    routes,
    rules,
    storage,
)

router = Router(auth=django_auth)
router.add_router("", reference.router)
router.add_router("", inbox.router)
router.add_router("", routes.router)
router.add_router("", rules.router)
router.add_router("", lifecycle.router)
router.add_router("", receipts.router)
router.add_router("", actions.router)
router.add_router("", files.router)
router.add_router("", record.router)
router.add_router("", storage.router)
router.add_router("", disposal.router)
router.add_router("", documents.router)

__all__ = ["router"]
