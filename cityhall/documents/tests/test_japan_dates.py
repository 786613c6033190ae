"""Dates are Japan's dates (日本時間): a decision at 07:30 on 1 April is dated 1 April, in the new year.

Before 09:00 in Japan the UTC date is still the day before; around 1 April that is also the
old fiscal year. Pages, the signed approval sheet, the exported register and the notices all
show the date in Japan.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from cityhall.documents import services
from cityhall.documents.export import export_records
from cityhall.documents.models import Document
from cityhall.documents.sheet import build_sheet
from cityhall.testing.engine import approve_to_decision
from cityhall.testing.plugin import database
from cityhall.testing.web import client_for

# On PostgreSQL too: dates in Japan computed by the database around midnight UTC.
pytestmark = [pytest.mark.django_db, database]
JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture(params=["00:00", "07:30", "08:59"])
def april_first(request):
    """A moment on 1 April 2027 before 09:00 in Japan (31 March in UTC)."""
    hour, minute = map(int, request.param.split(":"))
    moment = dt.datetime(2027, 4, 1, hour, minute, tzinfo=JST)
    assert moment.astimezone(dt.UTC).date() == dt.date(2027, 3, 31)
    with freeze_time(moment):
        yield moment


def test_a_decision_before_nine_is_dated_the_same_day_in_the_new_year(
    city, draft, april_first, tmp_path, city_signing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written after commit
        doc = draft(title="鷺沼の公用車の修繕について")
        doc = services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
        doc = approve_to_decision(doc)
    assert doc.fiscal_year == 2027 and doc.drafted_on == dt.date(2027, 4, 1)

    client = client_for(city.drafter)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "令和9年4月1日" in page and "令和9年3月31日" not in page
    results = client.get(reverse("documents:search"), {"q": "鷺沼"}).content.decode()
    assert "令和9年4月1日" in results and "令和9年3月31日" not in results
    assert build_sheet(Document.objects.get(pk=doc.pk)).decided_on == dt.date(2027, 4, 1)

    export_records(actor="test", fiscal_year=2027, output=tmp_path)
    with (tmp_path / "register.csv").open(encoding="utf-8-sig") as handle:
        (row,) = list(csv.DictReader(handle))
    assert "2027-04-01" in row.values() and "2027-03-31" not in row.values()


def test_notices_show_the_time_in_japan(city, submitted, april_first, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted()
    page = client_for(city.kakaricho).get(reverse("notifications:list")).content.decode()
    assert f"令和9年4月1日 {april_first:%H:%M}" in page
