"""What issue 15 found about disposal (廃棄), as it was found: each of these failed before the fix.

A record past its retention was put on a disposal list, the list decided, and the record marked 廃棄済
was still read, found and downloaded; the list was 課長専決 with no 文書主管課 合議, and no screen, API
operation or command created a list.
"""

from __future__ import annotations

import pytest
from django.core.management import get_commands
from django.urls import NoReverseMatch, reverse

from cityhall.documents import services
from cityhall.documents.models import Attachment, Disposition, Document, FilePlanClass, RouteStep, StepKind
from cityhall.documents.selectors import search_documents, visible_documents
from cityhall.documents.services.disposal import disposal_list_create
from cityhall.documents.services.disposal_carry_out import disposal_list_carry_out
from cityhall.testing.disposal import ENDED
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.engine import approve_to_decision
from cityhall.testing.web import client_for


@pytest.fixture
def disposed(city, submitted, django_capture_on_commit_callbacks):
    """A closed record of 人事課 with an attachment, put on the section's decided disposal list."""
    clerk = city.outsider  # 人事課 主事
    plan = FilePlanClass.objects.get(code="01-02-01")
    doc = approve_to_decision(submitted(by=clerk, title="廃棄される照会の回答", file_plan_class=plan))
    file = upload("回答.pdf", pdf_bytes())
    attachment = services.attachment_add(actor=clerk, document=doc, expected_version=doc.version, **file)
    doc = Document.objects.get(pk=doc.pk)
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.close(actor=clerk, document=doc, expected_version=doc.version)
    Document.objects.filter(pk=doc.pk).update(expires_on=ENDED)  # as if its retention had gone by
    listing = disposal_list_create(actor=clerk, section=city.units.jinji, due_by=ENDED)
    listing = services.submit(actor=clerk, document=listing, expected_version=listing.version)
    listing = approve_to_decision(listing)
    with django_capture_on_commit_callbacks(execute=True):
        disposal_list_carry_out(listing.pk)  # the task the decision queues
    doc.refresh_from_db()
    assert doc.disposition == Disposition.DISPOSED
    return doc, listing, attachment.pk


def test_a_disposed_record_is_gone_and_its_list_was_consulted(city, disposed):
    doc, listing, attachment_id = disposed
    path = f"/api/documents/{doc.pk}/attachments/{attachment_id}"
    assert client_for(city.outsider).get(path).status_code in (404, 410)
    assert doc not in visible_documents(city.outsider)
    assert doc.body == ""
    assert not Attachment.objects.filter(document=doc).exists()
    assert not search_documents(city.outsider, "廃棄される照会").exists()
    kinds = set(RouteStep.objects.filter(document=listing).values_list("kind", flat=True))
    assert StepKind.CONSULT in kinds or listing.decision_label != "課長専決"


def test_someone_can_create_a_disposal_list():
    try:
        reverse("documents:disposal_lists")
    except NoReverseMatch:
        pytest.fail("no screen for disposal lists")
    assert "disposal_lists" in get_commands()
