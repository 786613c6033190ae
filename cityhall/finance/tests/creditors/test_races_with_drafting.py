"""Creditor maintenance at the same moment as drafting (債権者・口座の停止と起案の競合), and duplicate saves.

On SQLite every transaction begins IMMEDIATE, so nothing here can interleave. On PostgreSQL the
tests hold the audit chain's lock (which every service takes last, when it writes its entry) so
that a first service stops just before its commit, start a second one, and check that it waits for
the first and then sees what it did: a stop, new order lines, or a row of a unique constraint.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from cityhall.core.audit.chain import _lock_chain
from cityhall.core.errors import ApplicationError
from cityhall.finance import services
from cityhall.finance.models import Creditor, CreditorBankAccount, Encumbrance, PaymentOrderLine
from cityhall.finance.services.creditor_accounts import (
    creditor_bank_account_deactivate,
    creditor_bank_account_reactivate,
)
from cityhall.finance.services.creditors import creditor_deactivate, creditor_reactivate, creditor_update
from cityhall.testing.race import race

pytestmark = pytest.mark.django_db(transaction=True)
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises every write")

SAME = services.BankAccountInput("0005", "001", "1", "7654321", "ミドリノブング")


def _waiting() -> int:
    """Connections of this test database waiting for a lock (row, unique index or advisory)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def _one_after_another(*actions: Callable[[], object]) -> list[str]:
    """Start each action once the ones before it wait for a lock; release them together; their outcomes in order.

    The audit chain's lock is held meanwhile, so the first action gets as far as its audit entry
    (its writes done, not committed) and each later one as far as the first lock it must wait for.
    """
    outcomes: list[str] = ["not run"] * len(actions)

    def run(i: int, action: Callable[[], object]) -> None:
        try:
            action()
            outcomes[i] = "ok"
        except (ApplicationError, DatabaseError) as exc:
            outcomes[i] = type(exc).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    with transaction.atomic():
        _lock_chain()
        for count, thread in enumerate(threads, start=1):
            thread.start()
            deadline = time.monotonic() + 30  # generous: a loaded CI machine, never a timing assertion
            while _waiting() < count:
                assert time.monotonic() < deadline, f"action {count} did not wait for a lock"
                time.sleep(0.02)
    for thread in threads:
        thread.join(60)
    return outcomes


def _draft(draft_order, creditor: Creditor, account: CreditorBankAccount | None = None) -> Callable[[], object]:
    return lambda: draft_order(lines=[services.OrderLineInput(creditor=creditor, amount=11_000, bank_account=account)])


def _stop_creditor(budget) -> Callable[[], object]:
    return lambda: creditor_deactivate(actor=budget.staff, creditor=budget.creditor)


def _stopped(creditor: Creditor) -> bool:
    return not Creditor.objects.get(pk=creditor.pk).is_active


@postgres_only
def test_an_order_drafted_while_its_creditor_is_being_stopped_is_refused(budget, draft_order):
    outcomes = _one_after_another(_stop_creditor(budget), _draft(draft_order, budget.creditor))
    assert outcomes == ["ok", "ValidationFailed"]
    assert _stopped(budget.creditor) and not PaymentOrderLine.objects.exists()


@postgres_only
def test_a_creditor_stop_waits_for_an_order_being_drafted_and_is_refused(budget, draft_order):
    outcomes = _one_after_another(_draft(draft_order, budget.creditor), _stop_creditor(budget))
    assert outcomes == ["ok", "Conflict"]
    assert not _stopped(budget.creditor) and PaymentOrderLine.objects.count() == 1


@postgres_only
def test_an_order_paying_to_an_account_being_stopped_is_refused(budget, draft_order):
    first = budget.creditor.bank_accounts.get()
    services.creditor_bank_account_add(actor=budget.staff, creditor=budget.creditor, data=SAME)

    def stop() -> object:
        return creditor_bank_account_deactivate(actor=budget.staff, creditor=budget.creditor, account_id=first.pk)

    outcomes = _one_after_another(stop, _draft(draft_order, budget.creditor, first))
    assert outcomes == ["ok", "ValidationFailed"]
    assert not CreditorBankAccount.objects.get(pk=first.pk).is_active and not PaymentOrderLine.objects.exists()


@postgres_only
def test_an_account_stop_waits_for_an_order_paying_to_it_and_is_refused(budget, draft_order):
    first = budget.creditor.bank_accounts.get()

    def stop() -> object:
        return creditor_bank_account_deactivate(actor=budget.staff, creditor=budget.creditor, account_id=first.pk)

    assert _one_after_another(_draft(draft_order, budget.creditor), stop) == ["ok", "Conflict"]
    assert CreditorBankAccount.objects.get(pk=first.pk).is_active


