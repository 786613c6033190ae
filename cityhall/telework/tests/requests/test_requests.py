"""Telework requests: the limits at drafting, submit and decision; the calendar's scope; the day check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.business_days import previous_business_day
from cityhall.documents.models import Document
from cityhall.org.models import Role
from cityhall.telework.models import RemoteRule, TeleworkDay, TeleworkLimits, TeleworkRequest
from cityhall.telework.services import LimitsInput, telework_limits_set
from cityhall.testing.audit import make_auditor
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.engine import approve_to_decision, decide, document_of, submit
from cityhall.testing.telework import future_monday, telework_request
from cityhall.testing.web import api_call, client_for

pytestmark = pytest.mark.django_db
REMOTE = "203.0.113.20"
API = "/api/telework"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def it_admin(city):
    return make_auditor("joho", role=Role.IT_ADMIN)


def _limits(actor, week: int = 2, percent: int = 50, approved_only: bool = False) -> None:
    telework_limits_set(
        actor=actor,
        limits=LimitsInput(max_days_per_week=week, max_section_percent=percent, approved_days_only=approved_only),
    )


def test_days_beyond_the_week_the_section_or_in_the_past_are_refused_and_nothing_is_saved(city, it_admin):
    monday = future_monday()
    _limits(it_admin, week=2, percent=15)  # 総務課 has 7 staff: one a day
    client = client_for(city.drafter)
    before = (Document.objects.count(), AuditEntry.objects.count())
    three = {"days": [str(monday + dt.timedelta(i)) for i in range(3)], "tasks": "資料作成"}
    week = client.post(API + "/requests", three, "application/json")
    assert week.status_code == 400 and "1人2日まで" in week.json()["detail"]
    yesterday = str(previous_business_day(timezone.localdate()))
    past = client.post("/telework/requests/", {"days": yesterday, "tasks": "資料作成",
                                               "reachable_from": "09:00", "reachable_to": "17:45"})  # fmt: skip
    assert past.status_code == 400 and "過ぎた日" in past.content.decode()
    ancient = client.post(API + "/requests", three | {"days": ["0180-07-07"]}, "application/json")
    assert ancient.status_code == 400 and "0180-07-07 は申請できません" in ancient.json()["detail"]
    # The 課's share is counted from requests on route or decided, at drafting, submit and decision.
    first = telework_request(city.drafter2, monday)
    mine = telework_request(city.drafter, monday)  # drafts do not count
    submit(first)
    with pytest.raises(ValidationFailed, match="課のテレワークが上限"):
        submit(mine)
    assert Document.objects.get(pk=mine.document_id).status == "draft"
    crowded = client.post(API + "/requests", {"days": [str(monday)], "tasks": "資料作成"}, "application/json")
    assert crowded.status_code == 400 and "1名" in crowded.json()["detail"]
    _limits(it_admin, percent=100)
    submit(mine)
    _limits(it_admin, percent=15)
    approve_to_decision(document_of(first))
    with pytest.raises(ValidationFailed, match="課のテレワークが上限"):
        approve_to_decision(document_of(mine))
    assert Document.objects.count() == before[0] + 2 and TeleworkRequest.objects.count() == 2
    assert AuditEntry.objects.filter(action="telework.request.create").count() == 2
    assert AuditEntry.objects.filter(action="telework.limits.change").count() == 3


def test_the_decided_request_shows_in_the_calendar_of_its_section_only(city, it_admin):
    monday = future_monday()
    made = api_call(city.drafter, "post", API + "/requests", {"days": [str(monday)], "tasks": "例規の確認"})
    assert made.status_code == 201 and made.json()["status"] == "draft"
    request = TeleworkRequest.objects.get(pk=made.json()["id"])
    assert Document.objects.get(pk=request.document_id).matter_kind.code == "service"
    doc = decide(request)
    assert doc.steps.get(kind="decide").assignee == city.kakaricho  # 係長専決
    shown = api_call(city.drafter2, "get", API + "/calendar", {"start": str(monday), "days": 5}).json()
    cells = {row["name"]: row["cells"] for row in shown["rows"]}
    assert cells[city.drafter.get_full_name()] == ["telework", "office", "office", "office", "office"]
    assert api_call(city.drafter2, "get", f"{API}/requests/{request.pk}").status_code == 200
    # Another 課 sees its own calendar, not this one, nor the request or its document.
    outsider = client_for(city.outsider)
    assert outsider.get(API + "/calendar", {"section": city.units.soumu.pk}).status_code == 404
    assert outsider.get("/telework/calendar/", {"section": city.units.soumu.pk}).status_code == 404
    assert outsider.get(f"{API}/requests/{request.pk}").status_code == 404
    assert outsider.get(f"/documents/{request.document_id}/").status_code == 404
    assert outsider.get(API + "/calendar").json()["section"] == "人事課"
    # 情報政策 sees every 課.
    page = client_for(it_admin).get("/telework/calendar/", {"section": city.units.soumu.pk, "start": str(monday)})
    assert page.status_code == 200 and 'data-state="telework"' in page.content.decode()


def test_with_approved_days_only_a_remote_session_sees_personal_data_only_on_an_approved_day(city, it_admin, draft):
    from cityhall.documents import services as docs

    RemoteRule.objects.create(data_class="personal", role="", mode="see")
    doc = draft(title="個人の記録", has_personal_info=True)
    attachment = docs.attachment_add(actor=city.drafter, document=doc, expected_version=doc.version,
                                     **upload("記録.pdf", pdf_bytes()))  # fmt: skip
    download = f"/documents/{doc.pk}/attachments/{attachment.pk}/"
    reader = client_for(city.drafter)
    assert reader.get(download, REMOTE_ADDR=REMOTE).status_code == 200  # switch off: the policy alone
    _limits(it_admin, approved_only=True)
    assert TeleworkLimits.current().approved_days_only
    assert reader.get(download, REMOTE_ADDR=REMOTE).status_code == 403
    assert reader.get(download).status_code == 200  # the office is never governed
    # IT without a telework day still opens the policy screens from outside (no lock-out).
    assert client_for(it_admin).get("/telework/policy/", REMOTE_ADDR=REMOTE).status_code == 200
    approved = telework_request(city.drafter, future_monday())
    decide(approved)
    TeleworkDay.objects.filter(request=approved).update(day=timezone.localdate())  # the approved day is today
    assert reader.get(download, REMOTE_ADDR=REMOTE).status_code == 200


def test_a_closed_day_is_refused_with_its_reason(city):
    sunday = future_monday() - dt.timedelta(days=1)
    made = api_call(city.drafter, "post", API + "/requests", {"days": [str(sunday)], "tasks": "資料作成"})
    assert made.status_code == 400 and "閉庁日（日曜日）" in made.json()["detail"]
    assert not TeleworkRequest.objects.exists()


def test_days_typed_with_full_width_digits_are_read():
    from cityhall.telework.forms.requests import parse_days

    assert parse_days("２０２６／１２／１５、2026-12-16") == [dt.date(2026, 12, 15), dt.date(2026, 12, 16)]


def test_a_sent_back_request_is_corrected_by_its_drafter_and_submitted_again(city, it_admin):
    from cityhall.documents import services as docs

    monday = future_monday()
    _limits(it_admin, week=2, percent=100)
    request = telework_request(city.drafter, monday, tasks="資料作成")
    doc = submit(request)
    docs.send_back(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="業務を具体的に")
    page = f"/telework/requests/{request.pk}/"
    client = client_for(city.drafter)
    shown = client.get(page).content.decode()
    assert 'data-testid="request-edit"' in shown and f"{monday:%Y/%m/%d}" in shown
    hours = {"reachable_from": "09:00", "reachable_to": "17:45"}
    three = "\n".join(f"{monday + dt.timedelta(i):%Y/%m/%d}" for i in range(3))
    refused = client.post(page, {"days": three, "tasks": "例規集の改訂案の作成"} | hours)
    assert refused.status_code == 400 and "1人2日まで" in refused.content.decode()
    tuesday = monday + dt.timedelta(1)
    typed = f"{tuesday:%Y/%m/%d}".translate(str.maketrans("0123456789/", "０１２３４５６７８９／"))
    assert client.post(page, {"days": typed, "tasks": "例規集の改訂案の作成"} | hours).status_code == 302
    request.refresh_from_db()
    document = Document.objects.get(pk=request.document_id)
    assert list(request.days.values_list("day", flat=True)) == [tuesday] and request.tasks == "例規集の改訂案の作成"
    assert "例規集の改訂案の作成" in document.body and document.title.startswith("テレワークの申請（")
    assert AuditEntry.objects.filter(action="telework.request.update").count() == 1
    # Nobody else corrects it; once on route again, neither does the drafter.
    other = api_call(city.drafter2, "put", f"{API}/requests/{request.pk}", {"days": [str(tuesday)], "tasks": "x"})
    assert other.status_code == 404
    submit(request)
    again = api_call(city.drafter, "put", f"{API}/requests/{request.pk}", {"days": [str(tuesday)], "tasks": "x"})
    assert again.status_code == 409 and "修正できません" in again.json()["detail"]
    assert 'data-testid="request-edit"' not in client.get(page).content.decode()
    assert approve_to_decision(document_of(request)).status == "decided"
