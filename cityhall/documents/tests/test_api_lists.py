"""The receipts (収受簿) and saved routes (マイルート) lists through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.documents import services
from cityhall.testing.web import documents_api

pytestmark = pytest.mark.django_db


def _register(user, title: str, received_on: dt.date | None = None):
    day = received_on or timezone.localdate()
    return services.receipt_register(actor=user, received_on=day, sender="県", title=title)


def test_receipts_list_is_the_callers_section_only(city):
    ours = _register(city.drafter, "総務課の照会")
    theirs = _register(city.jinji_kacho, "人事課の照会")
    body = documents_api(city.kakaricho, "get", "/receipts").json()
    assert body["count"] == 1 and [r["id"] for r in body["items"]] == [ours.pk]
    assert body["items"][0]["title"] == "総務課の照会"
    assert [r["id"] for r in documents_api(city.outsider, "get", "/receipts").json()["items"]] == [theirs.pk]
    manager = documents_api(city.docmgr, "get", "/receipts").json()
    assert {r["id"] for r in manager["items"]} == {ours.pk, theirs.pk}
    only = documents_api(city.docmgr, "get", "/receipts", {"section_id": city.units.jinji.pk}).json()
    assert [r["id"] for r in only["items"]] == [theirs.pk]


def test_receipts_list_filters_by_fiscal_year_and_pages(city):
    day = timezone.localdate()
    fy = day.year if day.month >= 4 else day.year - 1
    for i in range(3):
        _register(city.drafter, f"今年度{i}", dt.date(fy, 4, 2 + i))
    _register(city.drafter, "前年度", dt.date(fy, 3, 31))
    page = documents_api(city.drafter, "get", "/receipts", {"fiscal_year": fy, "page_size": 2, "page": 2}).json()
    assert (page["count"], page["page"], page["page_size"]) == (3, 2, 2)
    assert [r["title"] for r in page["items"]] == ["今年度0"]
    last = documents_api(city.drafter, "get", "/receipts", {"fiscal_year": fy - 1}).json()
    assert [r["title"] for r in last["items"]] == ["前年度"]


def test_receipts_list_with_an_unknown_section_is_a_validation_error(city):
    response = documents_api(city.docmgr, "get", "/receipts", {"section_id": 999999})
    assert response.status_code == 400 and response.json()["field"] == "section_id"


def test_saved_routes_list_is_the_callers_own(city):
    mine = services.saved_route_create(
        actor=city.drafter, name="財政合議", reviewers=[city.shunin], consult_units=[city.units.zaisei]
    )
    services.saved_route_create(actor=city.drafter2, name="他人の", consult_units=[city.units.jinji])
    body = documents_api(city.drafter, "get", "/saved-routes").json()
    assert body == [
        {
            "id": mine.pk,
            "name": "財政合議",
            "reviewer_ids": [city.shunin.pk],
            "consult_unit_ids": [city.units.zaisei.pk],
        }
    ]
    assert documents_api(city.outsider, "get", "/saved-routes").json() == []
