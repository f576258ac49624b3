"""axe-core, the accessibility check of the browser tests, installed from npm by `make install-dev`
(package.json pins its version; `npm ci` puts it in node_modules/)."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/axe-core-for-the-browser-tests.js"  # answered by the test's browser, never the app
FAILING_IMPACTS = ("serious", "critical")


def serve_axe(context, base_url: str) -> None:
    """Let the pages of `context` load axe-core as a script of their own origin.

    The content security policy (truenorth/headers.py: script-src 'self') refuses the inline
    <script> that page.add_script_tag(path=...) writes, and turning the policy off
    (bypass_csp) would hide the violations the tests look for; so the browser answers a
    same-origin address with the file itself, and the policy stays on.
    """
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make install-dev` runs `npm ci`")
    context.route(f"{base_url}{AXE_PATH}", lambda route: route.fulfill(path=AXE))


def axe_violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now, one line each
    (rule, how many elements, the first of them); the page's context went through serve_axe."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"axe {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. "
        f"{' '.join(str(t) for t in v['nodes'][0]['target'])})"
        for v in results["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]
