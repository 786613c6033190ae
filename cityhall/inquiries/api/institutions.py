"""The institution master (照会先): list, register, change, stop."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cityhall.core.http import Id
from cityhall.inquiries.api._common import ERRORS, scope
from cityhall.inquiries.models import Channel, Institution, InstitutionKind, MatchOn
from cityhall.inquiries.selectors.institutions import institution_for, institutions_for
from cityhall.inquiries.services import institutions as services

router = Router(tags=["照会先"])


class InstitutionOut(Schema):
    id: int
    kind: InstitutionKind
    name: str
    kana: str
    bank_code: str
    branch_code: str
    branch_name: str
    postal_code: str
    address: str
    addressee: str
    region: str
    channel: Channel
    match_on: MatchOn
    is_active: bool


class InstitutionIn(Schema):
    """An institution as entered (照会先の入力): a bank by ``bank_code`` (name and kana from zengin-code if empty)."""

    kind: InstitutionKind
    address: str = Field(..., max_length=300, description="送付先住所（本店・事務センター）")
    name: str = Field("", max_length=100)
    kana: str = Field("", max_length=100)
    bank_code: str = Field("", max_length=8, description="銀行コード（4桁、銀行・信用金庫等のみ）")
    branch_code: str = Field("", max_length=8, description="照会先の支店コード（3桁、任意）")
    postal_code: str = Field("", max_length=10)
    addressee: str = Field("", max_length=100)
    region: str = Field("", max_length=40, description="地域（例: 東京都）")
    channel: Channel = Channel.PAPER
    match_on: MatchOn = MatchOn.KANA_BIRTH

    def data(self) -> services.InstitutionInput:
        """The input as the services take it."""
        return services.InstitutionInput(**{k: str(v) for k, v in self.dict().items()})


@router.get("/institutions", response={200: list[InstitutionOut], **ERRORS}, summary="照会先の一覧")
def institution_list_api(request: HttpRequest) -> list[Institution]:
    """Every institution of the master, in use and stopped."""
    return list(institutions_for(scope(request).user).order_by("-is_active", "kind", "bank_code", "kana", "pk"))


@router.post("/institutions", response={201: InstitutionOut, **ERRORS}, summary="照会先の登録")
def institution_create_api(request: HttpRequest, body: InstitutionIn) -> Status[Institution]:
    """Register an institution."""
    return Status(201, services.institution_create(actor=scope(request).user, data=body.data()))


@router.put("/institutions/{institution_id}", response={200: InstitutionOut, **ERRORS}, summary="照会先の変更")
def institution_update_api(request: HttpRequest, institution_id: Id, body: InstitutionIn) -> Institution:
    """Change an institution: every field as given."""
    user = scope(request).user
    return services.institution_update(actor=user, institution=institution_for(user, institution_id), data=body.data())


@router.post(
    "/institutions/{institution_id}/deactivate", response={200: InstitutionOut, **ERRORS}, summary="照会先の停止"
)
def institution_deactivate_api(request: HttpRequest, institution_id: Id) -> Institution:
    """Stop an institution: kept for the letters sent, never chosen again."""
    user = scope(request).user
    return services.institution_deactivate(actor=user, institution=institution_for(user, institution_id))
