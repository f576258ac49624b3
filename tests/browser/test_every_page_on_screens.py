"""Every main page of the demo, for each of its logins, on a desktop (1440 px) and a phone (390 px).

The thorough test (marked slow: about ten minutes) saves each page as a full-page screenshot,
test-output/screens/<login>/<page>-<width>.png, and fails, listing every problem at once (also
written to test-output/screens/problems.txt), on any of:
- the page scrolling sideways on the phone (wider than the screen), or a table in it scrolling
  sideways inside its own box,
- a response of 500 or more (the page or anything it loads), or the page answered with another
  status than expected (200; 403 and 404 for the error pages a member is shown),
- an error in the browser's console (a script error, a missing file, a blocked resource),
- a serious or critical accessibility violation found by axe-core (tests/browser/accessibility.py).
The quick test, in the default run, checks every page at 390 px for the first three, and runs
axe-core on the owner's pages (the most of any login) and the answer page.

The workspace pages come from the URL configuration (truenorth.urls.workspace_patterns) and each
login gets the ones its role's access rule allows, so a page added later is screened without
touching this file; the few pages outside a workspace are listed by hand below, and
test_every_named_page_is_screened_or_excused keeps that list honest. docs/testing.md says more.
"""

import json
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from tests.browser.accessibility import axe_violations, serve_axe
from tests.browser.conftest import REPORT_VIOLATIONS
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.checkins.measure import analyze
from truenorth.claims.models import Claim
from truenorth.decisions.actions import sort_unsorted
from truenorth.decisions.models import Comment
from truenorth.demo.build import build_demo
from truenorth.demo.content import DEMO_PASSWORD, LOGINS
from truenorth.notifications import unsubscribe
from truenorth.rituals import recurrence
from truenorth.rituals.models import CalendarFeed, Occurrence
from truenorth.roadmap.models import Visibility
from truenorth.urls import urlpatterns, workspace_patterns
from truenorth.work.models import ImportRun, TrackerMapping
from truenorth.workspaces.access import allows
from truenorth.workspaces.models import Membership, WaitingInvitation

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "test-output" / "screens"
DESKTOP, PHONE = 1440, 390
SCREEN_HEIGHTS = {DESKTOP: 900, PHONE: 844}

# Pages outside a workspace, for a logged-in person, and for anyone.
LOGGED_IN_PAGES = ["home", "password_change", "api_tokens", "your_data"]
PUBLIC_PAGES = ["login", "password_reset", "answer", "setup", "unsubscribe"]
# Named pages not screened, and why.
NOT_SCREENED = {
    "logout": "POST only",
    "revoke_api_token": "POST only",
    "new_workspace": "for a server administrator, which no demo login is",
    "mail_server": "for a server administrator, which no demo login is",
    "send_test_mail": "POST only",
    "mail_server_json": "the Mail server page's JSON twin, for a server administrator",
    "your_data_json": "the Your data page's JSON twin",
    "open_answer": "POST only: the answer page's script posts the link to it",
    "password_change_done": "a one-line confirmation after a form",
    "password_reset_done": "a one-line confirmation after a form",
    "password_reset_complete": "a one-line confirmation after a form",
    "password_reset_confirm": "needs an emailed one-time token; password_set is the same form",
    "password_set": "needs an emailed one-time token",
    "calendar_feed": "an iCalendar file for calendar applications, behind a secret token",
}


def is_data(pattern: URLPattern) -> bool:
    """JSON, CSV and Markdown twins of pages: read by programs (or an editor), not browsed."""
    return str(pattern.pattern).endswith((".json", ".csv", ".md"))


def named_patterns(patterns) -> list[URLPattern]:
    """Every named URL under `patterns`, through includes, Django's admin and the API left out
    (/api/v1/ answers JSON to programs; its interactive docs page is Swagger UI's own)."""
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin" and entry.namespace != "api":
                found += named_patterns(entry.url_patterns)
        elif entry.name:
            found.append(entry)
    return found


