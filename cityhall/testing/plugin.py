"""The fixtures every app's tests share, registered from the root ``conftest.py`` (``pytest_plugins``).

``city``, ``tax_city`` and ``budget`` are built through the services once per test database
and restored per test (``cityhall.testing.snapshots``); tests outside a transaction build them.
The factories (``draft``, ``encumber``, ``decided_order`` …) call the builders of this package;
``csv_file`` and ``xlsx_file`` build files to import (``tables``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from functools import cache, partial
from types import SimpleNamespace
from typing import Any

import freezegun
import pytest

from cityhall.testing import city as city_builders
from cityhall.testing import documents as document_builders
from cityhall.testing import finance as finance_builders
from cityhall.testing import inquiries as inquiry_builders
from cityhall.testing import signing as signing_helpers
from cityhall.testing import tables as table_files
from cityhall.testing.snapshots import Snapshot, capture, in_transaction, restorable, restore

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from a thread with a running loop unless told it is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A clock frozen by a fixture (freezegun) must not reach pytest's own timing, or the slowest-tests
# report at the end of every run lists those tests' setup as lasting decades.
freezegun.configure(extend_ignore_list=["_pytest.timing"])

CHROMIUM = os.environ.get("CITYHALL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_snapshots: dict[str, Snapshot] = {}


@pytest.fixture(autouse=True)
def _japanese_first() -> Iterator[None]:
    """Each test starts in the site's language: a request in English leaves English active in its thread."""
    from django.utils import translation

    translation.activate("ja")
    yield
    translation.activate("ja")


# --- data built once per test database ----------------------------------------------------------


@pytest.fixture
def _restored() -> set[str]:
    """The snapshots restored in this test (a snapshot stands on its parent's rows, restored first)."""
    return set()


def _built(restored: set[str], name: str, build: Callable[..., Any], *args: Any, parent: str | None = None) -> Any:
    """The snapshot ``name`` restored when the database allows it; otherwise ``build(*args)`` as staff would."""
    if not in_transaction() or (parent is not None and parent not in restored):
        return build(*args)
    snapshot = _snapshots.get(name)
    if snapshot is None:
        snapshot = _snapshots[name] = capture(name, build, *args)
    if not restorable(snapshot):
        return build(*args)
    restored.add(name)
    return restore(snapshot)


@pytest.fixture
def city(db: None, _restored: set[str]) -> SimpleNamespace:
    """みどり野市 with thirteen staff (``cityhall.testing.city.build_city``)."""
    return _built(_restored, "city", city_builders.build_city)


@pytest.fixture
def tax_city(db: None, _restored: set[str]) -> SimpleNamespace:
    """テスト市, the organisation tests' 市民部 (``cityhall.testing.city.build_tax_city``)."""
    return _built(_restored, "tax_city", city_builders.build_tax_city)


@pytest.fixture
def budget(city: SimpleNamespace, _restored: set[str]) -> SimpleNamespace:
    """総務課's ¥3,000,000 allotment and one creditor (``cityhall.testing.finance.build_budget``)."""
    return _built(_restored, "budget", finance_builders.build_budget, city, parent="city")


@pytest.fixture
def inquiry_city(city: SimpleNamespace, _restored: set[str]) -> SimpleNamespace:
    """納税課 and 税務課 with their collectors, institutions, persons and a batch (``testing.inquiries``)."""
    return _built(_restored, "inquiries", inquiry_builders.build_inquiries, city, parent="city")


# --- factories ------------------------------------------------------------------------------------


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """Make a member of staff with no post: ``make_user("it-admin", is_superuser=True)``."""
    return city_builders.make_user


@pytest.fixture
def draft(city: SimpleNamespace) -> Callable[..., Any]:
    """Make a draft by ``drafter`` (or ``by``): ``draft(amount=800_000, kind="spending")``."""
    return partial(document_builders.draft_document, city)


@pytest.fixture
def submitted(city: SimpleNamespace) -> Callable[..., Any]:
    """Make a submitted draft: ``submitted(amount=800_000, kind="spending", consult_units=[...])``."""
    return partial(document_builders.submitted_document, city)


