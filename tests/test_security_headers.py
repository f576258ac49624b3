"""Security headers on every response, and templates the content security policy lets through.

Every workspace page for every role is checked in tests/test_every_page.py and
tests/test_permissions.py with `missing_security_headers`; browser tests fail on a violation.
"""

import re
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

EXPECTED = {
    "Content-Security-Policy": "script-src 'self'",
    "Permissions-Policy": "camera=()",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
TEMPLATES = Path(__file__).resolve().parents[1] / "truenorth" / "templates"


def missing_security_headers(response) -> list[str]:
    return [name for name, part in EXPECTED.items() if part not in response.headers.get(name, "")]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/login/",
        "/password/reset/",
        "/password/reset/done/",
        "/password/set/MQ/not-a-token/",
        "/c/",
        "/admin/login/",
        "/static/truenorth/style.css",
        "/static/truenorth/page.js",
        "/no-such-page/",
    ],
)
def test_pages_outside_workspaces_carry_the_headers(client, db, path):
    response = client.get(path)
    assert response.status_code < 500
    missing = missing_security_headers(response)
    if path.startswith("/static/"):
        # Served before Django's clickjacking middleware; the policy's frame-ancestors covers it.
        missing.remove("X-Frame-Options")
    assert missing == []


def test_the_lock_out_page_and_a_refused_form_carry_them(client, users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/login/", {"username": "member", "password": f"guess-{n}"})
    assert response.status_code == 429
    assert missing_security_headers(response) == []
    refused = client.post("/login/", {"username": "member"})  # CSRF off in the test client
    assert missing_security_headers(refused) == []


def test_the_headers_reach_a_logged_in_page(client, users):
    assert client.login(username="owner", password=PASSWORD)
    response = client.get("/w/acme/")
    assert response.status_code == 200
    assert missing_security_headers(response) == []


def template_files():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("template", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_or_event_handler(template):
    text = template.read_text()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", text) if " src=" not in tag]
    handlers = re.findall(r"<[^>]*\s(on[a-z]+)=", text)
    assert inline_scripts == [] and handlers == [], "the content security policy would block it"
    assert "<style" not in text and "javascript:" not in text