@postgres_only
def test_an_encumbrance_drafted_or_changed_while_its_creditor_is_being_stopped_is_refused(city, budget, encumber):
    other = services.creditor_create(actor=budget.staff, code="200001", name="緑野文具", kana="ミドリノブング").creditor
    draft = encumber(amount=10_000, creditor=other)

    def change() -> object:
        return services.encumbrance_update(actor=city.drafter, encumbrance=draft, creditor=budget.creditor)

    assert _one_after_another(_stop_creditor(budget), lambda: encumber(amount=10_000)) == ["ok", "ValidationFailed"]
    creditor_reactivate(actor=budget.staff, creditor=budget.creditor)
    assert _one_after_another(_stop_creditor(budget), change) == ["ok", "ValidationFailed"]
    assert Encumbrance.objects.get(pk=draft.pk).creditor_id == other.pk
    assert not Encumbrance.objects.filter(creditor=budget.creditor).exists()


@postgres_only
def test_a_creditor_stop_waits_for_an_encumbrance_being_drafted_and_is_refused(budget, encumber):
    outcomes = _one_after_another(lambda: encumber(amount=10_000), _stop_creditor(budget))
    assert outcomes == ["ok", "Conflict"]
    assert not _stopped(budget.creditor)


@postgres_only
def test_the_same_account_added_to_two_creditors_at_once_is_refused_with_the_usual_message(budget):
    other = services.creditor_create(actor=budget.staff, code="200001", name="緑野文具", kana="ミドリノブング").creditor
    caught: list[ApplicationError] = []

    def add(creditor: Creditor) -> Callable[[], object]:
        def act() -> object:
            try:
                return services.creditor_bank_account_add(actor=budget.staff, creditor=creditor, data=SAME)
            except ApplicationError as exc:
                caught.append(exc)
                raise

        return act

    assert _one_after_another(add(budget.creditor), add(other)) == ["ok", "ValidationFailed"]
    assert caught[0].message.endswith("は債権者「100001 株式会社ヤマダ商事」に登録済みです。")
    assert (caught[0].field, caught[0].extra) == ("account_number", {"existing": budget.creditor.pk})
    assert not other.bank_accounts.exists()


@postgres_only
def test_a_restart_racing_a_registration_of_the_same_account_is_refused_with_the_usual_message(budget):
    first = budget.creditor.bank_accounts.get()
    services.creditor_bank_account_add(actor=budget.staff, creditor=budget.creditor, data=SAME)
    creditor_bank_account_deactivate(actor=budget.staff, creditor=budget.creditor, account_id=first.pk)
    caught: list[ApplicationError] = []
    same = services.BankAccountInput(first.bank_code, first.branch_code, "1", first.account_number, "ミドリノブング")

    def register() -> object:
        return services.creditor_create(
            actor=budget.staff, code="200001", name="緑野文具", kana="ミドリノブング", bank_account=same
        )

    def restart() -> object:
        try:
            return creditor_bank_account_reactivate(actor=budget.staff, creditor=budget.creditor, account_id=first.pk)
        except ApplicationError as exc:
            caught.append(exc)
            raise

    assert _one_after_another(register, restart) == ["ok", "Conflict"]
    assert "債権者「200001 緑野文具」の口座として使われているため再開できません。" in caught[0].message
    assert not CreditorBankAccount.objects.get(pk=first.pk).is_active


@postgres_only
def test_a_registration_number_taken_at_the_same_moment_is_refused_with_the_usual_message(budget):
    number = "T8000012050001"
    caught: list[ApplicationError] = []

    def register() -> object:
        return services.creditor_create(
            actor=budget.staff,
            code="200001",
            name="緑野文具",
            kana="ミドリノブング",
            invoice_registration_number=number,
        )

    def change() -> object:
        try:
            return creditor_update(
                actor=budget.staff,
                creditor=budget.creditor,
                name="株式会社ヤマダ商事",
                kana="ヤマダショウジ",
                address="東京都千代田区",
                invoice_registration_number=number,
                is_individual=False,
            )
        except ApplicationError as exc:
            caught.append(exc)
            raise

    assert _one_after_another(register, change) == ["ok", "ValidationFailed"]
    assert caught[0].message == f"登録番号 {number} の債権者「200001 緑野文具」が既に登録されています。"
    assert caught[0].field == "invoice_registration_number"
    assert Creditor.objects.get(pk=budget.creditor.pk).invoice_registration_number == "T7000012050002"


def test_a_stop_and_a_draft_at_the_same_moment_never_both_succeed(budget, draft_order):
    """Both databases, real threads: whichever goes first, the other is refused."""
    outcomes = race([_stop_creditor(budget), _draft(draft_order, budget.creditor)])
    assert sorted(outcomes) in (["Conflict", "ok"], ["ValidationFailed", "ok"])
    stopped, lines = _stopped(budget.creditor), PaymentOrderLine.objects.exists()
    assert stopped != lines
