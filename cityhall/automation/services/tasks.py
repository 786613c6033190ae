"""Background tasks of automation (非同期処理): thin, by id, calling one function each.

They live beside the services that queue them (``jobs.import_start``, ``switchover.switchover_start``)
and call the worker's side (``job_runs``, ``switchover_runs``), so no module imports one that imports it.
"""

from __future__ import annotations

from django_tasks import task

from cityhall.automation.services import job_runs, switchover_runs


@task()
def run_import_job(job_id: int) -> None:
    """Import the files of an upload (請求書の取込) and store its report."""
    job_runs.run_import_job(job_id)


@task()
def run_switchover(run_id: int) -> None:
    """Import a switch-over file (移行データの取込) and store its report."""
    switchover_runs.switchover_run(run_id)
