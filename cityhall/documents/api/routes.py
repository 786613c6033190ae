"""Personal saved routes (マイルート): extra approvers and consulted sections to reuse when submitting."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.http import BodyId, Id
from cityhall.documents import services
from cityhall.documents.api import _common as c
from cityhall.documents.models import SavedRoute
from cityhall.documents.selectors_receipts import saved_routes_for

router = Router(tags=["マイルート"])


class SavedRouteIn(Schema):
    """A saved route to create."""

    name: str = ""
    reviewer_ids: list[BodyId] = Field(default_factory=list, description="追加する回議者")
    consult_unit_ids: list[BodyId] = Field(default_factory=list, description="合議先の課")


class SavedRouteOut(Schema):
    """A saved route (マイルート)."""

    id: int
    name: str
    reviewer_ids: list[int]
    consult_unit_ids: list[int]

    @staticmethod
    def resolve_reviewer_ids(obj: SavedRoute) -> list[int]:
        return sorted(u.pk for u in obj.reviewers.all())

    @staticmethod
    def resolve_consult_unit_ids(obj: SavedRoute) -> list[int]:
        return sorted(u.pk for u in obj.consult_units.all())


@router.get("/saved-routes", response=list[SavedRouteOut], summary="マイルートの一覧")
def saved_route_list(request: HttpRequest) -> list[SavedRoute]:
    """The caller's own saved routes, by name."""
    return list(saved_routes_for(user_of(request)))


@router.post("/saved-routes", response={201: SavedRouteOut, **c.ERRORS}, summary="マイルートの登録")
def saved_route_create(request: HttpRequest, payload: SavedRouteIn) -> Status[SavedRoute]:
    """Save a personal route; its id can be given when submitting (回議開始)."""
    route = services.saved_route_create(
        actor=user_of(request),
        name=payload.name,
        reviewers=c.users(payload.reviewer_ids, "reviewer_ids"),
        consult_units=c.units(payload.consult_unit_ids, "consult_unit_ids"),
    )
    return Status(201, route)


@router.delete("/saved-routes/{int:route_id}", response={204: None, **c.ERRORS}, summary="マイルートの削除")
def saved_route_delete(request: HttpRequest, route_id: Id) -> Status[None]:
    """Delete one of the caller's saved routes; someone else's looks missing."""
    route = SavedRoute.objects.filter(pk=route_id, owner=user_of(request)).first()
    if route is None:
        raise PermissionDenied("マイルートが見つかりません。")
    services.saved_route_delete(actor=user_of(request), route=route)
    return Status(204, None)
