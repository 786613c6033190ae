import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cityhall.accounts.models import User
from cityhall.core.models import AuditEntry
from cityhall.org import selectors
from cityhall.org.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, build_plan
from cityhall.org.models import Absence, Assignment, Municipality, OrgUnit, Post, RoleGrant
from cityhall.testing.city import must

TODAY = dt.date(2026, 11, 26)
STAFF = 150  # the smallest city that fills every post is 147


def _seed():
    out = StringIO()
    call_command("seed_demo", staff=STAFF, today=TODAY, skip_apps=True, stdout=out)
    return out.getvalue()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Municipality, OrgUnit, Post, Assignment, Absence, RoleGrant, AuditEntry)
    }


def _user(username):
    return User.objects.get(username=username)


def test_plan_is_deterministic():
    assert build_plan(STAFF, TODAY) == build_plan(STAFF, TODAY)
    assert build_plan(600, TODAY) == build_plan(600, TODAY)
    # The people do not depend on the date; the dated records do.
    other_day = build_plan(STAFF, dt.date(2026, 12, 1))
    assert other_day.people == build_plan(STAFF, TODAY).people
    assert other_day.absences != build_plan(STAFF, TODAY).absences


def test_default_city_has_transfers_and_concurrent_history():
    plan = build_plan(600, TODAY)
    assert len(plan.people) == 600
    closed = [a for a in plan.assignments if a.valid_to == dt.date(2026, 3, 31)]
    opened = [a for a in plan.assignments if a.valid_from == dt.date(2026, 4, 1)]
    assert len(closed) >= 10
    assert len(opened) > len(closed)  # the transferred staff plus new staff
    assert sum(1 for u in plan.units if u.kind == "section") == 41


def test_too_few_staff_is_refused(db):
    with pytest.raises(CommandError, match="147 人以上"):
        call_command("seed_demo", staff=120, today=TODAY, stdout=StringIO())
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_second_run_changes_nothing():
    assert "投入しました" in _seed()
    first = _counts()
    assert first["User"] == STAFF
    assert AuditEntry.objects.filter(action="org.seed_demo").count() == 1
    assert "投入済み" in _seed()
    assert _counts() == first


@pytest.mark.django_db
def test_database_matches_the_plan():
    _seed()
    plan = build_plan(STAFF, TODAY)
    stored = set(User.objects.values_list("employee_number", "username", "last_name", "first_name", "family_name_kana"))
    assert stored == {(p.number, p.username, p.last_name, p.first_name, p.last_kana) for p in plan.people}
    assert Assignment.objects.count() == len(plan.assignments)
    assert set(OrgUnit.objects.values_list("code", "name")) == {(u.code, u.name) for u in plan.units}


@pytest.mark.django_db
def test_every_post_is_filled_today():
    _seed()
    for unit in OrgUnit.objects.all():
        head = must(selectors.unit_head(unit, on=TODAY))
        assert head is not None, unit.name
        assert head.post.heads == unit.kind
    assert 35 <= OrgUnit.objects.filter(kind="section").count() <= 45
    assert OrgUnit.objects.get(name="会計室").kind == "department"


@pytest.mark.django_db
def test_demo_chain_of_command_and_roles():
    _seed()
    chain = selectors.chain_of_command(_user("demo-drafter"), on=TODAY)
    assert [a.user.username for a in chain] == [
        "demo-kakaricho",
        "demo-kacho",
        "demo-bucho",
        "demo-fukushicho",
        "demo-shicho",
    ]
    assert selectors.has_role(_user("demo-bunsho"), "document_manager", on=TODAY)
    assert selectors.has_role(_user("demo-kaikei"), "accounting", on=TODAY)
    assert selectors.has_role(_user("demo-it"), "it_admin", on=TODAY)
    assert selectors.has_role(_user("demo-kansa"), "auditor", on=TODAY)
    nozei = _user("demo-nozei")
    assert selectors.role_scope(nozei, "tax_collection", on=TODAY) == [OrgUnit.objects.get(name="納税課")]
    assert not selectors.has_role(_user("demo-drafter"), "tax_collection", on=TODAY)
    it = _user("demo-it")
    assert it.is_staff and it.is_superuser
    assert not _user("demo-kacho").is_staff
    for account in DEMO_ACCOUNTS:
        assert _user(account.username).check_password(DEMO_PASSWORD)
    assert not must(User.objects.exclude(username__startswith="demo-").first()).has_usable_password()


@pytest.mark.django_db
def test_april_transfer_history_exists():
    _seed()
    zeimu = OrgUnit.objects.get(name="税務課")
    before = must(selectors.unit_head(zeimu, on=dt.date(2026, 3, 31)))
    after = must(selectors.unit_head(zeimu, on=dt.date(2026, 4, 1)))
    assert before.user != after.user
    assert must(selectors.primary_assignment(before.user, on=dt.date(2026, 4, 1))).unit.name == "納税課"
    assert Assignment.objects.filter(valid_to=dt.date(2026, 3, 31)).count() >= 2
    assert Assignment.objects.filter(valid_from=dt.date(2025, 4, 1)).count() >= STAFF - 5


@pytest.mark.django_db
def test_absences_with_proxies():
    _seed()
    shimin_kacho = must(selectors.unit_head(OrgUnit.objects.get(name="市民課"), on=TODAY)).user
    assert selectors.is_absent(shimin_kacho, on=TODAY)
    proxy = must(selectors.proxy_for(shimin_kacho, on=TODAY))
    # The 課長補佐 where the city is large enough to have one, else the 部長.
    assert must(selectors.primary_assignment(proxy, on=TODAY)).post.name in {"課長補佐", "部長"}
    assert Absence.objects.get(user=shimin_kacho).proxy == proxy
    assert Absence.objects.filter(proxy__isnull=False).count() >= 3
    assert not selectors.is_absent(_user("demo-kacho"), on=TODAY)


@pytest.mark.django_db
def test_demo_accounts_table():
    _seed()
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.username in text
    assert DEMO_PASSWORD in text
    assert "企画部 企画政策課 企画係" in text
    assert "未作成" not in text
