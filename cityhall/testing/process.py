"""Running ``manage.py`` as its own process, as an operator would (management commands, start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 120  # a command that hangs fails its test instead of the whole run


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python manage.py *args`` with none of the test run's settings (``CITYHALL_*``, databases), plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CITYHALL_", "DATABASE_URL", "REDIS_URL"))}
    clean.pop("PYTEST_VERSION", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT_SECONDS,
    )
