"""A real headless Chromium (Debian's) driven by Playwright against the live test server."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from tests.browser.accessibility import serve_axe
from tests.browser.phone import PHONE
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps calling home, and this network refuses it.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make install-dev` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; Django's ORM calls from the test body
    # are still synchronous, so tell Django not to refuse them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
        # From sync_playwright() on, this thread runs in Playwright's context, and Django keeps
        # a connection per context: the one the tests opened in it is closed here, or
        # PostgreSQL refuses to drop the test database ("being accessed by other users").
        connections.close_all()


# The page reports each blocked script, style or frame as a DOM event; Chromium also logs it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI}`));
"""


def watch_for_csp_violations(page) -> list[str]:
    """The content security policy violations `page` reports, to assert empty at the end."""
    violations: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return violations


@pytest.fixture
def page(browser):
    """A page in a fresh context; the test fails if any page it opened broke the content
    security policy (truenorth/headers.py)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations = watch_for_csp_violations(page)
    yield page
    context.close()
    assert violations == [], "content security policy violations"


@pytest.fixture
def output_dir(request):
    """test-output/<test name>/, emptied for each run."""
    folder = Path("test-output") / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def log_in(page, live_server):
    """Log in through the form as a shared test user, landing on `next_path`."""

    def log_in(username: str, next_path: str = "", password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/login/?next={next_path}")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")

    return log_in


@pytest.fixture
def log_in_on_a_phone(page, live_server, log_in):
    """At a phone's size, with axe-core served to the page, log in as `username` and land on
    `path` (the phone tests' common start)."""

    def on_a_phone(username: str, path: str) -> None:
        serve_axe(page.context, live_server.url)
        page.set_viewport_size(PHONE)
        log_in(username, path)
        page.wait_for_url(f"**{path}")

    return on_a_phone
