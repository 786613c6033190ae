"""地方税法第22条: nobody but the section's tax collectors, in the office, sees anything of the inquiries.

Every page (each URL pattern of the app) and every operation of /api/inquiries is visited as every
other role of the test city and must answer 403 or 404 with none of the data; a page or operation
added later fails here until it is listed with its arguments. From outside the office the
collectors themselves are refused with the reason.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.core.models import AuditEntry
from cityhall.inquiries import urls
from cityhall.inquiries.models import (
    Answer,
    AnswerLayout,
    DelinquentPerson,
    FoundAsset,
    InquiryBatch,
    Institution,
    PersonImport,
    PersonImportLayout,
)
from cityhall.org.models import Role
from cityhall.org.services import role_grant
from cityhall.testing.city import SETUP, SINCE, make_user
from cityhall.testing.inquiries import answered, delinquent_csv
from cityhall.testing.web import client_for, sign_in_verified

pytestmark = pytest.mark.django_db

API = "/api/inquiries"
REMOTE = "203.0.113.20"
VIEWS = ("inquiries.person.view", "inquiries.answer.view", "inquiries.seizure.view", "inquiries.seizure.export")
PERSON_IN = {
    "resident_number": "0000009999", "name": "外部　者", "kana": "ガイブ　シャ", "birth_date": "1970-01-01",
    "address": "東京都", "delinquent_since": "2024-06-30", "amount": 1000,
}  # fmt: skip
INSTITUTION_IN = {"kind": "insurer", "name": "外部生命", "address": "東京都"}
BATCH_IN = {"purpose": "財産調査", "base_date": "2025-03-31", "region": "東京都"}
PERSON_LAYOUT_IN = {"columns": {"kana": "カナ"}, "header_row": 1}
IMPORT_FORM = {"dry_run": "on"}  # with a file: see ``_with_file``
MANUAL_IN = {"resident_number": "0000000102", "result": "none"}
LAYOUT_IN = {"columns": {"kana": "#2"}}
BATCH_FORM = {"purpose": "財産調査", "base_date": "2025-03-31", "region": "東京都", "reply_days": "14"}


def pages(w: SimpleNamespace) -> dict[str, list[tuple[str, dict[str, Any], dict[str, str]]]]:
    """Each URL name of the app: (method, URL arguments, form data) for every way it is asked."""
    return {
        "persons": [("get", {}, {"q": "山田"})],
        "person": [("get", {"pk": w.yamada.pk}, {})],
        "institutions": [("get", {}, {})],
        "institution_new": [("get", {}, {}), ("post", {}, INSTITUTION_IN)],
        "institution_edit": [("get", {"pk": w.insurer.pk}, {}), ("post", {"pk": w.insurer.pk}, INSTITUTION_IN)],
        "institution_deactivate": [("post", {"pk": w.insurer.pk}, {})],
        "person_imports": [("get", {}, {}), ("post", {}, IMPORT_FORM)],
        "person_import": [("get", {"pk": w.person_import.pk}, {})],
        "person_import_layout": [("get", {}, {}), ("post", {}, {"header_row": "1", "save": "1"})],
        "batches": [("get", {}, {})],
        "batch_new": [("get", {}, {}), ("post", {}, BATCH_FORM)],
        "batch": [("get", {"pk": w.batch.pk}, {})],
        "answers": [("get", {"pk": w.batch.pk}, {})],
        "answer_import": [("get", {"pk": w.batch.pk}, {}), ("post", {"pk": w.batch.pk}, {"letter": w.letter.pk})],
        "seizure": [("get", {"pk": w.batch.pk}, {})],
        "seizure_xlsx": [("get", {"pk": w.batch.pk}, {})],
        "answer_manual": [("get", {"pk": w.letter.pk}, {}), ("post", {"pk": w.letter.pk}, MANUAL_IN)],
        "answer_decide": [("get", {"pk": w.stranger.pk}, {}), ("post", {"pk": w.stranger.pk}, {"choice": "not_ours"})],
        "answer_layout": [
            ("get", {"pk": w.insurer.pk}, {}),
            ("post", {"pk": w.insurer.pk}, {"header_row": "1", "col_kana": "#2", "save": "1"}),
        ],
        "letter": [("get", {"pk": w.batch.pk, "letter_id": w.letter.pk}, {})],
        "letter_pdf": [("get", {"pk": w.batch.pk, "letter_id": w.letter.pk}, {})],
        "letter_csv": [("get", {"pk": w.batch.pk, "letter_id": w.letter.pk}, {})],
        "letter_remind": [("post", {"pk": w.batch.pk, "letter_id": w.letter.pk}, {"reply_days": "14"})],
        "reminder_pdf": [("get", {"pk": w.batch.pk, "letter_id": w.letter.pk, "number": 1}, {})],
        "overdue": [("get", {}, {})],
    }


def operations(w: SimpleNamespace) -> dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each operation of /api/inquiries: (path arguments, JSON body)."""
    return {
        ("get", "/persons"): ({}, None),
        ("post", "/persons"): ({}, PERSON_IN),
        ("get", "/persons/{person_id}"): ({"person_id": w.yamada.pk}, None),
        ("put", "/persons/{person_id}"): ({"person_id": w.yamada.pk}, PERSON_IN),
        ("post", "/person-imports"): ({}, IMPORT_FORM),
        ("get", "/person-imports/{import_id}"): ({"import_id": w.person_import.pk}, None),
        ("get", "/person-imports/layout"): ({}, None),
        ("put", "/person-imports/layout"): ({}, PERSON_LAYOUT_IN),
        ("get", "/institutions"): ({}, None),
        ("post", "/institutions"): ({}, INSTITUTION_IN),
        ("put", "/institutions/{institution_id}"): ({"institution_id": w.insurer.pk}, INSTITUTION_IN),
        ("post", "/institutions/{institution_id}/deactivate"): ({"institution_id": w.insurer.pk}, None),
        ("get", "/batches"): ({}, None),
        ("post", "/batches"): ({}, BATCH_IN),
        ("get", "/batches/{batch_id}"): ({"batch_id": w.batch.pk}, None),
        ("post", "/letters/{letter_id}/answer-files"): ({"letter_id": w.letter.pk}, None),
        ("get", "/batches/{batch_id}/answers"): ({"batch_id": w.batch.pk}, None),
        ("post", "/answers/{answer_id}/decision"): ({"answer_id": w.stranger.pk}, {"not_ours": True}),
        ("post", "/letters/{letter_id}/answers"): ({"letter_id": w.letter.pk}, MANUAL_IN),
        ("get", "/batches/{batch_id}/seizure-list"): ({"batch_id": w.batch.pk}, None),
        ("get", "/batches/{batch_id}/seizure-list.xlsx"): ({"batch_id": w.batch.pk}, None),
        ("get", "/institutions/{institution_id}/answer-layout"): ({"institution_id": w.insurer.pk}, None),
        ("put", "/institutions/{institution_id}/answer-layout"): ({"institution_id": w.insurer.pk}, LAYOUT_IN),
        ("get", "/batches/{batch_id}/letters"): ({"batch_id": w.batch.pk}, None),
        ("get", "/batches/{batch_id}/letters/{letter_id}/pdf"): (
            {"batch_id": w.batch.pk, "letter_id": w.letter.pk},
            None,
        ),
        ("get", "/batches/{batch_id}/letters/{letter_id}/csv"): (
            {"batch_id": w.batch.pk, "letter_id": w.letter.pk},
            None,
        ),
        ("post", "/batches/{batch_id}/letters/{letter_id}/reminders"): (
            {"batch_id": w.batch.pk, "letter_id": w.letter.pk},
            {"reply_days": 14},
        ),
        ("get", "/batches/{batch_id}/letters/{letter_id}/reminders/{number}/pdf"): (
            {"batch_id": w.batch.pk, "letter_id": w.letter.pk, "number": 1},
            None,
        ),
        ("get", "/letters/overdue"): ({}, None),
    }


