"""REST API of the org app: who am I, with my section and post today (the header of every screen).

It lives here, not in ``accounts``, because it reads the organisation and
``accounts`` imports nothing of ``org``. It is still mounted at
``/api/accounts/me`` under the tag ``accounts``, with the operation id it has
always had.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from cityhall.org.selectors import primary_assignment

router = Router(tags=["accounts"])


class MeOut(Schema):
    """The signed-in official, as the screen header shows them."""

    username: str
    full_name: str
    employee_number: str | None
    section: str | None
    post: str | None
    is_office: bool
    location: str
    second_factor_verified: bool


@router.get("/me", response=MeOut, auth=django_auth, summary="ログイン中の職員")
def me(request: HttpRequest) -> MeOut:
    """The signed-in user with their section and post today, and office/remote."""
    user = request.user
    assignment = primary_assignment(user)
    access = request.access  # type: ignore[attr-defined]
    return MeOut(
        username=user.get_username(),
        full_name=user.full_name,  # type: ignore[union-attr]
        employee_number=user.employee_number,  # type: ignore[union-attr]
        section=str(assignment.unit) if assignment else None,
        post=assignment.post.name if assignment else None,
        is_office=access.is_office,
        location=access.location_label,
        second_factor_verified=bool(getattr(user, "is_verified", lambda: False)()),
    )
