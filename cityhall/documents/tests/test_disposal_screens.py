"""Disposal lists on the screens, the API and the command; what a disposed record's pages and files answer."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from cityhall.documents.models import DisposalListItem, Document, RouteStep, StepKind
from cityhall.documents.services.disposal import disposal_list_create, disposal_list_submit
from cityhall.documents.services.disposal_carry_out import disposal_list_carry_out
from cityhall.testing.disposal import ENDED, expired_record
from cityhall.testing.engine import approve_to_decision
from cityhall.testing.web import api_call, client_for

API = "/api/documents/disposal-lists"


@pytest.fixture
def carried_out(city, city_signing, settings, tmp_path, django_capture_on_commit_callbacks):
    """総務課's decided list: a 秘 record disposed of, one transferred (歴史公文書); files in this test's folder."""
    settings.MEDIA_ROOT = tmp_path
    gone = expired_record(city, title="廃棄される秘の照会", body="本文は残らない", is_confidential=True)
    kept = expired_record(city, title="記念誌の編さん", transfer=True, attachment=None)
    attachment_id = gone.attachments.get().pk
    listing = disposal_list_create(actor=city.drafter, section=city.units.soumu, due_by=ENDED)
    listing = approve_to_decision(
        disposal_list_submit(actor=city.drafter, document=listing, expected_version=listing.version)
    )
    with django_capture_on_commit_callbacks(execute=True):
        disposal_list_carry_out(listing.pk)
    return gone, kept, listing, attachment_id


def test_the_document_manager_generates_chooses_and_submits_on_the_screens(city):
    record = expired_record(city, by=city.outsider, title="研修の照会", attachment=None)
    client = client_for(city.docmgr)
    assert client.get("/documents/disposal/").status_code == 200
    assert client.get("/documents/disposal/new/").status_code == 200
    wrong = client.post("/documents/disposal/new/", {"due_by": "令和六年"})
    assert wrong.status_code == 400 and "正しい日付" in wrong.content.decode()
    made = client.post("/documents/disposal/new/", {"due_by": ENDED.isoformat(), "section": ""})
    listing = Document.objects.get(doc_type="documents.disposal_list")
    assert made.status_code == 302 and made["Location"] == f"/documents/disposal/{listing.pk}/"
    page = client.get(made["Location"]).content.decode()
    item = DisposalListItem.objects.get(disposal_list=listing, record=record)
    assert "研修の照会" in page and f'name="action-{item.pk}"' in page
    chosen = client.post(
        f"/documents/disposal/{listing.pk}/choose/",
        {"expected_version": listing.version, f"action-{item.pk}": "transfer"},
    )
    assert chosen.status_code == 302 and DisposalListItem.objects.get(pk=item.pk).action == "transfer"
    stale = client.post(f"/documents/disposal/{listing.pk}/submit/", {"expected_version": listing.version})
    assert stale.status_code == 409
    listing.refresh_from_db()
    submitted = client.post(f"/documents/disposal/{listing.pk}/submit/", {"expected_version": listing.version})
    assert submitted.status_code == 302
    consults = RouteStep.objects.filter(document=listing, kind=StepKind.CONSULT).values_list("assignee", flat=True)
    assert list(consults) == [city.jinji_kacho.pk]  # 人事課's records: 人事課 agrees
    # Staff of another section see neither the list nor its screen.
    assert client_for(city.zaisei_kacho).get(f"/documents/disposal/{listing.pk}/").status_code == 200  # not 秘
    assert listing.pk not in [
        r.document_id for r in client_for(city.zaisei_kacho).get("/documents/disposal/").context["page"]
    ]


def test_a_disposed_record_says_so_and_serves_nothing(city, carried_out):
    gone, kept, listing, attachment_id = carried_out
    client = client_for(city.drafter)
    page = client.get(f"/documents/{gone.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "廃棄済" in text and listing.number_label in text
    assert "本文は残らない" not in text and "回答書.pdf" not in text
    for path in (f"/documents/{gone.pk}/attachments/{attachment_id}/", f"/documents/{gone.pk}/signed.pdf"):
        refused = client.get(path)
        assert refused.status_code == 410 and "廃棄済みのため" in refused.content.decode()
    api = client.get(f"/api/documents/{gone.pk}/attachments/{attachment_id}")
    assert api.status_code == 410 and listing.number_label in api.json()["detail"]
    assert client.get(f"/api/documents/{gone.pk}").status_code == 410
    assert client.get("/api/documents/", {"q": "廃棄される秘の照会"}).json()["count"] == 0
    # Someone who could never see the 秘 record still learns nothing, not even that it existed.
    assert client_for(city.outsider).get(f"/documents/{gone.pk}/").status_code == 404
    assert client_for(city.outsider).get(f"/api/documents/{gone.pk}").status_code == 404
    # The transferred record keeps its page; its package is the 文書主管's.
    assert client.get(f"/documents/{kept.pk}/").status_code == 200
    assert client.get(f"/documents/disposal/{listing.pk}/package.zip").status_code == 404
    package = client_for(city.docmgr).get(f"/documents/disposal/{listing.pk}/package.zip")
    assert package.status_code == 200 and package["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(package.getvalue())) as archive:
        assert "manifest.json" in archive.namelist()


def test_the_api_drafts_chooses_and_submits_a_section_list(city):
    record = expired_record(city, by=city.outsider, attachment=None)
    refused = api_call(city.outsider, "post", f"{API}/generate", {"due_by": ENDED.isoformat()})
    assert refused.status_code == 404
    bad = api_call(city.outsider, "post", API, {"due_by": "2024-02-30"})
    assert bad.status_code == 422
    made = api_call(city.outsider, "post", API, {"due_by": ENDED.isoformat()})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["disposal_list"]["section"] == "人事課" and [i["record_id"] for i in body["items"]] == [record.pk]
    item_id, list_id = body["items"][0]["id"], body["disposal_list"]["id"]
    item = f"{API}/{list_id}/items/{item_id}"
    wrong = api_call(city.outsider, "put", item, {"action": "燃やす", "expected_version": 1})
    assert wrong.status_code == 400 and wrong.json()["field"] == "action"
    chosen = api_call(city.outsider, "put", item, {"action": "transfer", "expected_version": 1})
    assert chosen.status_code == 200 and chosen.json()["action"] == "transfer"
    submitted = api_call(city.outsider, "post", f"{API}/{list_id}/submit", {"expected_version": 2})
    assert submitted.status_code == 200 and submitted.json()["status"] == "circulating"
    assert api_call(city.outsider, "get", API).json()["count"] == 1
    assert api_call(city.docmgr, "get", f"{API}/{list_id}").json()["items"][0]["action"] == "transfer"


def test_the_command_generates_the_lists_of_the_document_manager(city, capsys):
    expired_record(city, attachment=None)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("disposal_lists", user="docmgr", due_by="3/31")
    with pytest.raises(CommandError, match="文書主管"):
        call_command("disposal_lists", user="drafter", due_by=ENDED.isoformat())
    call_command("disposal_lists", user="docmgr", due_by=ENDED.isoformat(), section="0101")
    assert "1 件作成" in capsys.readouterr().out
    assert Document.objects.filter(doc_type="documents.disposal_list", drafter=city.docmgr).count() == 1
