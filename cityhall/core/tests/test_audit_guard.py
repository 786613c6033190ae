"""The database keeps the audit table append-only (追記専用), and the admin only shows it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from cityhall.core.audit import record, verify_chain
from cityhall.core.models import AuditEntry
from cityhall.testing.web import client_for


def run(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_database_refuses_to_update_an_entry():
    entry = record(actor=None, action="test.keep", object_repr="原本")
    with pytest.raises(DatabaseError, match="追記専用"):
        run("UPDATE core_auditentry SET object_repr = %s WHERE id = %s", ["改ざん", entry.pk])
    with pytest.raises(DatabaseError, match="追記専用"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.changed")
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "原本"
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_database_refuses_to_delete_an_entry_on_postgresql():
    entry = record(actor=None, action="test.keep")
    if connection.vendor != "postgresql":
        # SQLite: flush empties tables with DELETE, so deletion is caught by verify_audit instead.
        run("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
        assert not AuditEntry.objects.filter(pk=entry.pk).exists()
        return
    with pytest.raises(DatabaseError, match="追記専用"):
        run("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="追記専用"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_the_admin_lists_and_shows_entries_but_offers_no_change(admin_user):
    admin_client = client_for(admin_user)  # a superuser with a confirmed second factor, as they always need
    entry = record(actor="system", action="org.unit.create", object_repr="税務課")
    listing = admin_client.get("/admin/core/auditentry/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "監査ログ" in body and "税務課" in body and "接続場所" in body
    assert "/admin/core/auditentry/add/" not in body
    assert admin_client.get("/admin/core/auditentry/?location=remote").status_code == 200
    assert admin_client.get("/admin/core/auditentry/?q=税務").status_code == 200
    detail = admin_client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert detail.status_code == 200 and "ハッシュ連鎖" in detail.content.decode()
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert admin_client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "org.unit.create"
