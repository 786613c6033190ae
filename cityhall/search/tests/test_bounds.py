"""Search is bounded in time (検索の時間制限) and a phrase that occurs nowhere is answered from the index.

The time budget is forced with a tiny ``CITYHALL_SEARCH_TIME_BUDGET_MS`` on
queries that need far more work than that (long texts full of the query's
2-grams); nothing is mocked. No test here asserts a duration.
"""

from __future__ import annotations

import pytest
from django.db import connection

from cityhall.search.bounds import SearchTimedOut, time_bounded
from cityhall.search.selectors import count_matches, search_keys
from cityhall.search.services import IndexItem, index_new_items

pytestmark = pytest.mark.django_db
KIND = "doc"
#: Every 2-gram of 「清瀬市総務課長」 occurs in these sentences, the phrase itself nowhere.
PIECES = "清瀬市の総務課と市総合計画、総務課の課長。"
PHRASE = "清瀬市総務課長"
#: Enough SQL work that even a fast machine takes many milliseconds (a 1 ms budget is far exceeded).
SLOW = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5000000) SELECT count(*) FROM c"


@pytest.fixture
def heavy() -> list[int]:
    """Items whose long texts hold every 2-gram of :data:`PHRASE` thousands of times, and one holding it."""
    body = PIECES * 400
    items = [IndexItem(key, f"文書{key}", body) for key in range(1, 301)]
    items.append(IndexItem(1000, "総務課", f"{PIECES}{PHRASE}です。"))
    index_new_items(kind=KIND, items=items)
    return [item.key for item in items]


def _statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return str(cursor.fetchone()[0])


def test_a_query_past_the_budget_is_stopped_and_the_connection_stays_usable() -> None:
    before = _statement_timeout() if connection.vendor == "postgresql" else ""
    with pytest.raises(SearchTimedOut), time_bounded(1), connection.cursor() as cursor:
        cursor.execute(SLOW)
        cursor.fetchall()
    with time_bounded(60_000), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
    if connection.vendor == "postgresql":
        assert _statement_timeout() == before  # the budget does not leak into the caller's transaction


def test_a_real_error_is_not_taken_for_a_timeout() -> None:
    from django.db import DatabaseError

    with pytest.raises(DatabaseError) as caught, time_bounded(60_000), connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM search_entry")
    assert not isinstance(caught.value, SearchTimedOut)


def test_count_and_page_stop_at_the_budget_from_the_setting(heavy: list[int], settings) -> None:
    settings.CITYHALL_SEARCH_TIME_BUDGET_MS = 1
    with pytest.raises(SearchTimedOut):
        count_matches(f"{PHRASE} 課長", KIND, cap=1001, restrict=(f"e.key IN ({SLOW})", []))
    with pytest.raises(SearchTimedOut):
        search_keys(PHRASE, KIND, limit=20, restrict=(f"e.key IN ({SLOW})", []))
    settings.CITYHALL_SEARCH_TIME_BUDGET_MS = 60_000
    # Within budget the same calls are exact.
    assert count_matches(PHRASE, KIND, cap=1001) == 1
    assert search_keys(PHRASE, KIND, limit=20) == [1000]


def test_a_phrase_of_common_2grams_that_occurs_nowhere_finds_nothing(heavy: list[int]) -> None:
    assert count_matches("清瀬市総務課長補佐", KIND, cap=1001) == 0
    assert search_keys("清瀬市総務課長補佐", KIND, limit=20) == []
    assert count_matches("総務課長", KIND, cap=1001) == 1
    assert count_matches("総務課の課長", KIND) == len(heavy)
    assert search_keys("市総合計画", KIND, limit=3) == [1000, 300, 299]


def test_the_budget_applies_to_every_search_query_by_default(heavy: list[int], settings) -> None:
    settings.CITYHALL_SEARCH_TIME_BUDGET_MS = 1
    with pytest.raises(SearchTimedOut):
        count_matches("総務", KIND, restrict=(f"e.key IN ({SLOW})", []))


def test_postgresql_keeps_the_gram_arrays_in_the_row() -> None:
    """With 3-grams an item's array passes 2 KB; compressed out of the row, the planner took a slow scan."""
    if connection.vendor != "postgresql":
        pytest.skip("TOAST is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'search_pg_grams'")
        (options,) = cursor.fetchone()
    assert "toast_tuple_target=8160" in (options or [])
