"""Killing work at a random point (``kill -9``), as a power cut or the OOM killer would.

A ``Child`` is a Python process with Django set up against the test database
(``database_url``), waiting for jobs on its standard input, so the time it takes
to start is not in the window where it is killed. ``run`` does a job to the end;
``start`` begins one and ``kill_after`` sends SIGKILL after a delay and says
whether the job had finished. A job with ``kill_at_statement`` N kills itself
(SIGKILL, no clean-up runs) just before its N-th SQL statement instead:
points a few milliseconds apart, such as between writing a file and the
commit, are then reached as often as any other; ``outcome`` waits for either.
Jobs: ``export_zengin`` (the management command) and ``batch_export`` (the
service behind the export button; once exported, the re-download ``batch_file``,
which is what the button offers then).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.db import connection

from cityhall.testing.process import ROOT

_SERVE = "from cityhall.testing.crash import serve; serve()"


def database_url() -> str:
    """The URL of the database this test process uses (the test database), for a child process."""
    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(conf['NAME']).resolve()}"
    user = conf.get("USER") or ""
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    at = f"{user}{password}@" if user else ""
    return f"postgres://{at}{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{conf['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child: none of the test run's settings, plus ``extra``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CITYHALL_", "DATABASE_URL", "REDIS_URL"))}
    clean.pop("PYTEST_VERSION", None)
    clean["DJANGO_SETTINGS_MODULE"] = "cityhall.settings"
    clean.update(extra)
    return clean


class Child:
    """A prepared process that runs jobs; see the module docstring."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self._log = open(log, "ab")  # noqa: SIM115 - closed in ``close``
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVE],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )

    def _line(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def ready(self) -> None:
        line = self._line()
        assert line == "ready", f"child did not start: {line!r}"

    def start(self, job: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        assert self._line() == "start"

    def finish(self) -> dict[str, Any]:
        line = self._line()
        assert line.startswith("done "), f"job did not finish: {line!r}"
        result: dict[str, Any] = json.loads(line[5:])
        return result

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        self.start(job)
        return self.finish()

    def kill_after(self, seconds: float) -> bool:
        """SIGKILL after ``seconds``; whether the job had finished by then."""
        time.sleep(seconds)
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        assert self.proc.stdout is not None
        finished = "done " in self.proc.stdout.read()
        self.close()
        return finished

    def outcome(self) -> bool:
        """Wait for the job to finish or die by its own SIGKILL; whether it finished. The child is gone after."""
        finished = self._line().startswith("done ")
        self.close()
        return finished

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self._log.close()


class _Statements:
    """Counts the job's SQL statements; SIGKILL to itself before the ``kill_at``-th."""

    def __init__(self, kill_at: int | None) -> None:
        self.count = 0
        self.kill_at = kill_at

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return execute(sql, params, many, context)


def _job(job: dict[str, Any]) -> dict[str, Any]:
    """One job in the child, its SQL statements counted (and maybe its last)."""
    statements = _Statements(job.get("kill_at_statement"))
    with connection.execute_wrapper(statements):
        result = _run_job(job)
    return {**result, "statements": statements.count}


def _run_job(job: dict[str, Any]) -> dict[str, Any]:
    """One job in the child (Django is set up)."""
    import hashlib
    import io

    from django.core.management import CommandError, call_command

    from cityhall.accounts.models import User
    from cityhall.finance.models import BatchStatus, PaymentBatch
    from cityhall.finance.services.batches import batch_export, batch_file

    if job["op"] == "command":
        out = io.StringIO()
        try:
            call_command("export_zengin", date=job["date"], output=job["output"], user=job["user"], stdout=out)
        except CommandError as error:
            return {"ok": False, "error": str(error)}
        return {"ok": True, "out": out.getvalue()}
    actor = User.objects.get(username=job["user"])
    batch = PaymentBatch.objects.get(pk=job["batch"])
    if batch.status == BatchStatus.OPEN:
        content = batch_export(actor=actor, batch=batch).content
    else:
        content = batch_file(actor=actor, batch=batch)
    return {"ok": True, "sha256": hashlib.sha256(content).hexdigest()}


def serve() -> None:
    """The child's loop: set Django up, say ``ready``, then ``start`` and ``done {...}`` for each job."""
    import django

    django.setup()
    print("ready", flush=True)
    for line in sys.stdin:
        print("start", flush=True)
        print("done " + json.dumps(_job(json.loads(line))), flush=True)
