"""The history of documents acted on before it was kept is filled from the route steps and the audit trail.

Migration 0004 rebuilds every entry the steps, post-reviews, comments and audit entries still hold;
an approval later pulled back is the one thing lost (its step was reset), its pull-back is kept.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from cityhall.documents import services
from cityhall.documents.models import DocumentEvent, EventKind
from cityhall.testing.city import absent

pytestmark = pytest.mark.django_db
migration = importlib.import_module("cityhall.documents.migrations.0004_document_history")


def _forget_history() -> None:
    """Empty the history table as a database from before it would be (past the append-only guard)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM documents_documentevent")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _rows():
    return sorted(
        (e.document_id, e.round, e.kind, e.actor_id, e.post, e.step_id, e.comment) for e in DocumentEvent.objects.all()
    )


def test_the_migration_rebuilds_the_history_from_what_was_kept(city, submitted):
    doc = submitted()
    doc = services.send_back(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="根拠を")
    doc = services.resubmit(actor=city.drafter, document=doc, expected_version=doc.version)
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="一度目")
    doc = services.pull_back(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="二度目")
    services.comment_add(actor=city.drafter, document=doc, body="補足です")
    doc.refresh_from_db()
    absent(city.kacho, proxy=city.hosa)
    doc = services.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    review = doc.post_reviews.get()
    services.post_review_complete(actor=city.kacho, review=review, comment="確認")
    kept = _rows()
    _forget_history()
    migration.backfill(apps, None)
    rebuilt = _rows()
    expected = [row for row in kept if row[-1] != "一度目" or row[2] != EventKind.APPROVE]
    assert rebuilt == expected  # all but the approval pulled back, which no step or audit entry held
    assert len(expected) == len(kept) - 1
