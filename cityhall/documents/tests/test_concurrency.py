"""Two people acting on the same step at once: exactly one wins (row lock + version check)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cityhall.core.errors import ApplicationError
from cityhall.documents import services
from cityhall.documents.models import Document, DocumentStatus, StepState

from .conftest import absent


def _race(actions):
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(action):
        try:
            barrier.wait()
            action()
            result = "ok"
        except ApplicationError as exc:
            result = type(exc).__name__
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_decider_and_proxy_deciding_at_once_exactly_one_wins(city, submitted):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    absent(city.kacho, proxy=city.hosa)
    version = doc.version

    def by(user):
        return lambda: services.approve(actor=user, document=Document(pk=doc.pk), expected_version=version)

    outcomes = _race([by(city.kacho), by(city.hosa)])
    assert sorted(outcomes) == ["Conflict", "ok"]
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DECIDED
    assert doc.steps.filter(state=StepState.DECIDED).count() == 1
    assert doc.version == version + 1


@pytest.mark.django_db(transaction=True)
def test_approve_and_pull_back_at_once_exactly_one_wins(city, submitted):
    doc = submitted()
    version = doc.version
    outcomes = _race(
        [
            lambda: services.approve(actor=city.kakaricho, document=Document(pk=doc.pk), expected_version=version),
            lambda: services.pull_back(actor=city.drafter, document=Document(pk=doc.pk), expected_version=version),
        ]
    )
    assert sorted(outcomes) == ["Conflict", "ok"]
    doc.refresh_from_db()
    assert doc.version == version + 1
    approved = doc.steps.filter(state=StepState.APPROVED).exists()
    assert approved == (doc.status == DocumentStatus.CIRCULATING)
