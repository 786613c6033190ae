"""REST API of the deposit inquiries (財産照会 API), mounted at /api/inquiries.

Every operation first asks ``access.scope_of`` for the caller's scope, as the screens do: 404 for
anyone without the 徴税 role (missing and forbidden alike), 403 with the reason from outside the
office; reads go through the same selectors (the caller's sections, in SQL) and are recorded as
views of person data; writes go through the same services. Batches are submitted and decided
through the documents API (``/api/documents/{id}/submit`` …); each batch names its document.
"""

from ninja import Router
from ninja.security import django_auth

from cityhall.inquiries.api import answers, batches, institutions, letters, person_imports, persons

router = Router(auth=django_auth)
router.add_router("", persons.router)
router.add_router("", person_imports.router)
router.add_router("", institutions.router)
router.add_router("", batches.router)
router.add_router("", answers.router)
router.add_router("", letters.router)
