import pytest

from cityhall.core.audit import record
from cityhall.core.models import AuditEntry


@pytest.mark.django_db
def test_entries_link_to_their_predecessor():
    first = record(actor=None, action="test.first")
    second = record(actor=None, action="test.second")
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.entry_hash
    assert AuditEntry.objects.count() == 2
