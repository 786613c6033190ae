"""REST API of the org app: who am I, with my section and post today (the header of every screen).

It lives here, not in ``accounts``, because it reads the organisation and
``accounts`` imports nothing of ``org``. It is still mounted at
``/api/accounts/me`` under the tag ``accounts``, with the operation id it has
always had.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.org import services
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


class UsernameIn(Schema):
    """The official to help, by user name."""

    username: str


class EnrolmentCodeOut(Schema):
    """A one-time enrolment code, shown only in this answer."""

    username: str
    code: str


class UnlockOut(Schema):
    """How many lock-out records were lifted for the user name."""

    username: str
    lifted: int


@router.post("/enrolment-codes", response={201: EnrolmentCodeOut}, auth=django_auth, summary="登録コードの発行")
def issue_enrolment_code(request: HttpRequest, payload: UsernameIn) -> Status:
    """IT (情報政策) issues a one-time code that lets the user enrol an authenticator from outside."""
    code = services.enrolment_code_issue(actor=user_of(request), username=payload.username)
    return Status(201, EnrolmentCodeOut(username=payload.username.strip(), code=code))


@router.post("/unlock", response=UnlockOut, auth=django_auth, summary="ロック解除")
def unlock(request: HttpRequest, payload: UsernameIn) -> UnlockOut:
    """IT (情報政策) lifts the sign-in lock-out of a user name."""
    lifted = services.account_unlock(actor=user_of(request), username=payload.username)
    return UnlockOut(username=payload.username.strip(), lifted=lifted)
