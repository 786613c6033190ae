"""A URL that matches no route: JSON under /api/, the Japanese 404 page elsewhere (``web.errors``)."""

from __future__ import annotations

import pytest

from cityhall.testing.web import client_for
from cityhall.web.errors import NOT_FOUND

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/documents/abc", "/api/no-such-thing", "/api/finance/orders/１２"])
def test_an_api_path_with_no_route_answers_json(city, path):
    response = client_for(city.drafter).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": NOT_FOUND, "field": None}


def test_a_page_with_no_route_is_the_page(city):
    response = client_for(city.drafter).get("/documents/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "ページが見つかりません" in response.content.decode()
