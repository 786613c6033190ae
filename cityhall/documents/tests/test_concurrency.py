"""Two people acting on the same step at once: exactly one wins (row lock + version check)."""

from __future__ import annotations

import pytest

from cityhall.documents import services
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.testing.city import absent
from cityhall.testing.race import race as _race


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
