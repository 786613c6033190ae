"""The static files the shell links to are found by Django's finders (after ``make assets``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")


def _found(path: str) -> Path:
    found = finders.find(path)
    assert isinstance(found, str), f"{path} not found by the staticfiles finders"
    return Path(found)


def _referenced(template: str) -> list[str]:
    return STATIC_TAG.findall((TEMPLATES / template).read_text(encoding="utf-8"))


@pytest.mark.parametrize("template", ["web/base.html", "web/bare_error.html"])
def test_every_static_file_a_shell_template_links_is_found(template):
    referenced = _referenced(template)
    assert "vendor/design-tokens/tokens.css" in referenced
    assert "web/css/app.css" in referenced
    missing = [path for path in referenced if finders.find(path) is None]
    assert missing == [], f"missing static files (run 'make assets'): {missing}"


def test_vendor_assets_are_the_npm_packages():
    """The copies made by scripts/build_assets.mjs are the real libraries, not empty files."""
    tokens = _found("vendor/design-tokens/tokens.css").read_text(encoding="utf-8")
    assert "--color-primitive-blue-900" in tokens
    assert "htmx" in _found("vendor/htmx/htmx.min.js").read_text(encoding="utf-8")
    assert "axe" in _found("vendor/axe-core/axe.min.js").read_text(encoding="utf-8")[:2000].lower()
    assert finders.find("vendor/chart.js/chart.umd.min.js") is not None


def test_app_css_uses_only_defined_design_tokens():
    """Every design-token variable app.css reads exists in the token file (no typos, no stale names)."""
    tokens = _found("vendor/design-tokens/tokens.css").read_text(encoding="utf-8")
    app_css = _found("web/css/app.css").read_text(encoding="utf-8")
    defined = set(re.findall(r"(--[a-z0-9-]+)\s*:", tokens)) | set(re.findall(r"(--[a-z0-9-]+)\s*:", app_css))
    used = set(re.findall(r"var\((--[a-z0-9-]+)", app_css))
    assert used - defined == set()