def url_arguments(workspace, role: str) -> dict:
    """An existing object of the demo for each kind of id a workspace URL takes: ones with
    something to show (the analysed pulse, an initiative that slipped)."""
    initiatives = workspace.initiatives.filter(changes__field="target_date").distinct()
    if role == "partner":
        initiatives = initiatives.exclude(visibility=Visibility.INTERNAL)
    membership = Membership.objects.get(workspace=workspace, role="member")
    claim = Claim.objects.filter(workspace=workspace).first()
    run = ImportRun.objects.get_or_create(workspace=workspace, file_name="jira.csv")[0]
    waiting = WaitingInvitation.objects.get_or_create(workspace=workspace, email="new@example.com")
    published = workspace.updates.filter(published_at__isnull=False).latest("number")
    return {
        "slug": workspace.slug,
        "number": workspace.visions.order_by("-number").first().number,
        "goal_id": workspace.goals.order_by("rank").first().pk,
        "checkin_id": workspace.checkins.filter(report__isnull=False).latest("opens_at").pk,
        "initiative_id": initiatives.order_by("pk").first().pk,
        "item_id": workspace.work_items.order_by("pk").first().pk,
        "mapping_id": TrackerMapping.objects.filter(workspace=workspace).first().pk,
        "run_id": run.pk,
        "person_id": membership.person_id,
        "team_id": workspace.teams.order_by("pk").first().pk,
        "membership_id": membership.pk,
        "waiting_id": waiting[0].pk,
        "account": claim.account,
        "claim_id": claim.pk,
        "comment": first_pk(Comment.objects.filter(decision__workspace=workspace)),
        "term_id": workspace.terms.get(name="customer").pk,  # read differently by three functions
        "feedback_id": first_pk(workspace.feedback.order_by("pk")),
        # The published update, and the version every login, partners too, may read.
        "update_number": published.number,
        "audience": "partners",
        **ritual_arguments(workspace, role),
    }


def ritual_arguments(workspace, role: str) -> dict:
    """The demo's first ritual, the latest of its sessions held (notes, ratings, a decision),
    and a calendar feed (revoking it is POST only, so it is never visited)."""
    held = (
        Occurrence.objects.filter(ritual__workspace=workspace, status=Occurrence.Status.HELD)
        .select_related("ritual")
        .latest("starts_at")
    )
    feed, _ = CalendarFeed.issue(workspace)
    return {
        "ritual_number": held.ritual.number,
        "day": recurrence.local(held.ritual, held.starts_at).date().isoformat(),
        "feed_id": feed.pk,
    }


def first_pk(objects) -> int:
    """The first one's id, or 0 (a URL to an action that the page skips still needs an id)."""
    return objects.values_list("pk", flat=True).first() or 0


# A partner reads an update through its partners' version alone: the update's own page sends
# them there (screened as that page), or is a 404, so that a draft's number tells them nothing
# (docs/updates.md).
PARTNERS_404 = {"update"}


def workspace_pages(workspace, role: str) -> dict[str, str]:
    """{name: path} of the workspace pages the role's access rule allows."""
    arguments = url_arguments(workspace, role)
    pages = {}
    for pattern in workspace_patterns:
        need = getattr(pattern.callback, "access_need", None)
        if is_data(pattern) or not allows(Membership(role=role), need):
            continue
        if role == "partner" and pattern.name in PARTNERS_404:
            continue
        kwargs = {"slug": arguments["slug"]} | {
            key: arguments[key] for key in pattern.pattern.converters
        }
        pages[pattern.name] = reverse(pattern.name, kwargs=kwargs)
    return pages


