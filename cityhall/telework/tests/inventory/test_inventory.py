"""The task inventory: readiness measured from decided documents, Excel import and export, scoping, audit."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.telework.models import InventoryTask
from cityhall.telework.selectors.inventory import Readiness, ready_task_counts, section_inventory
from cityhall.telework.services.inventory import (
    TaskInput,
    inventory_import,
    inventory_task_create,
    inventory_task_update,
)
from cityhall.testing.city import audit_actions
from cityhall.testing.documents import draft_document
from cityhall.testing.engine import decide
from cityhall.testing.web import api_call, client_for

pytestmark = pytest.mark.django_db

HEADER = ["業務名", "年間業務時間", "使用するシステム", "事案の種類", "押印・紙の決裁が必要", "窓口業務"]


def _task(city, name, *obstacles, kind=""):
    data = TaskInput(name=name, hours_per_year=100, obstacles=tuple(obstacles), matter_kind=kind)
    return inventory_task_create(actor=city.kacho, section_id=city.units.soumu.pk, data=data)


def test_seals_are_removed_once_the_section_decides_the_kind_electronically(city, settings):
    seal = _task(city, "文書の審査", "seals", kind="general")
    _task(city, "窓口での交付", "counter_work")
    _task(city, "相談記録の整理", "personal_data")
    _task(city, "例規の調査")
    rows = {r.task.name: r for r in section_inventory(city.kacho, city.units.soumu.pk).rows}
    assert rows["文書の審査"].readiness == Readiness.BLOCKED
    assert "電子決裁の記録がまだありません" in rows["文書の審査"].reasons[0]
    assert rows["窓口での交付"].readiness == Readiness.BLOCKED
    assert rows["相談記録の整理"].readiness == Readiness.CONDITIONS
    assert rows["例規の調査"].readiness == Readiness.READY

    decide(draft_document(city, kind="general"))
    with CaptureQueriesContext(connection) as queries:
        inventory = section_inventory(city.kacho, city.units.soumu.pk)
    row = next(r for r in inventory.rows if r.task.pk == seal.pk)
    assert row.readiness == Readiness.READY and row.reasons == []
    assert "解消" in row.removed[0] and "100%" in row.removed[0]
    _task(city, "予算の要求", "seals", kind="spending")
    _task(city, "契約の事務", "seals", "paper_originals", kind="contract")
    with CaptureQueriesContext(connection) as more:
        section_inventory(city.kacho, city.units.soumu.pk)
    assert len(more) == len(queries)  # the scope, the tasks, one grouped count over documents
    counts = ready_task_counts(city.kacho)
    assert [(c.section_name, c.ready, c.conditions, c.blocked) for c in counts] == [("総務課", 2, 1, 3)]

    settings.CITYHALL_TELEWORK_E_DECISION_SHARE = 101
    row = next(r for r in section_inventory(city.kacho, city.units.soumu.pk).rows if r.task.pk == seal.pk)
    assert row.readiness == Readiness.BLOCKED and "基準 101%" in row.reasons[0]


def test_import_takes_all_rows_or_none_and_the_export_reads_back(city, xlsx_file):
    section = city.units.soumu.pk
    bad = xlsx_file(
        [
            HEADER,
            ["文書の審査", 120, "文書管理", "一般", "はい", "いいえ"],
            ["", -3, "", "存在しない種類", "たぶん", ""],
        ],
        title="業務棚卸し",
    )
    with pytest.raises(ValidationFailed) as refused:
        inventory_import(actor=city.kacho, section_id=section, data=bad)
    reasons = [str(r) for r in refused.value.extra["rows"]]  # type: ignore[attr-defined]
    assert any("3行目" in r and "業務名" in r for r in reasons)
    assert any("3行目" in r and "年間業務時間" in r for r in reasons)
    assert any("3行目" in r and "押印" in r for r in reasons)
    assert not InventoryTask.objects.exists()

    good = xlsx_file(
        [HEADER, ["文書の審査", 120, "文書管理", "一般", "はい", "いいえ"], ["窓口", 800, "", "", "", "はい"]],
        title="業務棚卸し",
    )
    assert len(inventory_import(actor=city.kacho, section_id=section, data=good).created) == 2
    task = InventoryTask.objects.get(name="文書の審査")
    inventory_task_update(
        actor=city.kacho, task_id=task.pk, data=TaskInput("文書の審査", 120, "=1+1", ("seals",), "general")
    )
    exported = client_for(city.kacho).get(f"/telework/inventory/{section}/export.xlsx")
    assert exported.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None and sheet["C2"].data_type == "s"  # text stays text, never a formula
    result = inventory_import(actor=city.kacho, section_id=section, data=exported.content)
    assert sorted(result.updated) == ["文書の審査", "窓口"] and result.created == []
    tasks = {t.name: t for t in InventoryTask.objects.select_related("matter_kind")}
    assert tasks["文書の審査"].obstacles == ["seals"] and str(tasks["文書の審査"].matter_kind) == "一般"
    assert tasks["窓口"].obstacles == ["counter_work"]
    assert audit_actions().count("telework.inventory.import") == 2


def test_only_the_sections_head_sees_and_writes_its_inventory(city):
    task = _task(city, "文書の審査", "seals")
    section = city.units.soumu.pk
    assert client_for(city.kacho).get(f"/telework/inventory/{section}/").status_code == 200
    other = client_for(city.zaisei_kacho)
    assert other.get(f"/telework/inventory/{section}/").status_code == 404
    assert other.get(f"/telework/inventory/tasks/{task.pk}/").status_code == 404
    assert other.get("/telework/inventory/").status_code == 200
    assert client_for(city.drafter).get("/telework/inventory/").status_code == 404
    assert api_call(city.zaisei_kacho, "get", f"/api/telework/inventory/sections/{section}/tasks").status_code == 404
    with pytest.raises(PermissionDenied):
        inventory_task_update(actor=city.zaisei_kacho, task_id=task.pk, data=TaskInput("x", 1))
    created = api_call(
        city.kacho,
        "post",
        f"/api/telework/inventory/sections/{section}/tasks",
        {"name": "例規の調査", "hours_per_year": 40, "obstacles": []},
    )
    assert created.status_code == 201 and created.json()["readiness"] == "ready"
    refused = api_call(
        city.kacho,
        "post",
        f"/api/telework/inventory/sections/{section}/tasks",
        {"name": "例規の調査", "hours_per_year": 1},
    )
    assert refused.status_code == 400 and "同じ業務名" in refused.json()["detail"]
    assert audit_actions().count("telework.inventory.create") == 2
