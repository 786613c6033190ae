"""書庫 and 借覧: boxes of a section's paper records, a record put in a box, lent, overdue and returned.

The 文書主管 registers storerooms and boxes; the 文書主管 or the record's section keeps the record
(stores, lends, takes back); a 秘 record goes only to its section; one loan at a time. The lists are
filtered in SQL: another section sees neither the box nor the loan (404).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.models import RecordLoan, StorageBox, StoredRecord
from cityhall.documents.selectors_storage import LoanState, loans_for
from cityhall.testing.records import decided_document, paper_record, storage_box, wareki
from cityhall.testing.web import client_for, documents_api, field_error, home_panel

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def paper(city):
    return paper_record(city)


def _lend(city, document, **kw):
    fields = {"actor": city.docmgr, "document": document, "borrower": city.drafter, "purpose": "監査対応"}
    return services.record_lend(**(fields | {"due_on": TODAY() + dt.timedelta(days=7)} | kw))


def test_the_document_manager_registers_storerooms_and_boxes(city):
    box = storage_box(city)
    assert box.place_text == "第1書庫 棚3 箱R7-総-01"
    with pytest.raises(ValidationFailed) as taken:
        services.storage_box_create(
            actor=city.docmgr, storeroom=box.storeroom, section=city.units.soumu, label="Ｒ７－総－０１"
        )
    assert taken.value.field == "label"  # the same label typed in full width
    with pytest.raises(ValidationFailed) as year:
        services.storage_box_create(
            actor=city.docmgr, storeroom=box.storeroom, section=city.units.soumu, label="2", fiscal_year=10**12
        )
    assert year.value.field == "fiscal_year"
    with pytest.raises(PermissionDenied):
        services.storeroom_create(actor=city.kacho, name="第2書庫")
    assert StorageBox.objects.count() == 1
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="documents.stor").order_by("seq")] == [
        "documents.storeroom.create",
        "documents.storage_box.create",
    ]


def test_a_paper_record_goes_in_a_box_of_its_section_and_the_register_follows(city, paper):
    box = storage_box(city)
    other = storage_box(city, label="R7-人-01", section=city.units.jinji)
    electronic = decided_document(city)
    with pytest.raises(Conflict, match="電子の文書"):
        services.record_store(actor=city.docmgr, document=electronic, box=box, expected_version=electronic.version)
    with pytest.raises(ValidationFailed, match="人事課の箱") as wrong_box:
        services.record_store(actor=city.docmgr, document=paper, box=other, expected_version=paper.version)
    assert wrong_box.value.field == "box"
    with pytest.raises(PermissionDenied):  # another section's staff
        services.record_store(actor=city.outsider, document=paper, box=box, expected_version=paper.version)
    stored = services.record_store(actor=city.drafter, document=paper, box=box, expected_version=paper.version)
    paper.refresh_from_db()
    assert (stored.box, paper.location, paper.version) == (box, box.place_text, 2)
    assert AuditEntry.objects.filter(action="documents.document.store").count() == 1
    with pytest.raises(Conflict):  # the version the actor saw is stale
        services.record_store(actor=city.drafter, document=paper, box=box, expected_version=1)


def test_a_loan_goes_to_someone_who_may_read_the_record_once_at_a_time(city, paper):
    secret = paper_record(city, title="職員の懲戒について", is_confidential=True)
    with pytest.raises(ValidationFailed, match="秘の文書") as outsider:
        _lend(city, secret, borrower=city.outsider)
    assert outsider.value.field == "borrower"
    for bad, field in (
        ({"due_on": TODAY() - dt.timedelta(days=1)}, "due_on"),
        ({"due_on": TODAY() + dt.timedelta(days=400)}, "due_on"),
        ({"lent_on": TODAY() + dt.timedelta(days=1)}, "lent_on"),
        ({"purpose": " "}, "purpose"),
        ({"purpose": "目" * 201}, "purpose"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            _lend(city, paper, **bad)
        assert caught.value.field == field, bad
    with pytest.raises(PermissionDenied):
        _lend(city, paper, actor=city.outsider)
    loan = _lend(city, paper)
    with pytest.raises(Conflict, match="貸出中"):
        _lend(city, paper, borrower=city.kacho)
    with pytest.raises(ValidationFailed, match="今日までの日付"):
        services.loan_return(actor=city.docmgr, loan=loan, returned_on=TODAY() + dt.timedelta(days=1))
    services.loan_return(actor=city.drafter2, loan=loan)  # a member of the record's section takes it back
    with pytest.raises(Conflict, match="返却済み"):
        services.loan_return(actor=city.docmgr, loan=loan)
    assert _lend(city, paper, borrower=city.kacho).borrower == city.kacho  # lent again once returned
    assert AuditEntry.objects.filter(action__startswith="documents.loan.").count() == 3


def test_the_overdue_list_is_filtered_by_section_in_sql(city, paper):
    late = _lend(city, paper, lent_on=TODAY() - dt.timedelta(days=10), due_on=TODAY() - dt.timedelta(days=3))
    assert list(loans_for(city.docmgr, LoanState.OVERDUE)) == [late]
    assert list(loans_for(city.kakaricho, LoanState.OVERDUE)) == [late]  # the record's section
    assert list(loans_for(city.outsider, LoanState.OVERDUE)) == []
    home = reverse("web:home")
    for who in (city.docmgr, city.drafter):  # the keeper chases it, the borrower brings it back
        panel = home_panel(client_for(who).get(home).content.decode(), "documents-loans")
        assert paper.title in panel and "返却期限切れ" in panel
    assert 'data-panel="documents-loans"' not in client_for(city.outsider).get(home).content.decode()
    services.loan_return(actor=city.docmgr, loan=late)
    assert list(loans_for(city.docmgr, LoanState.OVERDUE)) == []
    assert list(loans_for(city.drafter, LoanState.RETURNED)) == [late]  # the borrower


def test_the_storage_screens(city, paper):
    box = storage_box(city)
    manager = client_for(city.docmgr)
    hub = manager.get(reverse("documents:storage")).content.decode()
    assert 'data-testid="box-form"' in hub and box.place_text in hub
    assert 'data-testid="box-form"' not in client_for(city.drafter).get(reverse("documents:storage")).content.decode()
    assert client_for(city.outsider).get(reverse("documents:storage_box", args=[box.pk])).status_code == 404
    bad_box = manager.post(reverse("documents:storage_box_new"), {"storeroom": box.storeroom_id, "label": ""})
    assert bad_box.status_code == 400 and field_error(bad_box.content.decode(), "id_label")
    assert client_for(city.drafter).post(reverse("documents:storeroom_new"), {"name": "X"}).status_code == 404

    page_url = reverse("documents:record_storage", args=[paper.pk])
    clerk = client_for(city.drafter)
    page = clerk.get(page_url).content.decode()
    assert 'data-testid="store-form"' in page and 'data-testid="lend-form"' in page
    assert 'data-testid="lend-form"' not in client_for(city.outsider).get(page_url).content.decode()
    store = reverse("documents:record_store", args=[paper.pk])
    assert clerk.post(store, {"expected_version": "１", "box": box.pk}).status_code == 302
    assert StoredRecord.objects.get().box == box

    lend = reverse("documents:record_lend", args=[paper.pk])
    lent_on = TODAY() - dt.timedelta(days=20)
    body = {"borrower": city.kacho.pk, "purpose": "議会答弁の準備", "lent_on": wareki(lent_on), "due_on": ""}
    for bad, field in (
        ({"due_on": "2026/13/40"}, "due_on"),
        ({"due_on": ""}, "due_on"),
        ({"due_on": "9" * 40}, "due_on"),
        ({"borrower": "99999999999999999999"}, "borrower"),
        ({"due_on": wareki(lent_on - dt.timedelta(days=1)).translate(FULL_WIDTH)}, "due_on"),  # before lent_on
    ):
        response = clerk.post(lend, body | bad)
        assert response.status_code == 400, bad
        assert field_error(response.content.decode(), f"id_{field}")
    assert not RecordLoan.objects.exists()
    due = TODAY() - dt.timedelta(days=2)
    assert clerk.post(lend, body | {"due_on": due.strftime("%Y/%m/%d")}).status_code == 302
    loan = RecordLoan.objects.get()
    assert (loan.borrower, loan.lent_on, loan.due_on, loan.borrower_section) == (
        city.kacho,
        lent_on,
        due,
        city.units.soumu,
    )
    overdue = clerk.get(reverse("documents:loans") + "?state=overdue").content.decode()
    assert paper.title in overdue and 'data-testid="overdue-count">1<' in overdue and "2日超過" in overdue
    assert paper.title not in client_for(city.outsider).get(reverse("documents:loans") + "?state=open").content.decode()
    assert client_for(city.outsider).post(reverse("documents:loan_return", args=[loan.pk])).status_code == 404
    back = clerk.post(reverse("documents:loan_return", args=[loan.pk]), {"next": "loans", "returned_on": ""})
    assert back.status_code == 302
    loan.refresh_from_db()
    assert (loan.returned_on, loan.returned_to) == (TODAY(), city.drafter)


def test_storage_and_loans_through_the_api(city, paper):
    box = storage_box(city)
    assert documents_api(city.drafter, "post", "/storerooms", {"name": "第2書庫"}).status_code == 404
    room = documents_api(city.docmgr, "post", "/storerooms", {"name": "第2書庫", "place": "別館"})
    assert room.status_code == 201
    dup = documents_api(city.docmgr, "post", "/storerooms", {"name": "第2書庫"})
    assert (dup.status_code, dup.json()["field"]) == (400, "name")
    new_box = {
        "storeroom_id": room.json()["id"],
        "section_id": city.units.soumu.pk,
        "label": "A-1",
        "fiscal_year": 2025,
    }
    assert documents_api(city.docmgr, "post", "/storage-boxes", new_box).status_code == 201
    assert documents_api(city.outsider, "get", "/storage-boxes").json()["count"] == 0
    assert documents_api(city.drafter, "get", "/storage-boxes").json()["count"] == 2

    stored = documents_api(
        city.drafter, "put", f"/{paper.pk}/storage", {"box_id": box.pk, "expected_version": paper.version}
    )
    assert (stored.status_code, stored.json()["location"]) == (200, box.place_text)
    due = (TODAY() + dt.timedelta(days=7)).isoformat()
    loan = {"borrower_id": city.kacho.pk, "purpose": "監査対応", "due_on": due}
    assert documents_api(city.outsider, "post", f"/{paper.pk}/loans", loan).status_code == 404
    bad = documents_api(city.drafter, "post", f"/{paper.pk}/loans", loan | {"due_on": "2026-13-40"})
    assert bad.status_code == 422
    lent = documents_api(city.drafter, "post", f"/{paper.pk}/loans", loan)
    assert lent.status_code == 201, lent.json()
    loan_id = lent.json()["id"]
    assert [row["id"] for row in documents_api(city.docmgr, "get", "/loans?state=open").json()["items"]] == [loan_id]
    assert documents_api(city.outsider, "get", "/loans?state=open").json()["count"] == 0
    assert documents_api(city.docmgr, "get", "/loans?state=late").status_code == 422
    assert documents_api(city.outsider, "post", f"/loans/{loan_id}/return", {}).status_code == 404
    returned = documents_api(city.drafter, "post", f"/loans/{loan_id}/return", {})
    assert (returned.status_code, returned.json()["returned_on"]) == (200, TODAY().isoformat())
    assert [row["returned_on"] for row in documents_api(city.drafter, "get", f"/{paper.pk}/loans").json()] == [
        TODAY().isoformat()
    ]