@pytest.fixture
def encumber(city: SimpleNamespace, budget: SimpleNamespace) -> Callable[..., Any]:
    """Draft an encumbrance: ``encumber(amount=800_000, by=city.drafter)``."""
    return partial(finance_builders.draft_encumbrance, city, budget)


@pytest.fixture
def draft_order(city: SimpleNamespace, budget: SimpleNamespace) -> Callable[..., Any]:
    """Draft a payment order: ``draft_order(amounts=(110_000,), kind="combined")``."""
    return partial(finance_builders.draft_order, city, budget)


@pytest.fixture
def decided_order(city: SimpleNamespace, budget: SimpleNamespace) -> Callable[..., Any]:
    """A payment order decided through the engine, waiting for review: ``decided_order(amounts=(...))``."""
    return partial(finance_builders.decided_order, city, budget)


@pytest.fixture
def treasurer(city: SimpleNamespace) -> Any:
    """会計管理者 (the accounting manager), holding the TREASURER role city-wide."""
    return finance_builders.make_treasurer()


@pytest.fixture
def reserve(budget: SimpleNamespace) -> Any:
    """The 予備費 line with ¥1,000,000."""
    return finance_builders.make_reserve_line(budget)


@pytest.fixture
def second_creditor(budget: SimpleNamespace) -> Any:
    """A second creditor (鈴木一郎) with one bank account at the same bank as ヤマダ商事."""
    return finance_builders.make_creditor(budget)


@pytest.fixture
def suzuki(budget: SimpleNamespace) -> Any:
    """A second creditor (鈴木一郎, an individual) with an account at another bank."""
    return finance_builders.make_creditor(budget, bank="0005")


@pytest.fixture
def batch(city: SimpleNamespace, budget: SimpleNamespace, suzuki: Any, treasurer: Any) -> Any:
    """An open batch of three approved orders (``cityhall.testing.finance.open_batch``)."""
    return finance_builders.open_batch(city, budget, treasurer, suzuki)


@pytest.fixture
def zengin_files(settings: Any, tmp_path: Any) -> None:
    """Exported files go to a fresh media directory; the city's paying account is fixed."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CITYHALL_ZENGIN = dict(finance_builders.ZENGIN)


# --- files to import ------------------------------------------------------------------------------


@pytest.fixture
def csv_file() -> Callable[..., bytes]:
    """``csv_file(rows, encoding="utf-8")``: the rows as CSV bytes (``testing.tables.csv_bytes``)."""
    return table_files.csv_bytes


@pytest.fixture
def xlsx_file() -> Callable[..., bytes]:
    """``xlsx_file(rows, merge=…, sheets=…, title=…)``: the rows as a workbook (``testing.tables.xlsx_bytes``)."""
    return table_files.xlsx_bytes


# --- certificates ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def city_cert_files(tmp_path_factory: Any) -> signing_helpers.CertFiles:
    """The city's certificate, its demo CA and time-stamping authority, made once per test session."""
    return signing_helpers.make_cert(tmp_path_factory.mktemp("city-cert"), "みどり野市長")


@pytest.fixture(scope="session")
def stranger_cert_files(tmp_path_factory: Any) -> signing_helpers.CertFiles:
    """A certificate from another demo CA, which nobody configured as trusted."""
    return signing_helpers.make_cert(tmp_path_factory.mktemp("stranger-cert"), "どこかの誰か")


@pytest.fixture
def city_signing(settings: Any, city_cert_files: signing_helpers.CertFiles) -> signing_helpers.CertFiles:
    """Settings pointing at the city's certificate: decided documents get signed sheets."""
    settings.CITYHALL_SIGNING_KEY_FILE = city_cert_files.key
    settings.CITYHALL_SIGNING_CERT_FILE = city_cert_files.cert
    settings.CITYHALL_SIGNING_P12 = ""
    settings.CITYHALL_SIGNING_PASSPHRASE = ""
    settings.CITYHALL_SIGNING_CHAIN_FILES = []
    settings.CITYHALL_SIGNING_TRUST_ROOTS = []
    settings.CITYHALL_SIGNING_CRL_FILES = []
    settings.CITYHALL_SIGNING_DEMO_DIR = city_cert_files.demo_dir
    settings.CITYHALL_SIGNING_DEMO_FILES = signing_helpers.demo_files(city_cert_files.demo_dir)
    settings.CITYHALL_TSA_URL = "local"
    return city_cert_files


