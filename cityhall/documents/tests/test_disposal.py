"""The yearly disposal/transfer list (廃棄・移管リスト): created, decided through the engine, applied."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.documents import services
from cityhall.documents.disposal import (
    DISPOSAL_LIST_TYPE,
    SKIP_EXTENDED,
    disposal_candidates,
    disposal_items,
    disposal_list_create,
)
from cityhall.documents.models import (
    DisposalListItem,
    DisposalOutcome,
    Disposition,
    Document,
    FilePlanClass,
    RouteStep,
    StepState,
)

# Closed today (FY2026 or later): 1-year records expire at the end of FY+2, 10-year ones at FY+11.


@pytest.fixture
def closed(city, submitted):
    """A decided and closed record under the file-plan class ``plan`` (code)."""

    def make(plan: str, title: str = "照会への回答") -> Document:
        doc = submitted(title=title, file_plan_class=FilePlanClass.objects.get(code=plan))
        doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
        doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
        return services.close(actor=city.drafter, document=doc, expected_version=doc.version)

    return make


def _decide(city, listing: Document) -> Document:
    listing = services.submit(actor=listing.drafter, document=listing, expected_version=listing.version)
    while listing.status == "circulating":
        step = RouteStep.objects.get(document=listing, round=listing.current_round, state=StepState.PENDING)
        listing = services.approve(actor=step.assignee, document=listing, expected_version=listing.version)
    return listing


def test_decided_list_disposes_and_transfers_and_skips_extended(city, closed, django_capture_on_commit_callbacks):
    short = closed("01-02-01", "一年保存の照会")
    transfer = closed("02-02-01", "工事請負契約")
    extended = closed("01-02-01", "延長する照会")
    year = short.expires_on.year + 9  # covers the 10-year record too
    assert transfer.expires_on is not None and transfer.expires_on.year - 1 <= year

    listing = disposal_list_create(actor=city.docmgr, section=city.units.soumu, fiscal_year=year)
    assert listing.doc_type == DISPOSAL_LIST_TYPE and listing.status == "draft"
    items = {i.record_id: i.action for i in disposal_items(listing)}
    assert items == {short.pk: "dispose", transfer.pk: "transfer", extended.pk: "dispose"}
    assert transfer.number_label in listing.body

    extended.refresh_from_db()
    services.retention_extend(
        actor=city.docmgr, document=extended, expected_version=extended.version, new_years=30, reason="訴訟のため"
    )
    with django_capture_on_commit_callbacks(execute=True):
        listing = _decide(city, listing)
    assert listing.status == "decided"

    decided_on = timezone.localtime(listing.decided_at).date() if listing.decided_at else None
    short.refresh_from_db(), transfer.refresh_from_db(), extended.refresh_from_db()
    assert (short.disposition, short.disposed_on) == (Disposition.DISPOSED, decided_on)
    assert (transfer.disposition, transfer.disposed_on) == (Disposition.TRANSFERRED, decided_on)
    assert extended.disposition == Disposition.NONE and extended.disposed_on is None
    skipped = DisposalListItem.objects.get(disposal_list=listing, record=extended)
    assert (skipped.outcome, skipped.note) == (DisposalOutcome.SKIPPED, SKIP_EXTENDED)
    entry = AuditEntry.objects.filter(action="documents.disposal_list.apply").get()
    assert json.loads(entry.after)["skipped"] == {str(extended.pk): SKIP_EXTENDED}
    assert AuditEntry.objects.filter(action="documents.document.dispose", object_id=str(short.pk)).exists()
    assert AuditEntry.objects.filter(action="documents.document.transfer", object_id=str(transfer.pk)).exists()
    # Done records are never listed again; the extended one is, in a later year.
    assert list(disposal_candidates(city.units.soumu, year)) == []
    assert list(disposal_candidates(city.units.soumu, year + 30)) == [extended]


def test_only_the_document_manager_or_the_section_may_create(city, closed):
    closed("01-02-01")
    year = 2100
    with pytest.raises(PermissionDenied):
        disposal_list_create(actor=city.outsider, section=city.units.soumu, fiscal_year=year)
    with pytest.raises(PermissionDenied):
        disposal_list_create(actor=city.zaisei_kacho, section=city.units.soumu, fiscal_year=year)
    assert not Document.objects.filter(doc_type=DISPOSAL_LIST_TYPE).exists()
    own = disposal_list_create(actor=city.drafter2, section=city.units.soumu, fiscal_year=year)
    assert own.drafter == city.drafter2 and disposal_items(own).count() == 1


def test_nothing_due_or_already_listed_is_a_clear_error_and_saves_nothing(city, closed):
    record = closed("01-02-01")
    with pytest.raises(ValidationFailed, match="保存期間が満了する文書がありません"):
        disposal_list_create(actor=city.docmgr, section=city.units.soumu, fiscal_year=record.fiscal_year)
    first = disposal_list_create(actor=city.docmgr, section=city.units.soumu, fiscal_year=2100)
    with pytest.raises(ValidationFailed):
        disposal_list_create(actor=city.docmgr, section=city.units.soumu, fiscal_year=2100)
    assert list(Document.objects.filter(doc_type=DISPOSAL_LIST_TYPE)) == [first]
    # A withdrawn list frees its records for a new one.
    services.withdraw(actor=city.docmgr, document=first, expected_version=first.version)
    again = disposal_list_create(actor=city.docmgr, section=city.units.soumu, fiscal_year=2100)
    assert disposal_items(again).count() == 1


def test_disposed_record_needs_closed_state_in_the_database(city, closed):
    from django.db import IntegrityError, transaction

    record = closed("01-02-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=record.pk).update(disposition=Disposition.DISPOSED)
