"""Delinquent persons as a tax collector finds them (滞納者の検索): their sections only, filtered in SQL.

Filters: a word (宛名番号, 氏名 or フリガナ, hiragana and half-width kana found too), the amount owed,
the age of the debt (滞納期間: months since the oldest unpaid due date), the area (地区) and whether
the person was already asked about (照会済: in a batch not withdrawn or rejected).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese import to_katakana
from cityhall.documents.models import DocumentStatus
from cityhall.inquiries.access import NOT_FOUND, scope_of
from cityhall.inquiries.models import BatchPerson, DelinquentPerson, FormerAddress, TaxItem

INQUIRED_YES, INQUIRED_NO = "yes", "no"
DEAD_STATUSES = (DocumentStatus.WITHDRAWN, DocumentStatus.REJECTED)
"""A batch withdrawn or rejected asked nobody: its persons count as not yet asked."""


@dataclass(frozen=True)
class PersonFilters:
    """The filters of the persons list and of a batch's selection (滞納者の絞り込み)."""

    text: str = ""
    min_amount: int | None = None
    max_amount: int | None = None
    min_age_months: int | None = None
    area: str = ""
    inquired: str = ""

    def as_data(self) -> dict[str, object]:
        """The filters as JSON data (a batch keeps how its persons were chosen)."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def persons_for(user: object) -> QuerySet[DelinquentPerson]:
    """Every person of the caller's sections (担当課の滞納者); refused for anyone else."""
    return DelinquentPerson.objects.filter(section_id__in=scope_of(user).section_ids)


def inquired() -> Exists:
    """Whether a person (the outer row) is in a batch that still stands (照会済)."""
    live = BatchPerson.objects.filter(person=OuterRef("pk")).exclude(batch__document__status__in=DEAD_STATUSES)
    return Exists(live)


def filtered(rows: QuerySet[DelinquentPerson], filters: PersonFilters, *, on: dt.date) -> QuerySet[DelinquentPerson]:
    """``rows`` narrowed by ``filters`` in SQL."""
    text = " ".join(filters.text.split())
    if text:
        kana = to_katakana(text).replace(" ", "\u3000")
        rows = rows.filter(Q(resident_number__icontains=text) | Q(name__icontains=text) | Q(kana__icontains=kana))
    if filters.min_amount is not None:
        rows = rows.filter(amount__gte=filters.min_amount)
    if filters.max_amount is not None:
        rows = rows.filter(amount__lte=filters.max_amount)
    if filters.min_age_months is not None:
        rows = rows.filter(delinquent_since__lte=on - relativedelta(months=filters.min_age_months))
    if filters.area:
        rows = rows.filter(area=filters.area)
    if filters.inquired == INQUIRED_YES:
        rows = rows.filter(inquired())
    elif filters.inquired == INQUIRED_NO:
        rows = rows.filter(~inquired())
    return rows


def person_list(user: object, filters: PersonFilters, *, on: dt.date | None = None) -> QuerySet[DelinquentPerson]:
    """The caller's persons matching ``filters``, by kana, each with whether it was asked about."""
    day = on or timezone.localdate()
    rows = filtered(persons_for(user), filters, on=day).select_related("section")
    return rows.annotate(was_inquired=inquired()).order_by("kana", "birth_date", "pk")


def person_detail(user: object, pk: int) -> DelinquentPerson:
    """One person with former addresses and tax items; missing and forbidden alike are 「not found」."""
    person = (
        persons_for(user)
        .filter(pk=pk)
        .select_related("section")
        .prefetch_related(
            Prefetch("former_addresses", queryset=FormerAddress.objects.order_by("position")),
            Prefetch("tax_items", queryset=TaxItem.objects.all()),
        )
        .first()
    )
    if person is None:
        raise PermissionDenied(NOT_FOUND)
    return person


def person_inquiries(person: DelinquentPerson) -> QuerySet[BatchPerson]:
    """The batches that asked about ``person`` (照会の履歴), newest first (the person is already in scope)."""
    return (
        BatchPerson.objects.filter(person=person)
        .select_related("batch__document")
        .order_by("-batch__created_at", "-pk")
    )


def areas_for(user: object) -> list[str]:
    """The areas (地区) of the caller's persons, for the filter's choices."""
    rows = persons_for(user).exclude(area="").values_list("area", flat=True).distinct().order_by("area")
    return list(rows)
