"""Run callables at the same moment in threads, for concurrency tests (two clerks, one step)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection

from cityhall.core.errors import ApplicationError


def race(actions: list[Callable[[], object]]) -> list[str]:
    """Start every action together; return "ok" or the ApplicationError class name of each."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait()
            action()
            result = "ok"
        except ApplicationError as exc:
            result = type(exc).__name__
        finally:
            connection.close()  # each thread has its own connection
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
