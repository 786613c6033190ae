"""Telework's two figures on the DX dashboard, and the 幹部's read-only way to the records behind them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cityhall.core.japanese import fiscal_year
from cityhall.org.models import Role
from cityhall.org.services import role_grant
from cityhall.telework.models import TeleworkDay
from cityhall.telework.services.inventory import TaskInput, inventory_task_create
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide
from cityhall.testing.telework import future_monday, telework_request
from cityhall.testing.web import api_call, client_for

pytestmark = pytest.mark.django_db


def _task(city, name: str, *obstacles: str) -> None:
    data = TaskInput(name=name, hours_per_year=100, obstacles=obstacles)
    inventory_task_create(actor=city.kacho, section_id=city.units.soumu.pk, data=data)


def test_the_dashboard_shows_ready_tasks_and_days_taken_and_the_mayor_reads_what_is_behind(city):
    role_grant(actor=SETUP, user=city.shicho, role=Role.EXECUTIVE, valid_from=SINCE)
    _task(city, "例規の調査")
    _task(city, "相談記録の整理", "personal_data")  # 条件付きで可
    _task(city, "窓口での交付", "counter_work")  # 不可
    taken, planned = telework_request(city.drafter, future_monday()), telework_request(city.drafter2, future_monday())
    decide(taken)
    decide(planned)
    TeleworkDay.objects.filter(request=taken).update(day=timezone.localdate())  # a day already worked
    soumu = city.units.soumu.pk

    shown = api_call(city.shicho, "get", "/api/dashboard/figures").json()
    provided = {f["name"]: f["value"] for f in shown["provided"]}
    assert provided == {"telework_ready_tasks": 2, "telework_days": 1}  # the planned day is not taken yet
    row = next(s for s in shown["sections"] if s["section_id"] == soumu)
    assert (row["telework_ready_tasks"], row["telework_days"]) == (2, 1)
    month = f"{timezone.localdate():%Y-%m}"
    assert [m["telework_days"] for m in shown["months"] if str(m["month"]).startswith(month)] == [1]
    page = client_for(city.shicho).get("/dashboard/").content.decode()
    assert 'data-testid="telework_days"' in page and f"/telework/calendar/?section={soumu}" in page
    assert f'name="fiscal_year" value="{fiscal_year(timezone.localdate())}"' in page  # the box says which 年度

    mayor = client_for(city.shicho)
    inventory = mayor.get(f"/telework/inventory/{soumu}/").content.decode()
    assert "例規の調査" in inventory and 'data-testid="read-only"' in inventory and "業務を追加する" not in inventory
    refused = mayor.post(f"/telework/inventory/{soumu}/", {"name": "x", "hours_per_year": "1"})
    assert refused.status_code == 404
    assert mayor.get("/telework/calendar/", {"section": soumu}).status_code == 200
    assert client_for(city.drafter).get(f"/telework/inventory/{soumu}/").status_code == 404