class Screener:
    """Visits pages in one browser context (one login), collecting what is wrong with each.

    Thorough: a full-page screenshot and an axe-core check of every page at each width.
    Otherwise only what the phone-width run needs: status, console and overflow.
    """

    post_only: set[str] = set()  # names of actions a form posts to, not pages: skipped

    def __init__(
        self, browser, base_url: str, folder: Path, thorough: bool = True, axe: bool | None = None
    ):
        self.context = browser.new_context()
        serve_axe(self.context, base_url)
        self.base_url, self.folder, self.thorough = base_url, folder, thorough
        self.axe = thorough if axe is None else axe
        if thorough:
            folder.mkdir(parents=True, exist_ok=True)
        self.problems: list[str] = []
        self.visits = 0
        self.seen: list[str] = []  # console errors and failed loads of the page being visited
        self.expected = 200  # the status of the page being visited
        self.viewport = {"width": DESKTOP, "height": SCREEN_HEIGHTS[DESKTOP]}
        self.open_page()

    def open_page(self) -> None:
        self.page = self.context.new_page()
        self.page.set_viewport_size(self.viewport)
        self.page.add_init_script(REPORT_VIOLATIONS)
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.seen.append(f"script error: {error}"))
        self.page.on("response", self.on_response)

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        expected = f"status of {self.expected} " in message.text and where == self.page.url
        if not expected:  # Chromium logs an error page's own status, asked for here, as one
            self.seen.append(f"console error: {message.text} {where}".strip())

    def on_response(self, response) -> None:
        if response.status >= 500 and response.status != self.expected:
            self.seen.append(f"HTTP {response.status} for {response.url}")

    def log_in(self, username: str) -> None:
        self.page.goto(f"{self.base_url}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        assert "/login/" not in self.page.url, f"{username} could not log in"

    def screen(self, pages: dict[str, str], width: int, expected: int = 200) -> None:
        self.viewport = {"width": width, "height": SCREEN_HEIGHTS[width]}
        self.page.set_viewport_size(self.viewport)
        for name, path in pages.items():
            if name not in self.post_only:
                self.visit(name, path, width, expected)

    def visit(self, name: str, path: str, width: int, expected: int) -> None:
        self.seen, self.expected = [], expected
        where = f"{self.folder.name} {name} ({path}) at {width} px"
        try:
            response = self.page.goto(self.base_url + path)
        except PlaywrightError as error:  # Chromium shows no page for an error with no body
            self.page.close()  # its own error page would cut into the next visit
            self.open_page()
            status = self.context.request.get(self.base_url + path, max_redirects=0).status
            self.problems.append(f"{where}: HTTP {status}, no page: {error.message}")
            return
        self.visits += 1
        if response.status == 405 and response.headers.get("allow") == "POST":
            self.post_only.add(name)  # an action a form posts to; its 405 page says so
            return
        if "#" in path:  # a personal link: the page's script posts it and opens the questions
            self.page.wait_for_selector("[name=q1]")
        if response.status != expected:
            self.seen.append(f"HTTP {response.status}, not {expected}")
        if self.thorough:
            self.page.screenshot(path=str(self.folder / f"{name}-{width}.png"), full_page=True)
        if self.axe:
            self.seen += axe_violations(self.page)
        if width == PHONE:
            self.seen += overflow(self.page)
        self.problems += [f"{where}: {problem}" for problem in self.seen]

    def close(self) -> None:
        self.context.close()


# The widest elements sticking out past the screen, to say where to look.
FIND_OVERFLOW = """() => {
  const screen = window.innerWidth;
  const width = document.documentElement.scrollWidth;
  if (width <= screen) return null;
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    [...e.classList].map((c) => "." + c).join("");
  const wide = [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > screen + 1)
    .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= screen + 1)
    .slice(0, 3).map((e) => `${describe(e)} ${Math.round(e.getBoundingClientRect().right)}px`);
  return {width, screen, wide};
}"""


# Tables that scroll sideways, inside their own box or the box around them: the page fits, but a
# column is off to the right. A list of records becomes cards on a phone (class="stack"); a table
# that compares rows figure by figure (class="compare", its first column staying in view) and a
# chart's table of figures under its chart may scroll.
FIND_SCROLLING_TABLES = """() => [...document.querySelectorAll("table")]
  .filter((t) => t.scrollWidth > t.clientWidth + 2 ||
    t.getBoundingClientRect().width > t.parentElement.clientWidth + 2)
  .filter((t) => !t.closest(".chart-data") && !t.classList.contains("compare"))
  .map((t) => `table${t.id ? "#" + t.id : ""}${[...t.classList].map((c) => "." + c).join("")}` +
    ` (${t.rows[0] ? t.rows[0].innerText.replace(/\\s+/g, " ").slice(0, 40) : ""}):` +
    ` ${t.scrollWidth} px in ${Math.min(t.clientWidth, t.parentElement.clientWidth)}`)"""


def overflow(page) -> list[str]:
    found = page.evaluate(FIND_OVERFLOW)
    tables = [f"a table scrolls sideways: {t}" for t in page.evaluate(FIND_SCROLLING_TABLES)]
    if found is None:
        return tables
    return [
        f"scrolls sideways: {found['width']} px wide on a {found['screen']} px screen"
        f" (sticking out: {', '.join(found['wide']) or 'nothing measurable'})",
        *tables,
    ]


def test_every_named_page_is_screened_or_excused():
    """A page outside a workspace added later must be screened, or say here why not."""
    inside = {p.name for p in workspace_patterns}
    outside = {p.name for p in named_patterns(urlpatterns)} - inside
    listed = set(LOGGED_IN_PAGES) | set(PUBLIC_PAGES) | set(NOT_SCREENED)
    assert outside - listed == set(), "named pages neither screened nor excused"
    assert listed - outside == set(), "listed pages that no longer exist"


@pytest.fixture
def demo(transactional_db):
    """The demo with its latest pulse analysed (a dashboard with results), built for this test:
    the live server's database is flushed after each test."""
    workspace = build_demo(fresh=True)
    analyze(workspace.checkins.order_by("-opens_at").first())
    sort_unsorted(Comment.objects.filter(decision__workspace=workspace))  # as the CLI does
    return workspace


def personal_link(workspace) -> str:
    """The answer page's path for one person, on a pulse opened for the screens."""
    now = timezone.now()
    pulse = create_alignment_pulse(
        workspace, "Screens pulse", now - timedelta(days=1), now + timedelta(days=7)
    )
    return f"/c/#{issue_links(pulse)[0].token}"


def unsubscribe_path(workspace) -> str:
    """The unsubscribe link of a decision's email to someone of the demo."""
    person = workspace.people.exclude(email="").first()
    return reverse("unsubscribe", args=[unsubscribe.token(person, "decision_made")])


def error_pages(workspace) -> dict[int, dict[str, str]]:
    """Pages a member is refused (403) or that do not exist (404): they too are in the layout."""
    return {
        403: {"refused-403": reverse("workspace_settings", args=[workspace.slug])},
        404: {"missing-404": f"/w/{workspace.slug}/no-such-page/"},
    }


def screen_every_page(
    demo, base_url: str, browser, widths, thorough: bool, axe_for: tuple[str, ...] = ()
) -> list[str]:
    """Every page for each demo login, then the public pages and the answer page; the problems
    found, the last line a summary. axe-core runs on every page when thorough, else on the
    pages of the logins in axe_for ("anyone": the public pages and the answer page)."""
    started = time.monotonic()
    problems, visits = [], 0
    for login in LOGINS:
        axe = thorough or login["username"] in axe_for
        screener = Screener(browser, base_url, SCREENS / login["username"], thorough, axe)
        screener.log_in(login["username"])
        pages = workspace_pages(demo, login["role"])
        pages |= {name: reverse(name) for name in LOGGED_IN_PAGES}
        for width in widths:
            screener.screen(pages, width)
            if login["role"] == "member":
                for status, error_page in error_pages(demo).items():
                    screener.screen(error_page, width, expected=status)
        problems += screener.problems
        visits += screener.visits
        screener.close()

    # Last, as it adds a check-in: the public pages and the answer page, from a personal link.
    screener = Screener(
        browser, base_url, SCREENS / "anyone", thorough, thorough or "anyone" in axe_for
    )
    # The answer page and an email's unsubscribe page: each opened from its own link.
    linked = {"answer": personal_link(demo), "unsubscribe": unsubscribe_path(demo)}
    pages = {name: reverse(name) for name in PUBLIC_PAGES if name not in linked} | linked
    for width in widths:
        screener.screen(pages, width)
    problems += screener.problems
    visits += screener.visits
    screener.close()
    seconds = time.monotonic() - started
    return [*problems, f"{visits} page views in {seconds:.0f} s, {len(problems)} problems"]


@pytest.mark.slow
@pytest.mark.timeout(3600)  # past the default run's 900 s: minutes by design
def test_every_page_on_every_screen_with_screenshots_and_axe(demo, live_server, browser):
    shutil.rmtree(SCREENS, ignore_errors=True)
    *problems, summary = screen_every_page(
        demo, live_server.url, browser, (DESKTOP, PHONE), thorough=True
    )
    (SCREENS / "problems.txt").write_text("\n".join([summary, *problems]) + "\n")
    (SCREENS / "problems.json").write_text(json.dumps(problems, indent=1))
    assert problems == [], f"{summary}:\n" + "\n".join(problems)


def test_every_page_fits_a_phone(demo, live_server, browser):
    """The quick part of the check above, in the default run: every page at 390 px, for
    overflow, server errors and console errors; axe-core on the owner's pages and the public
    ones (the slow test runs it on everyone's, at both widths); no screenshots."""
    owner = next(login["username"] for login in LOGINS if login["role"] == "owner")
    *problems, summary = screen_every_page(
        demo, live_server.url, browser, (PHONE,), False, axe_for=(owner, "anyone")
    )
    assert problems == [], f"{summary}:\n" + "\n".join(problems)


# A page made too wide, with an image nothing describes: what the checks exist to catch.
SPOIL = """() => {
  const wide = document.createElement("div");
  wide.style.width = "900px";
  wide.textContent = "wide";
  const image = document.createElement("img");
  image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
  document.body.append(wide, image);
}"""


# A table wider than its box, which scrolls inside it while the page itself fits.
WIDE_TABLE = """() => {
  document.body.insertAdjacentHTML("beforeend",
    '<table id="wide" style="display:block;overflow-x:auto;width:300px">' +
    '<tr><th>a</th><th style="min-width:800px">b</th></tr></table>');
}"""
# The same in a box that scrolls, as a list of records, then as a table that compares figures.
WRAPPED_TABLES = """() => {
  for (const kind of ["records", "compare"]) document.body.insertAdjacentHTML("beforeend",
    '<div style="overflow-x:auto;width:300px"><table id="' + kind + '" class="' + kind + '">' +
    '<tr><th>c</th><th style="min-width:800px">d</th></tr></table></div>');
}"""


def test_the_checks_catch_a_page_too_wide_and_an_image_with_no_text(
    transactional_db, live_server, browser
):
    screener = Screener(browser, live_server.url, SCREENS / "self-check", thorough=False)
    screener.screen({"login": reverse("login")}, PHONE)
    assert screener.problems == [] and screener.visits == 1
    screener.page.evaluate(SPOIL)
    [too_wide] = overflow(screener.page)
    assert "900 px wide on a 390 px screen" in too_wide and "sticking out: div " in too_wide
    assert any(v.startswith("axe critical image-alt") for v in axe_violations(screener.page))
    screener.page.evaluate(WIDE_TABLE)
    assert overflow(screener.page)[-1].startswith("a table scrolls sideways: table#wide (a b):")
    screener.page.evaluate(WRAPPED_TABLES)
    found = overflow(screener.page)
    assert found[-1].startswith("a table scrolls sideways: table#records.records (c d):")
    assert not any("#compare" in problem for problem in found)
    screener.close()
