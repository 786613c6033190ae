"""A small real organisation for the org tests, built through the services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import TypeVar

import pytest

from cityhall.accounts.models import User
from cityhall.core.models import AuditEntry
from cityhall.org import services
from cityhall.org.demo.structure import POSTS
from cityhall.org.models import Municipality, Post

T = TypeVar("T")
SETUP = "test-setup"
SINCE = dt.date(2025, 4, 1)


@pytest.fixture
def make_user(db):
    def make(username: str, *, last_name: str = "山田", **extra) -> User:
        return User.objects.create_user(username=username, last_name=last_name, first_name="太郎", **extra)

    return make


@pytest.fixture
def city(db, make_user):
    """市民部 > 税務課 (市民税係), 納税課; 特別職 with 市長 and 副市長; everyone from 2025-04-01."""
    posts = {
        p.code: Post.objects.create(code=p.code, name=p.name, rank=p.rank, is_managerial=p.is_managerial, heads=p.heads)
        for p in POSTS
    }
    town = Municipality.objects.create(code="139998", name="テスト市", kana="てすとし", symbol="テ")

    def unit(**kw):
        return services.unit_create(actor=SETUP, municipality=town, valid_from=dt.date(2000, 4, 1), **kw)

    executive = unit(kind="executive", code="00", name="特別職")
    dept = unit(kind="department", code="03", name="市民部")
    zeimu = unit(kind="section", code="0302", name="税務課", parent=dept, symbol="税")
    nozei = unit(kind="section", code="0303", name="納税課", parent=dept, symbol="納")
    shiminzei = unit(kind="subsection", code="030201", name="市民税係", parent=zeimu)
    people = {}
    for username, where, post in [
        ("shicho", executive, "shicho"),
        ("fukushicho", executive, "fukushicho"),
        ("bucho", dept, "bucho"),
        ("zeimu_kacho", zeimu, "kacho"),
        ("zeimu_hosa", zeimu, "kacho_hosa"),
        ("nozei_kacho", nozei, "kacho"),
        ("kakaricho", shiminzei, "kakaricho"),
        ("drafter", shiminzei, "shuji"),
    ]:
        people[username] = make_user(username)
        services.assignment_create(actor=SETUP, user=people[username], unit=where, post=posts[post], valid_from=SINCE)
    return SimpleNamespace(
        town=town,
        posts=posts,
        executive=executive,
        dept=dept,
        zeimu=zeimu,
        nozei=nozei,
        shiminzei=shiminzei,
        **people,
    )


def must(value: T | None) -> T:
    """The value, failing the test when it is None (keeps the type checker exact)."""
    assert value is not None
    return value


def last_entry() -> AuditEntry:
    """The newest audit entry."""
    return must(AuditEntry.objects.order_by("-seq").first())
