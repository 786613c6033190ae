"""The file plan (文書分類表) kept by the 文書主管: add, change and end a class, audited; read by everyone.

A change applies to documents drafted afterwards; an ended class keeps its records and is refused for
new ones. The screen and the API refuse bad input with the field and reason, and anyone but the
文書主管 gets 404 with nothing written.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.models import FilePlanClass
from cityhall.testing.web import client_for, documents_api, field_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _add(city, **kw):
    fields = {"actor": city.docmgr, "code": "90", "name": "情報公開", "retention_years": 5} | kw
    return services.file_plan_class_create(**fields)


def test_classes_are_added_under_classes_in_force_and_audited(city):
    major = _add(city)
    middle = _add(city, code="９０－０１", name="開示請求", parent=major)  # full-width, as typed
    minor = _add(city, code="90-01-01", name="開示決定", parent=middle, retention_years=10, expiry_action="transfer")
    assert (middle.code, middle.level, minor.level, minor.expiry_action) == ("90-01", 2, 3, "transfer")
    for bad, field in (
        ({"code": "90-01-01-01", "parent": minor}, "parent"),  # nothing under a 小分類
        ({"code": "90"}, "code"),  # taken
        ({"code": "90 01"}, "code"),
        ({"code": "x" * 31}, "code"),
        ({"code": "91", "name": " "}, "name"),
        ({"code": "91", "retention_years": 7}, "retention_years"),
        ({"code": "91", "retention_years": True}, "retention_years"),
        ({"code": "91", "sort_order": 10**30}, "sort_order"),
        ({"code": "91", "section": city.units.bunsho}, "section"),  # a 係
    ):
        with pytest.raises(ValidationFailed) as caught:
            _add(city, **bad)
        assert caught.value.field == field, bad
    with pytest.raises(PermissionDenied):
        _add(city, actor=city.kacho, code="91")
    assert FilePlanClass.objects.filter(code__startswith="9").count() == 3
    assert AuditEntry.objects.filter(action="documents.file_plan.create").count() == 3


def test_a_changed_retention_applies_to_documents_drafted_afterwards(city, draft):
    before = draft(file_plan_class=city.plan)
    services.file_plan_class_update(
        actor=city.docmgr, plan=city.plan, name=city.plan.name, retention_years=10, expiry_action="transfer"
    )
    after = draft(file_plan_class=FilePlanClass.objects.get(pk=city.plan.pk))
    before.refresh_from_db()
    assert (before.retention_years, after.retention_years, after.expiry_action) == (5, 10, "transfer")
    entry = AuditEntry.objects.get(action="documents.file_plan.update")
    assert '"retention_years":5' in entry.before and '"retention_years":10' in entry.after
    with pytest.raises(ValidationFailed, match="変更された項目"):
        services.file_plan_class_update(
            actor=city.docmgr, plan=city.plan, name=city.plan.name, retention_years=10, expiry_action="transfer"
        )


def test_an_ended_class_keeps_its_records_and_is_refused_for_new_ones(city, draft):
    kept = draft(file_plan_class=city.plan)
    today = timezone.localdate()
    parent = city.plan.parent
    with pytest.raises(ValidationFailed, match="下位の分類") as open_child:
        services.file_plan_class_end(actor=city.docmgr, plan=parent, valid_to=today)
    assert open_child.value.field == "valid_to"
    with pytest.raises(ValidationFailed, match="今日以降"):
        services.file_plan_class_end(actor=city.docmgr, plan=city.plan, valid_to=today - dt.timedelta(days=1))
    ended = services.file_plan_class_end(actor=city.docmgr, plan=city.plan, valid_to=today)
    assert ended.valid_to == today
    tomorrow = today + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="廃止されています") as refused:
        services.draft_create(
            actor=city.drafter,
            title="新しい起案",
            matter_kind=city.kinds["general"],
            file_plan_class=ended,
            on=tomorrow,
        )
    assert refused.value.field == "file_plan_class"
    kept.refresh_from_db()
    assert kept.file_plan_class_id == ended.pk
    assert services.draft_update(actor=city.drafter, document=kept, expected_version=kept.version, body="修正")
    FilePlanClass.objects.filter(pk=ended.pk).update(valid_to=today - dt.timedelta(days=1))  # a day has passed
    option = f">{ended}</option>"
    assert option not in client_for(city.drafter).get(reverse("documents:new")).content.decode()
    assert option in client_for(city.drafter).get(reverse("documents:edit", args=[kept.pk])).content.decode()


def test_the_file_plan_screens(city):
    listing = client_for(city.drafter).get(reverse("documents:file_plan")).content.decode()
    assert city.plan.name in listing and reverse("documents:file_plan_new") not in listing
    assert client_for(city.drafter).post(reverse("documents:file_plan_new"), {}).status_code == 404

    manager = client_for(city.docmgr)
    new_url = reverse("documents:file_plan_new")
    body = {"code": "90", "name": "情報公開", "retention_years": "5", "expiry_action": "dispose"}
    for bad, field in (
        ({"sort_order": "9" * 40}, "sort_order"),
        ({"sort_order": "１２x"}, "sort_order"),
        ({"code": ""}, "code"),
        ({"retention_years": "１０"}, "retention_years"),
        ({"parent": "99999999999999999999"}, "parent"),
        ({"code": "01"}, "code"),  # taken by the default file plan
    ):
        response = manager.post(new_url, body | bad)
        assert response.status_code == 400, bad
        assert field_error(response.content.decode(), f"id_{field}")
    assert manager.post(new_url, body | {"sort_order": "１２"}).status_code == 302
    added = FilePlanClass.objects.get(code="90")
    assert added.sort_order == 12

    edit = reverse("documents:file_plan_edit", args=[added.pk])
    assert manager.post(edit, body | {"retention_years": "30"}).status_code == 302
    end = reverse("documents:file_plan_end", args=[added.pk])
    for value in ("2026/13/40", "令和", ""):
        response = manager.post(end, {"valid_to": value})
        assert response.status_code == 400
        assert field_error(response.content.decode(), "id_valid_to")
    last_day = timezone.localdate() + dt.timedelta(days=30)
    era = f"令和{last_day.year - 2018}年{last_day.month}月{last_day.day}日"
    assert manager.post(end, {"valid_to": era}).status_code == 302
    added.refresh_from_db()
    assert (added.retention_years, added.valid_to) == (30, last_day)


def test_the_file_plan_through_the_api(city):
    body = {"code": "90", "name": "情報公開", "retention_years": 5}
    assert documents_api(city.drafter, "post", "/file-plan-classes", body).status_code == 404
    bad = documents_api(city.docmgr, "post", "/file-plan-classes", body | {"retention_years": 4})
    assert (bad.status_code, bad.json()["field"]) == (400, "retention_years")
    unknown = documents_api(city.docmgr, "post", "/file-plan-classes", body | {"parent_id": 999999})
    assert (unknown.status_code, unknown.json()["field"]) == (400, "parent_id")
    created = documents_api(city.docmgr, "post", "/file-plan-classes", body)
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    changed = documents_api(
        city.docmgr, "put", f"/file-plan-classes/{plan_id}", body | {"retention_years": 10, "expiry_action": "transfer"}
    )
    assert (changed.status_code, changed.json()["retention_years"]) == (200, 10)
    assert documents_api(city.docmgr, "put", "/file-plan-classes/999999", body).status_code == 404
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    ended = documents_api(city.docmgr, "post", f"/file-plan-classes/{plan_id}/end", {"valid_to": day})
    assert (ended.status_code, ended.json()["valid_to"]) == (200, day)
    listed = {p["code"]: p["valid_to"] for p in documents_api(city.drafter, "get", "/file-plan-classes").json()}
    assert listed["90"] == day
