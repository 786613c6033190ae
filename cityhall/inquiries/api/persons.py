"""Delinquent persons (滞納者): the list with the screen's filters, one person, entry and correction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cityhall.core.http import Id, Page, PageSize, paged
from cityhall.inquiries.api._common import ERRORS, scope
from cityhall.inquiries.models import DelinquentPerson
from cityhall.inquiries.selectors.persons import PersonFilters, person_detail, person_list
from cityhall.inquiries.services import persons as services

router = Router(tags=["滞納者"])


class PersonQuery(Schema):
    """The persons list's filters (as on the screen) and paging."""

    q: str = Field("", max_length=100, description="宛名番号・氏名・フリガナの部分一致")
    min_amount: int | None = Field(None, ge=0, le=999_999_999_999, description="滞納額（以上）")
    max_amount: int | None = Field(None, ge=0, le=999_999_999_999, description="滞納額（以下）")
    min_age_months: int | None = Field(None, ge=0, le=1200, description="滞納期間（か月以上）")
    area: str = Field("", max_length=50, description="地区")
    inquired: str = Field("", pattern="^(|yes|no)$", description="yes: 照会済のみ、no: 未照会のみ")
    page: Page = 1
    page_size: PageSize = 50

    def filters(self) -> PersonFilters:
        """The query as the selectors take it."""
        return PersonFilters(
            text=self.q,
            min_amount=self.min_amount,
            max_amount=self.max_amount,
            min_age_months=self.min_age_months,
            area=self.area,
            inquired=self.inquired,
        )


class PersonOut(Schema):
    id: int
    section_id: int
    resident_number: str
    name: str
    kana: str
    birth_date: dt.date
    address: str
    area: str
    amount: int
    delinquent_since: dt.date


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PersonOut]


class FormerAddressIO(Schema):
    address: str = Field(..., max_length=300)
    moved_out_on: dt.date | None = None


class TaxItemIO(Schema):
    tax: str = Field(..., max_length=40)
    fiscal_year: int = Field(..., ge=1989, le=2200)
    amount: int = Field(..., ge=0, le=999_999_999_999)
    due_on: dt.date | None = None


class PersonDetailOut(PersonOut):
    former_addresses: list[FormerAddressIO]
    tax_items: list[TaxItemIO]
    payment_banks: list[str]


class PersonIn(Schema):
    """A person as entered (滞納者の入力); ``amount`` omitted: the sum of ``tax_items``."""

    resident_number: str = Field(..., max_length=20)
    name: str = Field(..., max_length=100)
    kana: str = Field(..., max_length=100, description="ひらがな・半角カナも可。全角カタカナで保存します")
    birth_date: dt.date
    address: str = Field(..., max_length=300)
    delinquent_since: dt.date = Field(..., description="最も古い滞納の納期限")
    amount: int | None = Field(None, ge=0, le=999_999_999_999)
    area: str = Field("", max_length=50)
    former_addresses: list[FormerAddressIO] = Field(default_factory=list, max_length=20)
    tax_items: list[TaxItemIO] = Field(default_factory=list, max_length=100)
    payment_banks: list[str] = Field(
        default_factory=list, max_length=10, description="納付・口座振替で取引が確認された金融機関の銀行コード（4桁）"
    )

    def data(self) -> services.PersonInput:
        """The input as the services take it."""
        return services.PersonInput(
            resident_number=self.resident_number,
            name=self.name,
            kana=self.kana,
            birth_date=self.birth_date,
            address=self.address,
            delinquent_since=self.delinquent_since,
            amount=self.amount,
            area=self.area,
            former_addresses=[services.FormerAddressInput(**a.dict()) for a in self.former_addresses],
            tax_items=[services.TaxItemInput(**t.dict()) for t in self.tax_items],
            payment_banks=[str(code)[:10] for code in self.payment_banks],
        )


def _detail(person: DelinquentPerson) -> dict[str, Any]:
    out = {f: getattr(person, f) for f in PersonOut.model_fields}
    out["former_addresses"] = list(person.former_addresses.all())
    out["tax_items"] = list(person.tax_items.all())
    out["payment_banks"] = person.payment_banks.split()
    return out


@router.get("/persons", response={200: PersonPage, **ERRORS}, summary="滞納者の一覧")
def person_list_api(request: HttpRequest, query: Query[PersonQuery]) -> dict[str, Any]:
    """The caller's section's delinquent persons, filtered and paged; each person shown is recorded."""
    user = scope(request).user
    result = paged(person_list(user, query.filters()), query.page, query.page_size)
    services.persons_viewed(actor=user, persons=result["items"], where="api_list")
    return result


@router.get("/persons/{person_id}", response={200: PersonDetailOut, **ERRORS}, summary="滞納者の詳細")
def person_detail_api(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    """One person with former addresses and tax items (recorded as a view)."""
    user = scope(request).user
    person = person_detail(user, person_id)
    services.persons_viewed(actor=user, persons=[person], where="api_detail")
    return _detail(person)


@router.post("/persons", response={201: PersonDetailOut, **ERRORS}, summary="滞納者の登録")
def person_create_api(request: HttpRequest, body: PersonIn) -> Status[dict[str, Any]]:
    """Enter a person in the caller's section (for small corrections; the tax system's file is imported)."""
    user = scope(request).user
    person = services.person_create(actor=user, data=body.data())
    return Status(201, _detail(person_detail(user, person.pk)))


@router.put("/persons/{person_id}", response={200: PersonDetailOut, **ERRORS}, summary="滞納者の修正")
def person_update_api(request: HttpRequest, person_id: Id, body: PersonIn) -> dict[str, Any]:
    """Correct a person: every field; former addresses and tax items replaced as given."""
    user = scope(request).user
    person = services.person_update(actor=user, person=person_detail(user, person_id), data=body.data())
    return _detail(person_detail(user, person.pk))
