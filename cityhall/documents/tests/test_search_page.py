"""The fast first page of document search (文書検索): same results as the full query and as brute force."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from cityhall.core.errors import ValidationFailed
from cityhall.documents import selectors, services
from cityhall.documents.models import Document, PostReview, RouteStep
from cityhall.documents.rules import section_of
from cityhall.documents.selectors import SearchFilters, search_documents, search_page
from cityhall.documents.services._common import is_document_manager
from cityhall.search.text import normalize_text, query_terms
from cityhall.testing.plugin import database

# On PostgreSQL too: each database's own full-text index and time budget.
pytestmark = database

ALPHABET = "橋道公園水路学校図書館"
VIEWERS = ("drafter", "outsider", "zaisei_kacho", "docmgr", "kakaricho", "jinji_kacho")


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(n))


@pytest.fixture
def corpus(city, draft, django_capture_on_commit_callbacks):
    """About 40 documents of random text by staff of three sections, some confidential, some on a route."""
    rng = random.Random(20261126)
    drafters = [city.drafter, city.drafter2, city.outsider, city.jinji_kacho, city.zaisei_kacho]
    first, last = dt.date(2024, 4, 1), timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(40):
            by = rng.choice(drafters)
            day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
            doc = draft(
                by=by,
                title=_text(rng, rng.randint(2, 8)),
                body=f"{_text(rng, rng.randint(0, 12))} {_text(rng, 3)}",
                is_confidential=rng.random() < 0.5,
                on=day,
            )
            if by == city.drafter and rng.random() < 0.5:
                services.submit(actor=by, document=doc, expected_version=doc.version, consult_units=[city.units.zaisei])
    return rng


def brute_force(user, query: str, filters: SearchFilters) -> set[int]:
    """Python's own reading of the visibility rule and of "contains every term"."""
    day = timezone.localdate()
    manager = is_document_manager(user, on=day)
    section = section_of(user, on=day)
    members = set(RouteStep.objects.filter(assignee=user).values_list("document_id", flat=True))
    members |= set(PostReview.objects.filter(reviewer=user).values_list("document_id", flat=True))
    terms = query_terms(query)
    found = set()
    for doc in Document.objects.all():
        visible = manager or not doc.is_confidential or doc.drafter_id == user.pk or doc.pk in members
        visible = visible or (section is not None and doc.section_id == section.pk)
        text = " ".join(normalize_text(part) for part in (doc.title, doc.number_label, doc.body))
        wanted = (
            (filters.section_id is None or doc.section_id == filters.section_id)
            and (filters.status is None or doc.status == filters.status)
            and (filters.drafted_from is None or doc.drafted_on >= filters.drafted_from)
            and (filters.fiscal_year is None or doc.fiscal_year == filters.fiscal_year)
        )
        if visible and wanted and all(term in text for term in terms):
            found.add(doc.pk)
    return found


def walk(user, query: str, filters: SearchFilters, page_size: int = 3) -> tuple[list[int], list[selectors.SearchPage]]:
    keys: list[int] = []
    pages = []
    number = 1
    while True:
        page = search_page(user, query, filters, page=number, page_size=page_size)
        pages.append(page)
        keys += [d.pk for d in page.items]
        if not page.has_next:
            return keys, pages
        number += 1


