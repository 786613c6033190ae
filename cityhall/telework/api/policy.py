"""REST API of the remote-access policy (リモートアクセスの方針 API), mounted at /api/telework; 情報政策 only."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.core.http import ERRORS
from cityhall.telework import services
from cityhall.telework.selectors import policy_rows

router = Router(auth=django_auth, tags=["リモートアクセスの方針"])


class RuleIO(Schema):
    """One rule: a data class, a role ("" for everyone) and what remote sessions may do."""

    data_class: str = Field(description="personal, secret, inquiry, payee_account, attachment, policy")
    role: str = Field("", max_length=20, description="権限（空欄は全職員）")
    mode: str = Field(description="see（表示する）, masked（マスクして表示）, none（表示しない）")


class ClassOut(Schema):
    """A data class with its built-in default and the modes it allows."""

    data_class: str
    label: str
    default: str
    allowed: list[str]


class PolicyOut(Schema):
    """The configured rules and, per class, what holds without a rule."""

    rules: list[RuleIO]
    classes: list[ClassOut]


class PolicyIn(Schema):
    """The whole policy: every rule (rules not listed are removed)."""

    rules: list[RuleIO] = Field(max_length=200)


def _policy(request: HttpRequest) -> PolicyOut:
    rows = policy_rows(user_of(request))
    return PolicyOut(
        rules=[RuleIO(data_class=r.data_class, role=role, mode=mode) for r in rows for role, mode in r.rules.items()],
        classes=[
            ClassOut(data_class=r.data_class, label=str(r.data_class.label), default=r.default, allowed=list(r.allowed))
            for r in rows
        ],
    )


@router.get("/remote-policy", response={200: PolicyOut, **ERRORS}, summary="リモートアクセスの方針の取得")
def policy_get(request: HttpRequest) -> PolicyOut:
    """The policy as configured (情報政策の権限)."""
    return _policy(request)


@router.put("/remote-policy", response={200: PolicyOut, **ERRORS}, summary="リモートアクセスの方針の変更")
def policy_put(request: HttpRequest, payload: PolicyIn) -> PolicyOut:
    """Replace every rule; refused with the reason when a rule is impossible or would lock IT out (audited)."""
    rules = [services.RuleInput(data_class=r.data_class, role=r.role, mode=r.mode) for r in payload.rules]
    services.remote_policy_set(actor=user_of(request), rules=rules)
    return _policy(request)