def _with_file(data: dict[str, Any]) -> dict[str, Any]:
    """A form posting a file (the import) gets the tax system's list of two persons."""
    if data is not IMPORT_FORM:
        return data
    return data | {"file": SimpleUploadedFile("list.csv", delinquent_csv(2), content_type="text/csv")}


def _visits(client: Client, w: SimpleNamespace, **extra: Any) -> list[tuple[str, Any]]:
    """(what, response) of every page and operation, as ``client``."""
    found = []
    for name, ways in pages(w).items():
        for method, kwargs, data in ways:
            url = reverse(f"inquiries:{name}", kwargs=kwargs)
            found.append((f"{method} {url}", getattr(client, method)(url, _with_file(data), **extra)))
    for (method, path), (args, body) in operations(w).items():
        url = API + path.format(**args)
        if body is IMPORT_FORM:
            response = client.post(url, _with_file(body), **extra)  # multipart
        else:
            response = getattr(client, method)(url, body or {}, content_type="application/json", **extra)
        found.append((f"{method} {url}", response))
    return found


def test_every_page_and_operation_is_listed_here(client, make_user):
    client.force_login(make_user("schema-reader"))
    schema = client.get("/api/openapi.json").json()
    api = {(m, p[len(API) :]) for p, by in schema["paths"].items() if p.startswith(API + "/") for m in by}
    one = SimpleNamespace(pk=1)
    everything = SimpleNamespace(yamada=one, insurer=one, batch=one, person_import=one, letter=one, stranger=one)
    assert api == set(operations(everything)), "list the new operation in operations() with its arguments"
    names = {pattern.name for pattern in urls.urlpatterns}
    assert names == set(pages(everything)), "list the new page in pages() with its arguments"


