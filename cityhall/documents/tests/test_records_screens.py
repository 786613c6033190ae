"""保存期間の延長, 原議の補正 and 紙決裁の登録 on screens: the 文書主管 (or a 課長) acts, others read or get 404.

Bad input (full-width digits, 和暦, 2026/13/40, huge numbers, empty and overlong text) is a field error
with a Japanese message, never a 500, and leaves nothing written.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.errors import Conflict, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.models import Document, FormalAddition, Medium, RetentionExtension
from cityhall.documents.selectors import available_actions
from cityhall.testing.records import decided_document
from cityhall.testing.web import client_for, documents_api, field_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def decided(city):
    return decided_document(city)


def test_the_document_manager_extends_the_retention_on_its_screen(city, decided):
    url = reverse("documents:retention", args=[decided.pk])
    page = client_for(city.docmgr).get(url).content.decode()
    assert 'data-testid="retention-form"' in page
    detail = client_for(city.docmgr).get(reverse("documents:detail", args=[decided.pk])).content.decode()
    assert url in detail and "保存期間を延長する" in detail

    drafter = client_for(city.drafter)
    assert 'data-testid="retention-form"' not in drafter.get(url).content.decode()  # reads the log only
    body = {"expected_version": decided.version, "new_years": "10", "reason": "訴訟のため"}
    assert drafter.post(url, body).status_code == 404

    manager = client_for(city.docmgr)
    for bad, field in (
        ({"new_years": "99"}, "new_years"),
        ({"reason": ""}, "reason"),
        ({"reason": "理" * 201}, "reason"),
    ):
        response = manager.post(url, body | bad)
        assert response.status_code == 400
        assert field_error(response.content.decode(), f"id_{field}")
    stale = manager.post(url, body | {"expected_version": decided.version - 1})
    assert stale.status_code == 409 and "変更されています" in stale.content.decode()
    assert not RetentionExtension.objects.exists()

    full_width = str(decided.version).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    done = manager.post(url, body | {"expected_version": full_width})
    assert done.status_code == 302
    decided.refresh_from_db()
    assert decided.retention_years == 10
    extension = RetentionExtension.objects.get()
    assert (extension.previous_years, extension.new_years, extension.reason) == (5, 10, "訴訟のため")
    assert AuditEntry.objects.filter(action="documents.document.retention_extend").count() == 1
    assert "訴訟のため" in drafter.get(url).content.decode()


def test_an_extension_needs_a_decided_kept_record_and_a_reason_that_fits(city, decided, draft):
    with pytest.raises(ValidationFailed) as long_reason:
        services.retention_extend(
            actor=city.docmgr, document=decided, expected_version=decided.version, new_years=10, reason="理" * 201
        )
    assert long_reason.value.field == "reason" and "200文字以内" in long_reason.value.message
    plain = draft()
    with pytest.raises(Conflict, match="決裁済み"):
        services.retention_extend(
            actor=city.docmgr, document=plain, expected_version=plain.version, new_years=10, reason="訴訟"
        )
    closed = services.close(actor=city.drafter, document=decided, expected_version=decided.version)
    Document.objects.filter(pk=closed.pk).update(disposition="disposed", disposed_on=timezone.localdate())
    with pytest.raises(Conflict, match="廃棄済"):
        services.retention_extend(
            actor=city.docmgr, document=closed, expected_version=closed.version, new_years=10, reason="訴訟"
        )
    assert not RetentionExtension.objects.exists()
    assert "extend_retention" not in available_actions(city.docmgr, Document.objects.get(pk=closed.pk))


def test_the_document_manager_makes_a_formal_addition_with_before_and_after(city, decided):
    url = reverse("documents:formal_additions", args=[decided.pk])
    assert client_for(city.drafter).post(url, {"expected_version": decided.version}).status_code == 404
    manager = client_for(city.docmgr)
    body = {
        "expected_version": decided.version,
        "field": "title",
        "value": "公用車（2号車）の修繕について",
        "reason": "誤記",
    }
    for bad, field in (
        ({"value": "  "}, "value"),  # an empty title
        ({"value": "件名\x07"}, "value"),  # a control character
        ({"value": decided.title}, "value"),  # nothing changes
        ({"field": "amount"}, "field"),
        ({"reason": ""}, "reason"),
    ):
        response = manager.post(url, body | bad)
        assert response.status_code == 400, bad
        assert field_error(response.content.decode(), f"id_{field}")
    assert not FormalAddition.objects.exists()
    assert manager.post(url, body).status_code == 302
    addition = FormalAddition.objects.get()
    assert (addition.before, addition.after) == ("公用車の修繕について", "公用車（2号車）の修繕について")
    page = client_for(city.drafter).get(url).content.decode()
    assert "公用車の修繕について" in page and 'data-testid="addition-form"' not in page
    assert [a["after"] for a in documents_api(city.drafter, "get", f"/{decided.pk}/formal-additions").json()] == [
        "公用車（2号車）の修繕について"
    ]


def _paper_post(city, **overrides):
    return {
        "title": "旧庁舎の解体について",
        "matter_kind": city.kinds["general"].pk,
        "decided_on": "令和7年6月2日",
        "decided_by": city.kacho.pk,
        "paper_reason": "システム停止中の決裁",
        "file_plan_class": city.plan.pk,
        "location": "総務課 キャビネット1",
        "form_token": "paper-token-1",
        **overrides,
    }


def test_a_section_chief_registers_a_paper_decision_on_its_screen(city):
    url = reverse("documents:paper_decision_new")
    assert client_for(city.drafter).get(url).status_code == 404  # a clerk
    kacho = client_for(city.kacho)
    form = kacho.get(url).content.decode()
    assert f'<option value="{city.kacho.pk}">' in form and f'<option value="{city.shicho.pk}">' in form
    assert "紙決裁を登録する" in kacho.get(reverse("documents:register")).content.decode()
    for bad, field in (
        ({"decided_on": "2026/13/40"}, "decided_on"),
        ({"decided_on": "令和99年1月1日"}, "decided_on"),
        ({"decided_on": ""}, "decided_on"),
        ({"decided_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "decided_on"),
        ({"amount": "9" * 40}, "amount"),
        ({"decided_by": city.kakaricho.pk}, "decided_by"),  # a 係長 may not decide a 課長専決 matter
        ({"decided_by": "99999999999999999999"}, "decided_by"),
        ({"paper_reason": ""}, "paper_reason"),
    ):
        response = kacho.post(url, _paper_post(city, form_token=f"bad-{field}-{len(str(bad))}", **bad))
        assert response.status_code == 400, bad
        assert field_error(response.content.decode(), f"id_{field}")
    assert not Document.objects.exists()

    created = kacho.post(url, _paper_post(city, amount="１２，０００"))
    assert created.status_code == 302
    document = Document.objects.get()
    assert (document.medium, document.decided_by, document.amount) == (Medium.PAPER, city.kacho, 12_000)
    assert timezone.localtime(document.decided_at).date() == dt.date(2025, 6, 2)
    again = kacho.post(url, _paper_post(city, amount="１２，０００"))  # the same form sent twice
    assert again.status_code == 302 and Document.objects.count() == 1
