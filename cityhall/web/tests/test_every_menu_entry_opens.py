"""Every main-menu entry opens on a plain first visit (valid defaults) for every kind of official."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from cityhall.org.models import Role
from cityhall.org.services import role_grant
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.web import client_for
from cityhall.web.navigation import nav_links

pytestmark = pytest.mark.django_db

# The demo roles (docs/demo-accounts.md) in the test city and the role granted to them (the budget makes
# zaisei_kacho 会計; docmgr is 文書主管 in the city).
ROLE_GRANTS = {"docmgr": None, "zaisei_kacho": None, "jinji_kacho": Role.IT_ADMIN, "outsider": Role.AUDITOR}


def _officials(city: SimpleNamespace, treasurer) -> dict[str, Any]:
    for username, role in ROLE_GRANTS.items():
        if role is not None:
            role_grant(actor=SETUP, user=getattr(city, username), role=role, valid_from=SINCE)
    role_grant(actor=SETUP, user=city.shunin, role=Role.TAX_COLLECTION, valid_from=SINCE)
    role_grant(actor=SETUP, user=city.shicho, role=Role.EXECUTIVE, valid_from=SINCE)
    names = ["drafter", "kakaricho", "kacho", "bucho", "fukushicho", "shicho", "shunin", *ROLE_GRANTS]
    return {name: getattr(city, name) for name in names} | {"treasurer": treasurer}


def test_every_menu_entry_answers_200_for_every_role_on_the_first_visit(city, budget, treasurer):
    failures = []
    for name, user in _officials(city, treasurer).items():
        client = client_for(user)
        links = nav_links(user, "/")
        assert links, name
        for link in links:
            response = client.get(link.url)
            if response.status_code != 200:
                failures.append((name, link.url, response.status_code))
    assert failures == []


def test_the_register_of_a_department_head_and_the_mayor_defaults_to_their_own_unit(city):
    for user, unit in [(city.bucho, city.units.soumubu), (city.shicho, city.units.executive)]:
        response = client_for(user).get("/documents/register/")
        assert response.status_code == 200
        assert response.context["form"].cleaned_data["section"] == unit
