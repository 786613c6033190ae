"""After a crash (``kill -9``) during an export: never a batch marked exported without its file, never a
file for a batch still open, and the next run succeeds.

Twenty times an approved order makes a new open batch; ``export_zengin`` (even rounds) or the service
behind the export button (odd rounds) is killed (SIGKILL) at a random moment of its run, or just before a
random one of its SQL statements, the state on disk and in the database is checked, and the next run is
made to the end.
"""

from __future__ import annotations

import hashlib
import io
import random
import statistics
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from cityhall.finance.models import BatchStatus, PaymentBatch
from cityhall.finance.services.review import order_review_approve
from cityhall.finance.zengin import read_zengin
from cityhall.testing.crash import Child, child_env, database_url
from cityhall.testing.finance import ZENGIN, decided_order, pay_day

ROUNDS = 20

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("zengin_files")]


def _zengin_env(media: Path, var: Path) -> dict[str, str]:
    names = {f"CITYHALL_ZENGIN_{k.upper()}": str(v) for k, v in ZENGIN.items()}
    return child_env(DATABASE_URL=database_url(), CITYHALL_MEDIA_ROOT=str(media), CITYHALL_VAR_DIR=str(var), **names)


def _files_of(media: Path, batch: PaymentBatch) -> list[Path]:
    """Every file in storage that belongs to ``batch`` (its 全銀 file, or a temporary copy of it)."""
    return [p for p in (media / "zengin").rglob("*") if p.is_file() and f"-{batch.pk}.txt" in p.name]


def _check_invariants(media: Path, outputs: dict[int, Path]) -> None:
    for batch in PaymentBatch.objects.all():
        stored = _files_of(media, batch)
        output = outputs.get(batch.pk)
        if batch.status == BatchStatus.OPEN:
            assert (batch.file_name, batch.file_sha256, bytes(batch.file_content)) == ("", "", b"")
            assert stored == [], f"a file for open batch {batch.pk}: {stored}"
            assert output is None or not output.exists(), f"an output file for open batch {batch.pk}"
            continue
        content = bytes(batch.file_content)
        assert content and hashlib.sha256(content).hexdigest() == batch.file_sha256, batch.pk
        parsed = read_zengin(io.BytesIO(content), year=batch.payment_date.year)
        assert (parsed.count, parsed.header.transfer_date) == (batch.record_count, batch.payment_date)
        final = media / batch.file_name
        assert all(p == final or p.name.endswith(".part") for p in stored), stored
        assert not final.exists() or final.read_bytes() == content, f"a partial stored file of batch {batch.pk}"
        assert output is None or not output.exists() or output.read_bytes() == content, batch.pk


def test_kill_9_during_exports_leaves_whole_state_and_the_next_run_finishes(city, budget, treasurer, tmp_path):
    rng = random.Random(20261205)
    media, var = Path(django_settings.MEDIA_ROOT), tmp_path / "var"
    var.mkdir()
    env = _zengin_env(media, var)
    # The command's batches on one day, the button's on the next: the command refuses to start while
    # another batch of its day is exported and not paid, which the button's batches stay.
    days = (pay_day(), pay_day(pay_day()))
    logs = (tmp_path / f"child-{n}.log" for n in range(ROUNDS + 1))
    waiting = [Child(env, next(logs)), Child(env, next(logs))]  # they start while the orders are decided
    orders = [decided_order(city, budget, amounts=(10_000 + i,), payment_date=days[i % 2]) for i in range(ROUNDS)]
    outputs: dict[int, Path] = {}
    durations: list[float] = [0.15]
    statements = {"command": 40, "service": 30}  # at least; raised to the most a next run took
    killed_midway = 0
    previous: dict[str, Any] | None = None
    for i, order in enumerate(orders):
        child = waiting.pop(0)
        if len(waiting) + i < ROUNDS:  # two ready ahead: one starts while this one works
            waiting.append(Child(env, next(logs)))
        child.ready()
        if previous is not None:  # the next run after the kill: must succeed
            started = time.monotonic()
            result = child.run(previous)
            durations.append(time.monotonic() - started)
            statements[previous["op"]] = max(statements[previous["op"]], result["statements"])
            assert result["ok"], result
            _check_after_recovery(media, outputs, previous)
        batch = order_review_approve(actor=treasurer, order=order).batch
        assert batch is not None and batch.status == BatchStatus.OPEN
        if i % 2 == 0:
            outputs[batch.pk] = tmp_path / f"furikomi-{i}.txt"
            job: dict[str, Any] = {
                "op": "command", "date": f"{days[0]:%Y-%m-%d}", "output": str(outputs[batch.pk]), "user": "kaikei",
            }  # fmt: skip
        else:
            job = {"op": "service", "batch": batch.pk, "user": "kaikei"}
        if i % 4 < 2:  # SIGKILL from outside at a random moment of the run
            child.start(job)
            finished = child.kill_after(rng.uniform(0, 1.2 * statistics.median(durations)))
        else:  # SIGKILL just before a random one of the run's SQL statements
            child.start({**job, "kill_at_statement": rng.randint(1, statements[job["op"]])})
            finished = child.outcome()
        killed_midway += not finished
        _check_invariants(media, outputs)
        if finished:  # the kill came after the end: nothing left to do, the run's result must be final
            _check_after_recovery(media, outputs, {**job, "batch": batch.pk})
            previous = None
        else:
            previous = {**job, "batch": batch.pk}
    last = waiting.pop()
    last.ready()
    if previous is not None:
        assert last.run(previous)["ok"]
        _check_after_recovery(media, outputs, previous)
    last.close()
    assert killed_midway >= ROUNDS // 3, f"only {killed_midway} of {ROUNDS} kills came before the end of the run"


def _check_after_recovery(media: Path, outputs: dict[int, Path], job: dict[str, Any]) -> None:
    """After the next run: the batch is exported (paid, for the command), its stored file and output whole."""
    batch = PaymentBatch.objects.get(pk=job["batch"])
    expected = BatchStatus.PAID if job["op"] == "command" else BatchStatus.EXPORTED
    assert batch.status == expected, (batch.pk, batch.status)
    content = bytes(batch.file_content)
    assert (media / batch.file_name).read_bytes() == content
    if job["op"] == "command":
        assert outputs[batch.pk].read_bytes() == content
    _check_invariants(media, outputs)