@pytest.fixture
def sheet_pdf() -> bytes:
    """An unsigned approval sheet PDF."""
    from cityhall.signing.sheet import render_sheet

    return render_sheet(signing_helpers.sample_sheet())


# --- browsers -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make system' (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh desktop-sized page; ``page.base_url`` is the live server."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page (iPhone-like 390x844, touch)."""
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=live_server.url
    )
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that drives a browser is a browser journey (``-m 'not browser'`` leaves them out).

    On PostgreSQL (CI's second run) only the tests of what the database itself does run again
    (``_exercises_the_database``): the rest runs the same ORM code on the same inputs as on SQLite
    (pages, permissions, formats, parsers, PDF signing), so CI runs it once, on the embedded default.
    ``CITYHALL_EVERY_TEST_ON_POSTGRESQL=1`` runs every test that touches a database there too.
    """
    for item in items:
        if {"browser", "page", "phone_page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    if not _ON_POSTGRESQL:
        return
    every = os.environ.get("CITYHALL_EVERY_TEST_ON_POSTGRESQL") == "1"
    kept = [item for item in items if _touches_a_database(item) and (every or _exercises_the_database(item))]
    if len(kept) < len(items):
        left = set(kept)
        config.hook.pytest_deselected(items=[item for item in items if item not in left])
        items[:] = kept


_ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
_DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "live_server"})
_ENVIRONMENT_WORDS = ("DATABASE_URL", "REDIS_URL", "postgres")
# What a test module says when it tests the database's own behaviour: constraints and the errors they
# raise, locks and races, raw SQL, the vendors' differences, migrations, the settings of both servers.
_DATABASE_WORDS = (
    "IntegrityError",
    "DataError",
    "DatabaseError",
    "OperationalError",
    "select_for_update",
    "transaction=True",
    "vendor",
    "postgres",
    "PostgreSQL",
    "SQLite",
    "cursor(",
    "threading",
    "ThreadPool",
    "Barrier",
    "MigrationExecutor",
    "statement_timeout",
)
_DATABASE_APPS = ("cityhall/search/",)

database = pytest.mark.database
"""A module or test about what the database does (a query's semantics, text limits, numbering under
locks) whose source names none of ``_DATABASE_WORDS``: it runs on PostgreSQL as well."""


def _touches_a_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    return _mentions(str(item.path), _ENVIRONMENT_WORDS)


def _exercises_the_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("database") or "transactional_db" in getattr(item, "fixturenames", ()):
        return True
    path = str(item.path)
    return any(folder in path for folder in _DATABASE_APPS) or _mentions(path, _DATABASE_WORDS)


@cache
def _mentions(path: str, words: tuple[str, ...]) -> bool:
    """Whether a test module's source names any of ``words`` (the database or Redis settings, say)."""
    with open(path, encoding="utf-8") as source:
        text = source.read()
    return any(word in text for word in words)


# Tests of what the pages say or of demo data that no database rule touches: run once, on the embedded
# database (CI runs every other test on PostgreSQL too). Rules, races and search are never marked.
sqlite_only = pytest.mark.skipif(
    _ON_POSTGRESQL,
    reason="no database rule here: checked once, on SQLite",
)

# Tests of a path only old installations take (the replaced migrations' data steps), where PostgreSQL is
# the database that refused what SQLite let through: run once, on PostgreSQL (CI's second run).
postgresql_only = pytest.mark.skipif(
    not _ON_POSTGRESQL,
    reason="an old installation's upgrade path: checked once, on PostgreSQL",
)
