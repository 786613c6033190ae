"""The hours-saved ledger (削減時間の台帳): written with the work, read per section or city-wide."""

from __future__ import annotations

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import fiscal_year
from cityhall.org.models import Role
from cityhall.org.services import role_grant
from cityhall.savings.kinds import register_kinds
from cityhall.savings.models import SavedTime
from cityhall.savings.selectors import saved_time
from cityhall.savings.services import saved_time_record
from cityhall.testing.city import SETUP

pytestmark = pytest.mark.django_db


def test_a_record_is_audited_and_counted_for_its_section_only(city, make_user):
    register_kinds({"test.letter": "照会書"})
    row = saved_time_record(
        actor=city.drafter, section=city.units.soumu, kind="test.letter", count=3, minutes=30, obj=city.units.soumu
    )
    assert row is not None and AuditEntry.objects.filter(action="savings.record", object_id=str(row.pk)).exists()
    year = fiscal_year(row.occurred_at.date())

    (mine,) = saved_time(city.drafter, year)
    assert (mine.section, mine.kind, mine.count, mine.minutes, mine.hours) == ("総務課", "照会書", 3, 30, 0.5)
    assert saved_time(city.outsider, year) == []  # another section's figures are not theirs

    auditor = make_user("kansa")
    role_grant(actor=SETUP, user=auditor, role=Role.AUDITOR, valid_from=row.occurred_at.date())
    assert [r.count for r in saved_time(auditor, year)] == [3]  # the city's figures


def test_nothing_is_recorded_for_no_work_and_negative_figures_are_refused(city):
    args = {"actor": city.drafter, "section": city.units.soumu, "kind": "test.letter", "obj": city.units.soumu}
    assert saved_time_record(count=0, minutes=0, **args) is None
    with pytest.raises(ValidationFailed):
        saved_time_record(count=2, minutes=-1, **args)
    assert not SavedTime.objects.exists()