def test_pages_equal_the_full_query_and_brute_force(city, corpus):
    rng = corpus
    texts = [f"{t} {b}" for t, b in Document.objects.values_list("title", "body")]
    queries = [rng.choice(ALPHABET) for _ in range(4)]
    for size in (2, 3):
        for _ in range(4):
            source = rng.choice(texts).split(" ")[0]
            if len(source) >= size:
                start = rng.randrange(len(source) - size + 1)
                queries.append(source[start : start + size])
    queries += [_text(rng, 2), f"{rng.choice(ALPHABET)} {rng.choice(ALPHABET)}", "存在しない語"]
    soumu = city.units.soumu.pk
    filter_sets = [
        SearchFilters(),
        SearchFilters(section_id=soumu),
        SearchFilters(status="circulating"),
        SearchFilters(drafted_from=dt.date(2025, 4, 1)),
    ]
    checked = 0
    for v, name in enumerate(VIEWERS):
        user = getattr(city, name)
        for q, query in enumerate(queries):
            # Two of the four filter sets per viewer and query, in turn: every pair is still met across viewers.
            for filters in (filter_sets[(v + q) % 4], filter_sets[(v + q + 2) % 4]):
                expected = brute_force(user, query, filters)
                old = set(search_documents(user, query, filters).values_list("pk", flat=True))
                keys, pages = walk(user, query, filters)
                assert old == expected, (name, query, filters)
                assert len(keys) == len(set(keys)) and set(keys) == expected, (name, query, filters)
                assert {p.count for p in pages} == {len(expected)} and not any(p.capped for p in pages)
                checked += bool(expected)
    assert checked > 25  # the corpus is dense enough that most combinations find something


def test_keyword_results_are_newest_registered_first(city, corpus):
    keys, _pages = walk(city.docmgr, "橋", SearchFilters(), page_size=4)
    assert keys == sorted(keys, reverse=True) and len(keys) > 4


def test_the_count_is_capped(city, corpus, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
    everything = brute_force(city.docmgr, "橋", SearchFilters())
    assert len(everything) > 6
    keys, pages = walk(city.docmgr, "橋", SearchFilters(), page_size=4)
    assert set(keys) == everything
    assert all(p.capped and p.count == 5 and p.num_pages is None for p in pages)
    exact = search_page(city.docmgr, "存在しない語", SearchFilters())
    assert (exact.count, exact.capped, exact.items, exact.num_pages) == (0, False, [], 1)


def test_a_page_past_the_end_is_the_last_page(city, corpus):
    everything = brute_force(city.outsider, "道", SearchFilters())
    last = search_page(city.outsider, "道", SearchFilters(), page=999, page_size=3)
    assert last.number == last.num_pages and not last.has_next
    assert 0 < len(last.items) <= 3 and {d.pk for d in last.items} <= everything


def test_without_a_keyword_the_register_order_and_an_exact_count(city, corpus):
    page = search_page(city.drafter, "", SearchFilters(section_id=city.units.soumu.pk), page_size=5)
    expected = list(search_documents(city.drafter, "", SearchFilters(section_id=city.units.soumu.pk))[:5])
    assert page.items == expected and not page.capped
    assert page.count == search_documents(city.drafter, "", SearchFilters(section_id=city.units.soumu.pk)).count()


def test_a_bad_query_is_a_validation_error(city):
    with pytest.raises(ValidationFailed):
        search_page(city.drafter, "あ" * 500)


# --- the search page and the API endpoint -------------------------------------------


def test_search_screen_shows_a_capped_count_and_pages_without_a_total(client, city, corpus, monkeypatch):
    from django.urls import reverse

    import cityhall.documents.views.search as search_view

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr(search_view, "PAGE_SIZE", 2)
    client.force_login(city.docmgr)
    html = client.get(reverse("documents:search"), {"q": "橋"}).content.decode()
    assert "3件以上" in html and "1 ページ目" in html and "page=2" in html
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 1000)
    html = client.get(reverse("documents:search"), {"q": "橋"}).content.decode()
    total = len(brute_force(city.docmgr, "橋", SearchFilters()))
    assert f"{total} 件" in html and f"1 / {-(-total // 2)} ページ" in html


def test_search_screen_names_a_bad_query(client, city):
    from django.urls import reverse

    client.force_login(city.drafter)
    response = client.get(reverse("documents:search"), {"q": " ".join("あいうえおかきくけこさ")})
    assert response.status_code == 400 and "検索語は10語以内で入力してください" in response.content.decode()


