"""Background tasks of automation (非同期処理): thin, by id, calling one function each."""

from __future__ import annotations

from django_tasks import task

from cityhall.automation.services import jobs, switchover


@task()
def run_import_job(job_id: int) -> None:
    """Import the files of an upload (請求書の取込) and store its report."""
    jobs.run_import_job(job_id)


@task()
def run_switchover(run_id: int) -> None:
    """Import a switch-over file (移行データの取込) and store its report."""
    switchover.switchover_run(run_id)
