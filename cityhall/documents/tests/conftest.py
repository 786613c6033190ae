"""A small real city for the documents tests, built through the org services."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.documents import services
from cityhall.documents.defaults import ensure_defaults
from cityhall.documents.models import Document, FilePlanClass, MatterKind
from cityhall.org import services as org_services
from cityhall.org.demo.structure import POSTS
from cityhall.org.models import Municipality, Post, Role

SETUP = "test-setup"
SINCE = dt.date(2024, 4, 1)

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


@pytest.fixture
def city(db):
    """みどり野市 (緑): 総務部 > 総務課 (総: 文書法制係, 庶務係), 財政課 (財), 人事課 (人); 特別職."""
    posts = {
        p.code: Post.objects.create(code=p.code, name=p.name, rank=p.rank, is_managerial=p.is_managerial, heads=p.heads)
        for p in POSTS
    }
    town = Municipality.objects.create(code="139999", name="みどり野市", kana="みどりのし", symbol="緑")

    def unit(**kw):
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


@pytest.fixture
def draft(city):
    """Make a draft by ``drafter`` (or another user): ``draft(amount=800_000, kind="spending")``."""

    def make(*, by: User | None = None, kind: str = "general", amount: int | None = None, **kw) -> Document:
        return services.draft_create(
            actor=by or city.drafter,
            title=kw.pop("title", "公用車の修繕について"),
            body=kw.pop("body", "公用車の修繕を次のとおり行う。"),
            matter_kind=city.kinds[kind],
            amount=amount,
            file_plan_class=kw.pop("file_plan_class", city.plan),
            **kw,
        )

    return make


@pytest.fixture
def submitted(city, draft):
    """A submitted draft: ``submitted(amount=800_000, kind="spending", consult_units=[...])``."""

    def make(*, by: User | None = None, consult_units=(), extra_reviewers=(), **kw) -> Document:
        doc = draft(by=by, **kw)
        return services.submit(
            actor=by or city.drafter,
            document=doc,
            expected_version=doc.version,
            consult_units=consult_units,
            extra_reviewers=extra_reviewers,
        )

    return make


def absent(user: User, *, proxy: User | None = None, days: int = 3) -> None:
    """Register ``user`` as absent from today for ``days`` days."""
    start = timezone.localdate()
    org_services.absence_register(
        actor=SETUP, user=user, starts_on=start, ends_on=start + dt.timedelta(days=days), proxy=proxy
    )


def pdf_bytes(text: str = "添付資料の本文") -> bytes:
    """A real one-page PDF with Japanese text (fpdf2 with the bundled IPAex font)."""
    from fpdf import FPDF

    from cityhall.signing.fonts import GOTHIC, font_path

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("gothic", fname=str(font_path(GOTHIC)))
    pdf.set_font("gothic", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def upload(name: str, data: bytes) -> dict:
    """Keyword arguments for ``attachment_add``."""
    return {"name": name, "stream": io.BytesIO(data), "size": len(data)}
