"""Write a demo city plan to the database (デモデータ投入) in one transaction.

Why bulk writes and one audit entry: seeding is a single administrative act
performed by the system, not thousands of separate decisions. Writing it with
``bulk_create`` keeps ``seed_demo --staff 5000`` to seconds, and one summary
entry (action ``org.seed_demo``, with the row counts) records in the hash
chain that the act happened and what it produced; an entry per row would add
thousands of serialised chain appends without telling an auditor anything
more. Passwords: the demo password is hashed once and the hash reused; other
staff get one unusable password marker and cannot sign in until the IT
section sets a password.

Idempotence: the city is written whole or not at all, so its presence (the
municipality code) means the plan is already in: a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.errors import Conflict
from cityhall.org.demo.accounts import DEMO_PASSWORD
from cityhall.org.demo.plan import CityPlan
from cityhall.org.models import Absence, Assignment, Municipality, OrgUnit, Post, RoleGrant

ACTOR = "seed_demo"
# The demo units exist since long before the roster history starts.
UNITS_SINCE = dt.date(2000, 4, 1)
_BATCH = 1000


def _posts(plan: CityPlan) -> dict[str, Post]:
    existing = {post.code: post for post in Post.objects.filter(code__in=[p.code for p in plan.posts])}
    missing = [
        Post(code=p.code, name=p.name, rank=p.rank, is_managerial=p.is_managerial, heads=p.heads)
        for p in plan.posts
        if p.code not in existing
    ]
    Post.objects.bulk_create(missing)
    return {post.code: post for post in Post.objects.filter(code__in=[p.code for p in plan.posts])}


def _units(plan: CityPlan, municipality: Municipality) -> dict[str, OrgUnit]:
    by_code: dict[str, OrgUnit] = {}
    pending = list(plan.units)
    while pending:  # parents before children: one bulk insert per level
        level = [u for u in pending if u.parent_code is None or u.parent_code in by_code]
        rows = [
            OrgUnit(
                municipality=municipality,
                kind=u.kind,
                code=u.code,
                name=u.name,
                kana=u.kana,
                symbol=u.symbol,
                parent=by_code[u.parent_code] if u.parent_code else None,
                sort_order=u.sort_order,
                valid_from=UNITS_SINCE,
            )
            for u in level
        ]
        for row in OrgUnit.objects.bulk_create(rows):
            by_code[row.code] = row
        pending = [u for u in pending if u.code not in by_code]
    return by_code


def _users(plan: CityPlan) -> dict[str, User]:
    usernames = [p.username for p in plan.people]
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True)[:5])
    if taken:
        raise Conflict(f"ユーザー名 {', '.join(taken)} は既に使われています。デモ市を投入できません。")
    demo_hash = make_password(DEMO_PASSWORD)
    unusable = make_password(None)
    rows = [
        User(
            username=p.username,
            employee_number=p.number,
            last_name=p.last_name,
            first_name=p.first_name,
            family_name_kana=p.last_kana,
            given_name_kana=p.first_kana,
            password=demo_hash if p.username.startswith("demo-") else unusable,
            is_staff=p.is_admin,
            is_superuser=p.is_admin,
        )
        for p in plan.people
    ]
    created = User.objects.bulk_create(rows, batch_size=_BATCH)
    if any(u.pk is None for u in created):  # a database that cannot return ids from bulk inserts
        created = list(User.objects.filter(username__in=usernames))
    return {u.employee_number: u for u in created if u.employee_number}


def apply_plan(plan: CityPlan) -> dict[str, Any] | None:
    """Write the plan; returns the row counts, or None when the city already exists."""
    with transaction.atomic(durable=True):
        code = plan.municipality["code"]
        if Municipality.objects.filter(code=code).exists():
            return None
        municipality = Municipality.objects.create(**plan.municipality)
        posts = _posts(plan)
        units = _units(plan, municipality)
        users = _users(plan)
        Assignment.objects.bulk_create(
            [
                Assignment(
                    user=users[a.number],
                    unit=units[a.unit_code],
                    post=posts[a.post_code],
                    valid_from=a.valid_from,
                    valid_to=a.valid_to,
                )
                for a in plan.assignments
            ],
            batch_size=_BATCH,
        )
        Absence.objects.bulk_create(
            [
                Absence(
                    user=users[a.number],
                    starts_on=a.starts_on,
                    ends_on=a.ends_on,
                    proxy=users[a.proxy_number] if a.proxy_number else None,
                    reason=a.reason,
                )
                for a in plan.absences
            ]
        )
        RoleGrant.objects.bulk_create(
            [
                RoleGrant(
                    user=users[g.number],
                    role=g.role,
                    unit=units[g.unit_code] if g.unit_code else None,
                    valid_from=g.valid_from,
                    valid_to=g.valid_to,
                )
                for g in plan.grants
            ],
            batch_size=_BATCH,
        )
        counts = {
            "staff": len(plan.people),
            "units": len(plan.units),
            "assignments": len(plan.assignments),
            "absences": len(plan.absences),
            "role_grants": len(plan.grants),
            "as_of": plan.today.isoformat(),
        }
        record(actor=ACTOR, action="org.seed_demo", obj=municipality, after=counts)
    return counts
