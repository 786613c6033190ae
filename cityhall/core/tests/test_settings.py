"""Settings fail at start-up by name, and the production profile passes check --deploy."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CITYHALL_", "DATABASE_URL", "REDIS_URL"))}
    clean.pop("PYTEST_VERSION", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


def test_production_profile_passes_check_deploy_with_no_warnings(tmp_path):
    production = {
        "CITYHALL_ENV": "production",
        "CITYHALL_SECRET_KEY": secrets.token_urlsafe(60),
        "CITYHALL_ALLOWED_HOSTS": "cityhall.example.lg.jp",
        "CITYHALL_VAR_DIR": str(tmp_path),
    }
    # A deployment creates the city's signing certificate before it serves.
    made = _manage("ensure_city_certificate", **production)
    assert made.returncode == 0, made.stdout + made.stderr
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_without_secret_key_names_the_variable():
    result = _manage("check", CITYHALL_ENV="production", CITYHALL_ALLOWED_HOSTS="x.example")
    assert result.returncode != 0
    assert "CITYHALL_SECRET_KEY" in result.stderr


def test_unparseable_database_url_names_the_variable():
    result = _manage("check", DATABASE_URL="nosuchdb://x/y")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_unreachable_database_fails_migrate_naming_database_url():
    result = _manage("migrate", "--check", DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_bad_office_network_is_named():
    result = _manage("check", OFFICE_NETWORKS="10.0.0.0/8,not-a-network")
    assert result.returncode != 0
    assert "OFFICE_NETWORKS" in result.stderr


def test_unknown_mfa_policy_is_named():
    result = _manage("check", CITYHALL_MFA_REQUIRED="sometimes")
    assert result.returncode != 0
    assert "CITYHALL_MFA_REQUIRED" in result.stderr
