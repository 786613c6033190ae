"""Security headers (セキュリティヘッダー): CSP without inline scripts, Permissions-Policy, no-store, API schema.

A signed-in page, an API response, a download and the login page each carry the policies; the
OpenAPI schema and its docs answer only a signed-in user. Every template is walked for inline
scripts and ``on*`` handlers, which the policy would block.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.web import DOCUMENTS_API, LOGIN_PATH, client_for

ROOT = Path(__file__).resolve().parents[1]  # the cityhall package
TEMPLATES = sorted(path for path in ROOT.glob("**/templates/**/*.html") if ".venv" not in path.parts)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
DATA_SCRIPT = re.compile(r"""type\s*=\s*["']application/(?:json|ld\+json)["']""", re.IGNORECASE)
HANDLER = re.compile(r"""<[a-zA-Z][^>]*?\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _directives(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def _assert_policies(response) -> None:
    csp = _directives(response)
    assert csp, "no Content-Security-Policy"
    assert "'self'" in csp["script-src"] and "unsafe-inline" not in csp["script-src"]
    assert "unsafe-eval" not in csp["script-src"]
    assert csp["object-src"] == "object-src 'none'"
    assert csp["frame-ancestors"] in ("frame-ancestors 'none'", "frame-ancestors 'self'")
    permissions = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions, f"{feature} missing in {permissions!r}"


def _assert_no_store(response) -> None:
    assert "no-store" in response.headers.get("Cache-Control", ""), response.headers.get("Cache-Control")


def test_a_signed_in_page(city):
    response = client_for(city.drafter).get(reverse("web:home"))
    assert response.status_code == 200
    _assert_policies(response)
    _assert_no_store(response)


def test_an_api_response(city):
    response = client_for(city.drafter).get("/api/accounts/me")
    assert response.status_code == 200
    _assert_policies(response)
    _assert_no_store(response)


def test_an_api_error_is_not_stored_either(city):
    response = client_for(city.drafter).get(f"{DOCUMENTS_API}/999999999")
    assert response.status_code == 404
    _assert_no_store(response)


def test_downloads_page_and_api(city, draft):
    from cityhall.documents import services

    doc = draft()
    attachment = services.attachment_add(
        actor=city.drafter, document=doc, expected_version=doc.version, **upload("見積.pdf", pdf_bytes())
    )
    client = client_for(city.drafter)
    for url in (
        reverse("documents:attachment", args=[doc.pk, attachment.pk]),
        f"{DOCUMENTS_API}/{doc.pk}/attachments/{attachment.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_policies(response)
        _assert_no_store(response)


def test_the_inline_viewer_keeps_its_stricter_policy(city, draft):
    from cityhall.documents import services

    doc = draft()
    attachment = services.attachment_add(
        actor=city.drafter, document=doc, expected_version=doc.version, **upload("見積.pdf", pdf_bytes())
    )
    response = client_for(city.drafter).get(reverse("documents:attachment_view", args=[doc.pk, attachment.pk]))
    assert response.status_code == 200
    assert _directives(response)["default-src"] == "default-src 'none'"
    assert "script-src" not in _directives(response)
    _assert_no_store(response)


def test_the_login_page():
    response = Client().get(LOGIN_PATH)
    assert response.status_code == 200
    _assert_policies(response)


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
def test_the_api_schema_and_docs_only_for_signed_in_users(city, path):
    anonymous = Client().get(path)
    assert anonymous.status_code in (302, 401, 403)
    assert b"paths" not in anonymous.content
    signed_in = client_for(city.drafter).get(path)
    assert signed_in.status_code == 200
    _assert_no_store(signed_in)


def test_templates_were_found():
    assert len(TEMPLATES) > 50
    assert any(path.name == "base.html" for path in TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_an_inline_script_or_handler(template):
    text = template.read_text(encoding="utf-8")
    inline = [attrs for attrs in SCRIPT_TAG.findall(text) if "src=" not in attrs and not DATA_SCRIPT.search(attrs)]
    assert inline == [], "inline <script> (blocked by the CSP): move it to a static .js file"
    handlers = HANDLER.findall(text)
    assert handlers == [], f"inline event handlers {handlers} (blocked by the CSP): use addEventListener"
    assert not JS_URL.search(text), "javascript: URL (blocked by the CSP)"
