"""What issue 15 found about disposal (廃棄), reproduced on the code as it was: each test fails there.

A record past its retention is put on a disposal list, the list is decided, and the record marked
廃棄済 is still read, found and downloaded; the list is 課長専決 with no 文書主管課 合議, and no
screen, API operation or command creates a list.
"""

from __future__ import annotations

import pytest
from django.core.management import get_commands
from django.urls import NoReverseMatch, reverse

from cityhall.documents import services
from cityhall.documents.disposal import disposal_list_create
from cityhall.documents.models import Attachment, Disposition, Document, FilePlanClass, RouteStep, StepKind
from cityhall.documents.selectors import search_documents, visible_documents
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.engine import approve_to_decision
from cityhall.testing.web import client_for

pytestmark = pytest.mark.xfail(strict=True, reason="issue 15: disposal only sets a flag")


@pytest.fixture
def disposed(city, submitted, django_capture_on_commit_callbacks):
    """A closed record of 人事課 with an attachment, put on the section's decided disposal list."""
    clerk = city.outsider  # 人事課 主事
    plan = FilePlanClass.objects.get(code="01-02-01")
    doc = approve_to_decision(submitted(by=clerk, title="廃棄される照会の回答", file_plan_class=plan))
    file = upload("回答.pdf", pdf_bytes())
    services.attachment_add(actor=clerk, document=doc, expected_version=doc.version, **file)
    doc = Document.objects.get(pk=doc.pk)
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.close(actor=clerk, document=doc, expected_version=doc.version)
    listing = disposal_list_create(actor=clerk, section=city.units.jinji, fiscal_year=doc.expires_on.year)
    listing = services.submit(actor=clerk, document=listing, expected_version=listing.version)
    with django_capture_on_commit_callbacks(execute=True):
        listing = approve_to_decision(listing)
    doc.refresh_from_db()
    assert doc.disposition == Disposition.DISPOSED
    return doc, listing


def test_a_disposed_record_is_gone_from_reads_search_and_downloads(city, disposed):
    doc, _listing = disposed
    attachment = Attachment.objects.filter(document=doc).first()
    path = f"/api/documents/{doc.pk}/attachments/{attachment.pk if attachment else 0}"
    assert client_for(city.outsider).get(path).status_code in (404, 410)
    assert doc not in visible_documents(city.outsider)
    assert doc.body == ""
    assert attachment is None
    assert not search_documents(city.outsider, "廃棄される照会").exists()


def test_the_list_is_consulted_with_the_documents_section(city, disposed):
    _doc, listing = disposed
    kinds = set(RouteStep.objects.filter(document=listing).values_list("kind", flat=True))
    assert StepKind.CONSULT in kinds or listing.decision_label != "課長専決"


def test_someone_can_create_a_disposal_list():
    try:
        reverse("documents:disposal_lists")
    except NoReverseMatch:
        pytest.fail("no screen for disposal lists")
    assert "disposal_lists" in get_commands()