def _others(city: SimpleNamespace, w: SimpleNamespace) -> dict[str, User]:
    """One holder of every other role of the test city (納税課's 係長 among the approvers) and a superuser."""
    grants = {
        "zaisei_kacho": Role.ACCOUNTING,
        "jinji_kacho": Role.IT_ADMIN,
        "outsider": Role.AUDITOR,
        "hosa": Role.TREASURER,
    }
    for username, role in grants.items():
        role_grant(actor=SETUP, user=getattr(city, username), role=role, valid_from=SINCE)
    admin = make_user("it-admin", last_name="情報", is_staff=True, is_superuser=True)
    people = {
        name: getattr(city, name) for name in ("drafter", "kacho", "docmgr", *grants)
    }  # 起案者, 決裁者, 文書主管 …
    return people | {"route": w.kakaricho, "superuser": admin}


def _world(inquiry_city: SimpleNamespace) -> SimpleNamespace:
    """The test city's inquiries with 0001's answers taken in (``testing.inquiries.answered``)."""
    return SimpleNamespace(**vars(inquiry_city), **vars(answered(inquiry_city)))


def _counts() -> tuple[int, ...]:
    models = (
        DelinquentPerson, Institution, InquiryBatch, Answer, AnswerLayout, FoundAsset, PersonImport,
        PersonImportLayout,
    )  # fmt: skip
    return tuple(model.objects.count() for model in models)


def test_every_other_role_gets_403_or_404_and_never_the_data(city, inquiry_city):
    w = _world(inquiry_city)
    secrets = [w.yamada.name, w.yamada.kana, w.suzuki.name, w.yamada.resident_number, w.insurer.name, "地方税法"]
    secrets += ["ｻﾄｳ ｼﾞﾛｳ", "7654321"]
    before = _counts()
    views = AuditEntry.objects.filter(action__in=VIEWS).count()
    failures = []
    for who, user in _others(city, w).items():
        for what, response in _visits(client_for(user), w):
            body = response.content.decode()
            if response.status_code not in (403, 404) or any(secret in body for secret in secrets):
                failures.append((who, what, response.status_code))
    assert failures == [], failures
    assert _counts() == before
    assert Institution.objects.get(pk=w.insurer.pk).is_active
    assert Answer.objects.get(pk=w.stranger.pk).match_status == "unmatched"
    assert AuditEntry.objects.filter(action__in=VIEWS).count() == views


@override_settings(CITYHALL_MFA_REQUIRED="remote")
def test_from_outside_the_office_the_collector_is_refused_with_the_reason(inquiry_city):
    w = _world(inquiry_city)
    client = sign_in_verified(Client(), w.collector)  # a second factor, as remote sessions need
    for what, response in _visits(client, w, REMOTE_ADDR=REMOTE):
        assert response.status_code == 403, what
        body = response.content.decode() if what.split()[1].startswith("/inquiries") else response.json()["detail"]
        assert "庁外" in body and "地方税法第22条" in body, what
        assert w.yamada.name not in body and w.insurer.name not in body, what
    office = client.get(reverse("inquiries:person", args=[w.yamada.pk]))
    assert office.status_code == 200 and w.yamada.name in office.content.decode()


def test_a_collector_of_another_section_sees_only_their_own(inquiry_city):
    w = inquiry_city
    client = client_for(w.zeimu_collector)
    assert client.get(reverse("inquiries:person", args=[w.yamada.pk])).status_code == 404
    assert client.get(reverse("inquiries:batch", args=[w.batch.pk])).status_code == 404
    assert client.get(f"{API}/batches/{w.batch.pk}").status_code == 404
    listed = client.get(reverse("inquiries:persons")).content.decode()
    assert w.other.name in listed and w.yamada.name not in listed
    assert [p["name"] for p in client.get(f"{API}/persons").json()["items"]] == [w.other.name]
    assert client.get(f"{API}/batches").json()["count"] == 0
