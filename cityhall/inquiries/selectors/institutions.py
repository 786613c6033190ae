"""The institution master as a tax collector reads it (照会先の参照): the city's, for the role only."""

from __future__ import annotations

from django.db.models import QuerySet

from cityhall.core.errors import PermissionDenied
from cityhall.inquiries.access import NOT_FOUND, scope_of
from cityhall.inquiries.models import Institution
from cityhall.inquiries.models.institutions import DEPOSIT_KINDS


def institutions_for(user: object, *, active_only: bool = False) -> QuerySet[Institution]:
    """The institutions (照会先), by kind and code; refused for anyone without the 徴税 role."""
    scope_of(user)
    rows = Institution.objects.all()
    return rows.filter(is_active=True) if active_only else rows


def institution_for(user: object, pk: int) -> Institution:
    """One institution; 「not found」 for anyone without the role."""
    found = institutions_for(user).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied(NOT_FOUND)
    return found


def regions_for(user: object) -> list[str]:
    """The regions (地域) of institutions in use, for choosing "every bank of a region"."""
    rows = institutions_for(user, active_only=True).exclude(region="").values_list("region", flat=True)
    return sorted(set(rows))


def deposit_institutions_in(user: object, region: str) -> QuerySet[Institution]:
    """Every institution in use that holds deposits (銀行等・ゆうちょ) in ``region``."""
    return institutions_for(user, active_only=True).filter(region=region, kind__in=DEPOSIT_KINDS)
