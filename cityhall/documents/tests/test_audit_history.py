"""The document page lists what the audit trail holds about the document (文書ごとの監査ログ), views included."""

from __future__ import annotations

import pytest

from cityhall.testing.web import client_for


@pytest.mark.django_db
def test_the_page_lists_the_documents_entries_with_japanese_names_and_views(city, draft):
    document = draft(has_personal_info=True)
    client_for(city.drafter2).get(f"/documents/{document.pk}/")
    response = client_for(city.drafter).get(f"/documents/{document.pk}/")
    rows = response.context["audit_history"]
    assert [r.action for r in rows] == ["閲覧（個人情報あり）", "閲覧（個人情報あり）", "起案"]
    assert rows[1].actor == city.drafter2.full_name
    html = response.content.decode()
    assert 'data-testid="audit-history"' in html and "閲覧（個人情報あり）" in html


@pytest.mark.django_db
def test_someone_who_may_not_see_the_document_sees_no_history(city, draft):
    document = draft(is_confidential=True)
    response = client_for(city.outsider).get(f"/documents/{document.pk}/")
    assert response.status_code == 404
    assert "audit_history" not in (response.context or {})
