"""The test cities, built through the org services, and people in them (テスト用の市と職員).

``build_city`` is みどり野市 (the documents, finance and most other tests); ``build_tax_city``
is テスト市, a smaller 市民部 for the organisation tests. Both are restored per test from a
snapshot (``cityhall.testing.snapshots``) by the ``city`` and ``tax_city`` fixtures.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any, TypeVar

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.models import AuditEntry
from cityhall.documents.defaults import ensure_defaults
from cityhall.documents.models import FilePlanClass, MatterKind
from cityhall.org import services as org_services
from cityhall.org.demo.structure import POSTS
from cityhall.org.models import Municipality, OrgUnit, Post, Role, UnitKind

T = TypeVar("T")
SETUP = "test-setup"
"""The actor of set-up writes (an audit entry's label when no user acts)."""
SINCE = dt.date(2024, 4, 1)
"""Everyone in みどり野市 holds their post from this day."""
TAX_CITY_SINCE = dt.date(2025, 4, 1)
"""Everyone in テスト市 holds their post from this day."""

STAFF = [
    # username, last name, unit key, post code
    ("shicho", "市川", "executive", "shicho"),
    ("fukushicho", "副田", "executive", "fukushicho"),
    ("bucho", "部田", "soumubu", "bucho"),
    ("kacho", "課山", "soumu", "kacho"),
    ("hosa", "補佐木", "soumu", "kacho_hosa"),
    ("kakaricho", "係川", "bunsho", "kakaricho"),
    ("drafter", "起田", "bunsho", "shuji"),
    ("drafter2", "起村", "bunsho", "shuji"),
    ("shunin", "主野", "bunsho", "shunin"),
    ("zaisei_kacho", "財部", "zaisei", "kacho"),
    ("jinji_kacho", "人見", "jinji", "kacho"),
    ("docmgr", "文野", "shomu", "shuji"),
    ("outsider", "外山", "jinji", "shuji"),
]


def make_posts() -> dict[str, Post]:
    """The posts of the demo structure (市長 … 主事), by code."""
    return {
        p.code: Post.objects.create(code=p.code, name=p.name, rank=p.rank, is_managerial=p.is_managerial, heads=p.heads)
        for p in POSTS
    }


def build_city() -> SimpleNamespace:
    """みどり野市 (緑): 総務部 > 総務課 (総: 文書法制係, 庶務係), 財政課 (財), 人事課 (人); 特別職.

    Thirteen staff (``STAFF``) from ``SINCE``; ``docmgr`` is the document manager (文書主管);
    the default kinds of matter, delegation rules and file plan are loaded.
    """
    posts = make_posts()
    town = Municipality.objects.create(code="139999", name="みどり野市", kana="みどりのし", symbol="緑")

    def unit(**kw: Any) -> OrgUnit:
        return org_services.unit_create(actor=SETUP, municipality=town, valid_from=dt.date(2000, 4, 1), **kw)

    units = {}
    units["executive"] = unit(kind="executive", code="00", name="特別職")
    units["soumubu"] = unit(kind="department", code="01", name="総務部")
    units["soumu"] = unit(kind="section", code="0101", name="総務課", parent=units["soumubu"], symbol="総")
    units["zaisei"] = unit(kind="section", code="0102", name="財政課", parent=units["soumubu"], symbol="財")
    units["jinji"] = unit(kind="section", code="0103", name="人事課", parent=units["soumubu"], symbol="人")
    units["bunsho"] = unit(kind="subsection", code="010101", name="文書法制係", parent=units["soumu"])
    units["shomu"] = unit(kind="subsection", code="010102", name="庶務係", parent=units["soumu"])
    people = {}
    for username, last_name, where, post in STAFF:
        people[username] = User.objects.create_user(
            username=username, last_name=last_name, first_name="太郎", email=f"{username}@example.jp"
        )
        org_services.assignment_create(
            actor=SETUP, user=people[username], unit=units[where], post=posts[post], valid_from=SINCE
        )
    org_services.role_grant(actor=SETUP, user=people["docmgr"], role=Role.DOCUMENT_MANAGER, valid_from=SINCE)
    ensure_defaults(actor=SETUP)
    return SimpleNamespace(
        town=town,
        posts=posts,
        units=SimpleNamespace(**units),
        kinds={k.code: k for k in MatterKind.objects.all()},
        plan=FilePlanClass.objects.get(code="01-01-02"),
        **people,
    )


def build_tax_city() -> SimpleNamespace:
    """テスト市: 市民部 > 税務課 (市民税係), 納税課; 特別職 with 市長 and 副市長; everyone from ``TAX_CITY_SINCE``."""
    posts = make_posts()
    town = Municipality.objects.create(code="139998", name="テスト市", kana="てすとし", symbol="テ")

    def unit(**kw: Any) -> OrgUnit:
        return org_services.unit_create(actor=SETUP, municipality=town, valid_from=dt.date(2000, 4, 1), **kw)

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
        org_services.assignment_create(
            actor=SETUP, user=people[username], unit=where, post=posts[post], valid_from=TAX_CITY_SINCE
        )
    return SimpleNamespace(
        town=town, posts=posts, executive=executive, dept=dept, zeimu=zeimu, nozei=nozei, shiminzei=shiminzei, **people
    )


def make_user(username: str, *, last_name: str = "山田", **extra: Any) -> User:
    """A member of staff with no post (first name 太郎)."""
    return User.objects.create_user(username=username, last_name=last_name, first_name="太郎", **extra)


def absent(user: User, *, proxy: User | None = None, days: int = 3) -> None:
    """Register ``user`` as absent (不在) from today for ``days`` days, with ``proxy`` as 代決者."""
    start = timezone.localdate()
    org_services.absence_register(
        actor=SETUP, user=user, starts_on=start, ends_on=start + dt.timedelta(days=days), proxy=proxy
    )


def transfer_to_resident_tax(user: User) -> None:
    """総務課 主事 until yesterday, then 税務課 市民税係 主任 from today (an April-style transfer)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=400)
    city = Municipality.objects.create(code="999999", name="みどり野市", symbol="緑")

    def unit(kind: str, code: str, name: str, parent: OrgUnit | None = None) -> OrgUnit:
        return org_services.unit_create(
            actor="test", municipality=city, kind=kind, code=code, name=name, parent=parent, valid_from=start
        )

    general = unit(UnitKind.DEPARTMENT, "100", "総務部")
    affairs = unit(UnitKind.SECTION, "110", "総務課", general)
    tax = unit(UnitKind.SECTION, "120", "税務課", general)
    resident_tax = unit(UnitKind.SUBSECTION, "121", "市民税係", tax)
    clerk = Post.objects.create(code="shuji", name="主事", rank=10)
    senior = Post.objects.create(code="shunin", name="主任", rank=20)
    org_services.assignment_create(actor="test", user=user, unit=affairs, post=clerk, valid_from=start)
    org_services.assignment_create(actor="test", user=user, unit=resident_tax, post=senior, valid_from=today)


def must(value: T | None) -> T:
    """The value, failing the test when it is None (keeps the type checker exact)."""
    assert value is not None
    return value


def last_entry() -> AuditEntry:
    """The newest audit entry (監査ログ)."""
    return must(AuditEntry.objects.order_by("-seq").first())


def audit_actions() -> list[str]:
    """The actions of the audit trail, oldest first."""
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
