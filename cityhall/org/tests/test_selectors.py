import datetime as dt

import pytest

from cityhall.org import selectors, services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, must

MARCH_31 = dt.date(2026, 3, 31)
APRIL_1 = dt.date(2026, 4, 1)


def _april_swap(tax_city):
    """税務課長 and 納税課長 swap posts at the April transfer."""
    kacho = tax_city.posts["kacho"]
    services.assignment_create(
        actor=SETUP, user=tax_city.nozei_kacho, unit=tax_city.zeimu, post=kacho, valid_from=APRIL_1
    )
    services.assignment_create(
        actor=SETUP, user=tax_city.zeimu_kacho, unit=tax_city.nozei, post=kacho, valid_from=APRIL_1
    )


def test_who_was_kacho_on_march_31_and_who_is_on_april_1(tax_city):
    _april_swap(tax_city)

    assert list(selectors.holders_of(unit=tax_city.zeimu, post_code_or_post="kacho", on=MARCH_31)) == [
        tax_city.zeimu_kacho
    ]
    assert list(selectors.holders_of(unit=tax_city.zeimu, post_code_or_post=tax_city.posts["kacho"], on=APRIL_1)) == [
        tax_city.nozei_kacho
    ]
    assert must(selectors.unit_head(tax_city.zeimu, on=MARCH_31)).user == tax_city.zeimu_kacho
    assert must(selectors.unit_head(tax_city.zeimu, on=APRIL_1)).user == tax_city.nozei_kacho
    assert must(selectors.primary_assignment(tax_city.zeimu_kacho, on=MARCH_31)).unit == tax_city.zeimu
    assert must(selectors.primary_assignment(tax_city.zeimu_kacho, on=APRIL_1)).unit == tax_city.nozei


def test_transfer_closes_the_previous_primary_assignment_the_day_before(tax_city):
    _april_swap(tax_city)

    history = list(
        tax_city.zeimu_kacho.assignments.order_by("valid_from").values_list("unit__name", "valid_from", "valid_to")
    )
    assert history == [("税務課", dt.date(2025, 4, 1), MARCH_31), ("納税課", APRIL_1, None)]


def test_primary_assignment_is_one_query_and_shows_unit_and_post(tax_city, django_assert_num_queries):
    with django_assert_num_queries(1):
        assignment = must(selectors.primary_assignment(tax_city.drafter, on=APRIL_1))
        assert str(assignment.unit) == "市民税係"
        assert assignment.unit.name == "市民税係"
        assert assignment.post.name == "主事"
        assert must(assignment.unit.parent).name == "税務課"


def test_primary_assignment_is_none_before_the_first_assignment(tax_city):
    assert selectors.primary_assignment(tax_city.drafter, on=dt.date(2025, 3, 31)) is None


def test_concurrent_assignment_is_not_primary(tax_city):
    services.assignment_create(
        actor=SETUP,
        user=tax_city.kakaricho,
        unit=tax_city.nozei,
        post=tax_city.posts["kakaricho"],
        valid_from=APRIL_1,
        is_primary=False,
    )
    assert must(selectors.primary_assignment(tax_city.kakaricho, on=APRIL_1)).unit == tax_city.shiminzei
    assert {a.unit.name for a in selectors.assignments_of(tax_city.kakaricho, on=APRIL_1)} == {"市民税係", "納税課"}


def test_chain_of_command_goes_up_the_drafters_line(tax_city):
    chain = selectors.chain_of_command(tax_city.drafter, on=APRIL_1)
    assert [a.user.username for a in chain] == ["kakaricho", "zeimu_kacho", "bucho", "fukushicho", "shicho"]
    assert [a.post.name for a in chain] == ["係長", "課長", "部長", "副市長", "市長"]


def test_chain_of_command_starts_above_the_user_and_follows_the_date(tax_city):
    _april_swap(tax_city)
    assert [a.user.username for a in selectors.chain_of_command(tax_city.kakaricho, on=MARCH_31)] == [
        "zeimu_kacho",
        "bucho",
        "fukushicho",
        "shicho",
    ]
    assert selectors.chain_of_command(tax_city.kakaricho, on=APRIL_1)[0].user == tax_city.nozei_kacho
    assert [a.user.username for a in selectors.chain_of_command(tax_city.bucho, on=APRIL_1)] == ["fukushicho", "shicho"]
    assert selectors.chain_of_command(tax_city.shicho, on=APRIL_1) == []


