"""The content security policy in a real Chromium: the pages' own scripts run, an injected inline
script or <style> element is blocked, and the browser fixture's watch sees the violation (so the
other browser tests, which must end with none, would fail on one)."""

import pytest

from tests.browser.conftest import watch_for_csp_violations

pytestmark = pytest.mark.browser

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.body.append(script);
  const style = document.createElement("style");
  style.textContent = "body { display: none }";
  document.head.append(style);
}"""


def test_injected_inline_code_is_blocked_and_reported(transactional_db, live_server, browser):
    context = browser.new_context()
    page = context.new_page()
    violations = watch_for_csp_violations(page)
    page.goto(f"{live_server.url}/login/")
    page.evaluate(INJECT)
    page.wait_for_timeout(200)  # the violation events are queued as tasks
    assert page.evaluate("window.injected") is None
    assert page.locator("h1", has_text="Log in").is_visible()  # the <style> did not apply
    directives = " ".join(violations)
    assert "script-src" in directives and "style-src" in directives, violations
    context.close()


def test_the_pages_own_scripts_still_work(
    transactional_db, live_server, page, log_in, users, strategy
):
    log_in("owner")
    page.wait_for_url(f"{live_server.url}/w/acme/")
    page.goto(f"{live_server.url}/w/acme/roadmap/overruns/")
    page.select_option("#overrun-team", label="Platform")  # data-submit-on-change, page.js
    page.wait_for_url("**/overruns/?*team=*")
    # clarity.js, the other script, is tested live in test_vision_clarity_live.py.
