"""The audit room (監査室): who may enter, filters, paging, bad input, readable rows, audited viewing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from freezegun import freeze_time

from cityhall.core.audit import record
from cityhall.core.models import AuditEntry
from cityhall.testing.audit import make_auditor
from cityhall.testing.web import client_for

ROOM = "/audit/"


@pytest.fixture
def kansa(city):
    return make_auditor()


@pytest.fixture
def acted(city, draft):
    """A draft by 起田 (総務課 文書法制係) and one by 外山 (人事課)."""
    return draft(title="総務の起案"), draft(by=city.outsider, title="人事の起案")


def seqs(response) -> list[int]:
    return [row.seq for row in response.context["page"].rows]


@pytest.mark.django_db
def test_a_drafter_finds_no_room_and_no_menu_entry(city):
    client = client_for(city.drafter)
    assert client.get(ROOM).status_code == 404
    assert client.get(ROOM + "export.csv").status_code == 404
    assert client.post(ROOM + "verify/").status_code == 404
    assert 'href="/audit/"' not in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "it_admin"])
def test_the_auditor_and_it_see_every_section_and_a_menu_entry(city, acted, role):
    user = make_auditor(role=role)
    client = client_for(user)
    assert 'href="/audit/"' in client.get("/").content.decode()
    response = client.get(ROOM, {"action": "documents.document.create"})
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert {r.object_id for r in rows} == {str(acted[0].pk), str(acted[1].pk)}, "both sections' entries"
    html = response.content.decode()
    assert "起案" in html and "documents.document.create" in html  # the label, with the code as its title
    assert f'href="/documents/{acted[0].pk}/"' in html, "a link to the document the viewer may open"


@pytest.mark.django_db
def test_filters_by_section_person_object_and_access(city, acted, kansa):
    client = client_for(kansa)
    creates = {"action": "documents.document.create"}
    jinji = client.get(ROOM, {**creates, "section": city.units.jinji.pk})
    assert [r.object_id for r in jinji.context["page"].rows] == [str(acted[1].pk)]
    soumu = client.get(ROOM, {**creates, "section": city.units.soumu.pk})  # the 課 includes its 係
    assert [r.object_id for r in soumu.context["page"].rows] == [str(acted[0].pk)]
    by_name = client.get(ROOM, {**creates, "person": "外山"})
    by_username = client.get(ROOM, {**creates, "person": "outsider"})
    assert seqs(by_name) == seqs(by_username) and len(seqs(by_name)) == 1
    obj = client.get(ROOM, {"object_type": "documents.document", "object": str(acted[0].pk)})
    assert {r.object_id for r in obj.context["page"].rows} == {str(acted[0].pk)}
    part = client.get(ROOM, {"object": "人事の"})
    assert {r.object_id for r in part.context["page"].rows} == {str(acted[1].pk)}
    assert client.get(ROOM, {**creates, "access": "remote"}).context["page"].count == 0
    assert client.get(ROOM, {**creates, "access": "office"}).context["page"].count == 2


@pytest.mark.django_db
def test_the_date_range_is_in_japan_dates(city, kansa):
    # 23:30 UTC on 4 June is 08:30 on 5 June in Japan.
    with freeze_time(dt.datetime(2025, 6, 4, 23, 30, tzinfo=dt.UTC)):
        early = record(actor=city.drafter, action="documents.document.view", object_repr="朝の閲覧")
    client = client_for(kansa)
    on_the_5th = client.get(ROOM, {"date_from": "2025-06-05", "date_to": "2025-06-05"})
    assert seqs(on_the_5th) == [early.seq]
    assert client.get(ROOM, {"date_from": "2025-06-04", "date_to": "2025-06-04"}).context["page"].count == 0


@pytest.mark.django_db
def test_paging_bounds(city, kansa):
    for i in range(120):
        record(actor=city.drafter, action="documents.document.view", object_id=str(i), object_repr=f"文書{i}")
    client = client_for(kansa)
    query = {"action": "documents.document.view"}
    first = client.get(ROOM, query)
    assert (first.context["page"].count, first.context["page"].num_pages, len(seqs(first))) == (120, 3, 50)
    last = client.get(ROOM, {**query, "page": "3"})
    assert len(seqs(last)) == 20 and not last.context["page"].has_next
    beyond = client.get(ROOM, {**query, "page": "99"})
    assert beyond.status_code == 200 and beyond.context["page"].number == 3, "a page past the last shows the last"
    assert set(seqs(first)).isdisjoint(seqs(last))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, "ページ: 1 以上"),
        ({"page": "²"}, "ページ: 1 以上"),
        ({"page": "10000000000000000000"}, "ページ: 1,000,000 以下"),
        ({"date_from": "2026-13-01"}, "日付を YYYY-MM-DD"),
        ({"date_from": "0001-01-01"}, "平成元年"),
        ({"date_from": "2026-12-05", "date_to": "2026-12-01"}, "日付（から）以降"),
        ({"section": "99999999999999999999"}, "一覧から選んでください"),
        ({"action": "no.such"}, "一覧から選んでください"),
        ({"access": "moon"}, "一覧から選んでください"),
    ],
)
def test_bad_filter_values_get_a_japanese_message(city, kansa, params, message):
    response = client_for(kansa).get(ROOM, params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_viewing_the_room_is_itself_audited(city, kansa):
    client_for(kansa).get(ROOM, {"person": "drafter", "page": "1"})
    entry = AuditEntry.objects.filter(action="auditroom.view").get()
    assert entry.actor_id == kansa.pk
    assert json.loads(entry.after)["filters"] == {"person": "drafter"}
    # The page lists the views before its own, which is recorded after it was read.
    assert client_for(kansa).get(ROOM, {"action": "auditroom.view"}).context["page"].count == 1
    assert AuditEntry.objects.filter(action="auditroom.view").count() == 2


@pytest.mark.django_db
def test_a_signed_in_official_without_staff_rights_is_told_about_the_admin(city, kansa):
    response = client_for(kansa).get("/admin/", follow=True)
    assert response.status_code == 403
    html = response.content.decode()
    assert "管理サイトは使えません" in html and 'href="/audit/"' in html and 'href="/"' in html
    assert client_for(city.drafter).get("/admin/", follow=True).status_code == 403
