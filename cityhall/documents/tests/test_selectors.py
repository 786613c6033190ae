"""Selectors: confidential documents filtered in SQL, inbox buckets with a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall.core.errors import PermissionDenied
from cityhall.documents import services
from cityhall.documents.selectors import Bucket, document_for, inbox, inbox_counts, visible_documents
from cityhall.testing.city import absent


def test_confidential_documents_only_for_route_section_and_managers(city, submitted):
    secret = submitted(is_confidential=True, title="人事秘")
    public = submitted(title="公開")
    assert set(visible_documents(city.outsider)) == {public}
    with pytest.raises(PermissionDenied):
        document_for(city.outsider, secret.pk)
    for allowed in (city.drafter, city.drafter2, city.kakaricho, city.kacho, city.docmgr):
        assert document_for(allowed, secret.pk) == secret
    # the 財政課長 is neither on the route nor in the section
    assert secret not in visible_documents(city.zaisei_kacho)


def test_inbox_lists_proxy_items_for_absent_decider(city, submitted):
    doc = submitted()
    services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    assert inbox_counts(city.hosa).pending == 0
    absent(city.kacho)  # no designated proxy: the 課長補佐 of the same 課 decides
    assert list(inbox(city.hosa, Bucket.PENDING)) == [doc]
    assert inbox_counts(city.kacho).pending == 1


def _queries(user, bucket):
    with CaptureQueriesContext(connection) as ctx:
        rows = list(inbox(user, bucket))
        for row in rows:
            _ = (row.section.name, row.drafter.full_name, row.matter_kind.name)
    return len(ctx.captured_queries), len(rows)


def test_inbox_query_count_does_not_grow_with_data(city, submitted):
    submitted()
    few, rows = _queries(city.kakaricho, Bucket.PENDING)
    assert rows == 1
    for i in range(6):
        submitted(title=f"追加{i}")
    many, rows = _queries(city.kakaricho, Bucket.PENDING)
    assert rows == 7
    assert many == few
    with CaptureQueriesContext(connection) as ctx:
        inbox_counts(city.kakaricho)
    counted = len(ctx.captured_queries)
    for i in range(3):
        submitted(title=f"さらに{i}")
    with CaptureQueriesContext(connection) as ctx:
        assert inbox_counts(city.kakaricho).pending == 10
    assert len(ctx.captured_queries) == counted


def test_search_is_permission_filtered_and_filtered(city, draft, django_capture_on_commit_callbacks):
    from cityhall.documents.selectors import SearchFilters, search_documents

    with django_capture_on_commit_callbacks(execute=True):
        secret = draft(title="橋の補修（秘）", is_confidential=True)
        public = draft(title="橋の塗装")
        draft(title="公園の整備")
    assert list(search_documents(city.drafter, "橋")) == [public, secret]
    assert list(search_documents(city.outsider, "橋")) == [public]
    assert list(search_documents(city.drafter, "橋", SearchFilters(status="decided"))) == []
    assert search_documents(city.drafter, "", SearchFilters(section_id=city.units.soumu.pk)).count() == 3