def test_api_search_reports_the_cap(city, corpus, monkeypatch):
    from cityhall.testing.web import documents_api

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    body = documents_api(city.docmgr, "get", "/", {"q": "橋", "page_size": 2}).json()
    assert (body["count"], body["capped"], body["page"], len(body["items"])) == (3, True, 1, 2)
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 1000)
    body = documents_api(city.outsider, "get", "/", {"q": "橋", "page_size": 100}).json()
    assert body["capped"] is False
    assert {item["id"] for item in body["items"]} == brute_force(city.outsider, "橋", SearchFilters())
    assert body["count"] == len(body["items"])
    bad = documents_api(city.drafter, "get", "/", {"q": " ".join("あいうえおかきくけこさ")})
    assert bad.status_code == 400 and bad.json()["field"] == "q"


# --- bounded in time -------------------------------------------------------------------

#: Every 3-gram of 「市の総務課の課長」 is in this sentence, the phrase itself is not.
PIECES = "清瀬市の総務課と市総合計画、総務課の課長。"
ABSENT = "市の総務課の課長"
ORPHANS = 20_000


@pytest.fixture
def long_texts(city, corpus) -> list[Document]:
    """Twenty documents with a long attachment-like text full of those 3-grams, and many entries nobody sees.

    The entries (keys of no document, as if left behind) are the newest: a
    search for 「総務課の課長」 checks every one of them against the visibility
    rule before it reaches a document, far more work than a 1 ms budget allows.
    """
    from cityhall.documents.indexing import SEARCH_KIND, document_text
    from cityhall.search.services import IndexItem, index_item, index_new_items

    docs = list(Document.objects.order_by("pk")[:20])
    for doc in docs:
        title, body, _extra = document_text(doc)
        index_item(key=doc.pk, kind=SEARCH_KIND, title=title, body=body, extra_text=PIECES * 200)
    orphans = (IndexItem(10_000_000 + i, "総務課の課長", "") for i in range(ORPHANS))
    index_new_items(kind=SEARCH_KIND, items=orphans)
    return docs


def test_a_count_past_the_time_budget_says_many_and_stays_visibility_filtered(client, city, long_texts, settings):
    from django.urls import reverse

    from cityhall.testing.web import documents_api

    settings.CITYHALL_SEARCH_TIME_BUDGET_MS = 1
    page = search_page(city.docmgr, "総務課の課長", SearchFilters())
    assert page.many and page.capped and page.num_pages is None
    assert {d.pk for d in page.items} <= {d.pk for d in long_texts}
    client.force_login(city.docmgr)
    html = client.get(reverse("documents:search"), {"q": "総務課の課長"}).content.decode()
    assert "多数" in html and "件以上" not in html
    body = documents_api(city.outsider, "get", "/", {"q": "総務課の課長"}).json()
    assert body["many"] is True and body["capped"] is True
    visible = set(selectors.visible_documents(city.outsider).values_list("pk", flat=True))
    assert {item["id"] for item in body["items"]} <= visible

    settings.CITYHALL_SEARCH_TIME_BUDGET_MS = 60_000  # the same searches within budget: exact
    for user in (city.docmgr, city.outsider):
        expected = {d.pk for d in long_texts} & set(selectors.visible_documents(user).values_list("pk", flat=True))
        keys, pages = walk(user, "総務課の課長", SearchFilters(), page_size=7)
        assert set(keys) == expected and len(keys) == len(expected)
        assert not any(p.many or p.incomplete for p in pages) and {p.count for p in pages} == {len(expected)}


def test_a_phrase_of_common_grams_that_occurs_nowhere_finds_nothing(city, long_texts):
    for user in (city.docmgr, city.outsider):
        absent = search_page(user, ABSENT, SearchFilters())
        assert (absent.count, absent.capped, absent.many, absent.items) == (0, False, False, [])
        assert search_page(user, "清瀬市総務課長", SearchFilters()).count == 0