def test_chain_of_command_skips_a_vacant_post(tax_city):
    current = must(selectors.primary_assignment(tax_city.kakaricho, on=APRIL_1))
    services.assignment_end(actor=SETUP, assignment=current, valid_to=MARCH_31)
    assert [a.post.code for a in selectors.chain_of_command(tax_city.drafter, on=APRIL_1)] == [
        "kacho",
        "bucho",
        "fukushicho",
        "shicho",
    ]


def test_absence_with_designated_proxy(tax_city):
    services.absence_register(
        actor=SETUP,
        user=tax_city.zeimu_kacho,
        starts_on=APRIL_1,
        ends_on=dt.date(2026, 4, 3),
        proxy=tax_city.bucho,
        reason="出張",
    )
    assert selectors.is_absent(tax_city.zeimu_kacho, on=APRIL_1)
    assert selectors.is_absent(tax_city.zeimu_kacho, on=dt.date(2026, 4, 3))
    assert not selectors.is_absent(tax_city.zeimu_kacho, on=dt.date(2026, 4, 4))
    assert selectors.proxy_for(tax_city.zeimu_kacho, on=dt.date(2026, 4, 2)) == tax_city.bucho
    assert selectors.proxy_for(tax_city.zeimu_kacho, on=dt.date(2026, 4, 4)) is None


def test_absent_proxy_falls_back_to_the_deputy_in_the_unit(tax_city):
    services.absence_register(
        actor=SETUP, user=tax_city.zeimu_kacho, starts_on=APRIL_1, ends_on=APRIL_1, proxy=tax_city.bucho
    )
    services.absence_register(actor=SETUP, user=tax_city.bucho, starts_on=APRIL_1, ends_on=APRIL_1)
    assert selectors.proxy_for(tax_city.zeimu_kacho, on=APRIL_1) == tax_city.zeimu_hosa
    # Nobody below the 部長 in the 部 itself: no proxy.
    assert selectors.proxy_for(tax_city.bucho, on=APRIL_1) is None


def test_roles_from_grants_and_posts(tax_city):
    assert selectors.roles_of(tax_city.drafter, on=APRIL_1) == {"drafter"}
    assert selectors.roles_of(tax_city.kakaricho, on=APRIL_1) == {"drafter", "approver"}
    grant = services.role_grant(
        actor=SETUP, user=tax_city.drafter, role=Role.TAX_COLLECTION, valid_from=APRIL_1, unit=tax_city.nozei
    )
    assert not selectors.has_role(tax_city.drafter, "tax_collection", on=MARCH_31)
    assert selectors.has_role(tax_city.drafter, "tax_collection", on=APRIL_1)
    assert selectors.role_scope(tax_city.drafter, "tax_collection", on=APRIL_1) == [tax_city.nozei]
    services.role_revoke(actor=SETUP, grant=grant, valid_to=dt.date(2026, 4, 30))
    assert selectors.has_role(tax_city.drafter, "tax_collection", on=dt.date(2026, 4, 30))
    assert not selectors.has_role(tax_city.drafter, "tax_collection", on=dt.date(2026, 5, 1))


def test_a_page_reads_each_users_roles_once(tax_city, django_assert_num_queries):
    with selectors.roles_read_once():
        with django_assert_num_queries(2):  # the grants and the posts, once
            for _ in range(3):
                assert selectors.has_role(tax_city.kakaricho, "approver", on=APRIL_1)
        with django_assert_num_queries(2):  # another day is another read
            selectors.roles_of(tax_city.kakaricho, on=MARCH_31)
    with django_assert_num_queries(2):  # outside the block nothing is kept
        selectors.roles_of(tax_city.kakaricho, on=APRIL_1)


@pytest.mark.django_db
def test_anonymous_and_unassigned_users_have_nothing(make_user):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.primary_assignment(AnonymousUser()) is None
    assert selectors.roles_of(AnonymousUser()) == set()
    assert selectors.roles_of(make_user("nobody")) == set()
    assert selectors.chain_of_command(make_user("nobody2")) == []
