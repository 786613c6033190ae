"""A small organisation for shell tests, built through the org services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.org.models import Municipality, Post, UnitKind
from cityhall.org.services import assignment_create, unit_create


def transfer_to_resident_tax(user: User) -> None:
    """総務課 主事 until yesterday, then 税務課 市民税係 主任 from today (an April-style transfer)."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=400)
    city = Municipality.objects.create(code="999999", name="みどり野市", symbol="緑")

    def unit(kind, code, name, parent=None):
        return unit_create(
            actor="test", municipality=city, kind=kind, code=code, name=name, parent=parent, valid_from=start
        )

    general = unit(UnitKind.DEPARTMENT, "100", "総務部")
    affairs = unit(UnitKind.SECTION, "110", "総務課", general)
    tax = unit(UnitKind.SECTION, "120", "税務課", general)
    resident_tax = unit(UnitKind.SUBSECTION, "121", "市民税係", tax)
    clerk = Post.objects.create(code="shuji", name="主事", rank=10)
    senior = Post.objects.create(code="shunin", name="主任", rank=20)
    assignment_create(actor="test", user=user, unit=affairs, post=clerk, valid_from=start)
    assignment_create(actor="test", user=user, unit=resident_tax, post=senior, valid_from=today)
