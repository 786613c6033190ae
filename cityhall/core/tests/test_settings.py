"""Settings fail at start-up by name, and the production profile passes check --deploy."""

from __future__ import annotations

import secrets

from cityhall.testing.plugin import sqlite_only
from cityhall.testing.process import run_manage

# ``run_manage`` clears the run's database settings: each test sets its own, so the PostgreSQL run
# would repeat the SQLite one exactly.
pytestmark = sqlite_only


def test_production_profile_passes_check_deploy_with_no_warnings(tmp_path):
    production = {
        "CITYHALL_ENV": "production",
        "CITYHALL_SECRET_KEY": secrets.token_urlsafe(60),
        "CITYHALL_ALLOWED_HOSTS": "cityhall.example.lg.jp",
        "CITYHALL_VAR_DIR": str(tmp_path),
        "OFFICE_NETWORKS": "10.20.0.0/16",
        "CITYHALL_TSA_URL": "https://tsa.example.lg.jp/tsa",  # the time-stamping authority the city contracts
    }
    # A deployment creates the city's signing certificate before it serves.
    made = run_manage("ensure_city_certificate", **production)
    assert made.returncode == 0, made.stdout + made.stderr
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_without_secret_key_names_the_variable():
    result = run_manage("check", CITYHALL_ENV="production", CITYHALL_ALLOWED_HOSTS="x.example")
    assert result.returncode != 0
    assert "CITYHALL_SECRET_KEY" in result.stderr


def test_unparseable_database_url_names_the_variable():
    result = run_manage("check", DATABASE_URL="nosuchdb://x/y")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_unreachable_database_fails_migrate_naming_database_url():
    result = run_manage("migrate", "--check", DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_bad_office_network_is_named():
    result = run_manage("check", OFFICE_NETWORKS="10.0.0.0/8,not-a-network")
    assert result.returncode != 0
    assert "OFFICE_NETWORKS" in result.stderr


def test_unknown_mfa_policy_is_named():
    result = run_manage("check", CITYHALL_MFA_REQUIRED="sometimes")
    assert result.returncode != 0
    assert "CITYHALL_MFA_REQUIRED" in result.stderr


def test_check_deploy_fails_while_office_networks_is_the_loopback_default(tmp_path):
    production = {
        "CITYHALL_ENV": "production",
        "CITYHALL_SECRET_KEY": secrets.token_urlsafe(60),
        "CITYHALL_ALLOWED_HOSTS": "cityhall.example.lg.jp",
        "CITYHALL_VAR_DIR": str(tmp_path),
    }
    result = run_manage("check", "--deploy", **production)
    assert result.returncode != 0
    assert "cityhall.E002" in result.stderr
    assert "OFFICE_NETWORKS" in result.stderr
