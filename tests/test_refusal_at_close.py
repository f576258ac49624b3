"""A refused check-in's reason, kept as it stood when it closed: found on 2026-12-06, "Close
now and publish" was refused and left P2 open, `truenorth checkin close` closed it without
keeping why, and once P3 was published the page, its JSON twin and `truenorth analyze` read
"beside “P1 most” and “P3 most”", as if P3 had caused it. Since 2026-12-07 the command line
leaves such a round open, as the page does. While it is
open, the page says what closing it would meet rather than offer that close again; an unsent
check-in closes without any audit. Real database, real model, Django's test client, Click's
runner."""

import re
from datetime import timedelta
from html import unescape

from click.testing import CliRunner
from django.utils import timezone

from tests.test_team_rounds import (  # noqa: F401 (mixed_team is a fixture)
    FAITHFUL,
    answer_as,
    mixed_team,
    pulse,
    two_rounds_one_designer_apart,
)
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.checkins.measure import analyze
from truenorth.checkins.models import CheckIn, Report
from truenorth.cli import main
from truenorth.workspaces.models import Person

IF_CLOSED_NOW = "If it closed now, its results could not be published: beside “C2 everyone”"
CLOSE_BUTTON = "Close now and publish the results…"


def refusal_on_the_page(client, checkin) -> str:
    page = unescape(client.get(f"/w/acme/checkins/{checkin.pk}/").content.decode())
    found = re.search(r'<p class="note" id="publication-refused">(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


def reopened(checkin) -> CheckIn:
    CheckIn.objects.filter(pk=checkin.pk).update(closes_at=timezone.now() + timedelta(days=7))
    return CheckIn.objects.get(pk=checkin.pk)


def later_rounds(workspace, people) -> tuple[CheckIn, CheckIn]:
    """C2 published, answered by all 23; C3, still open, by all but the designer ad1."""
    first, later = two_rounds_one_designer_apart(workspace, people, salespeople_out=0)
    return first, reopened(later)


def test_the_command_line_leaves_open_a_round_the_page_leaves_open(
    workspace,
    mixed_team,  # noqa: F811
    client_for,
):
    """Until 2026-12-07 `truenorth checkin close` closed it for good, where the page and the API
    left it taking answers: who answers is audited, so more answers could still lift it."""
    _, people = mixed_team
    first, later = later_rounds(workspace, people)
    editor = client_for("editor")
    page = unescape(
        editor.post(f"/w/acme/checkins/{later.pk}/close/", follow=True).content.decode()
    )
    assert "So it was left open" in page
    for command in (["checkin", "close"], ["analyze", "--close", "--checkin"]):
        result = CliRunner().invoke(main, [*command, str(later.pk)])
        assert result.exit_code == 1, result.output
        assert "“C3 everyone” cannot be published: beside “C2 everyone”" in result.output
        assert "So “C3 everyone” was left open; it closes on its closing date." in result.output
        assert "--without-publishing" not in result.output  # more answers could lift it
        later.refresh_from_db()
        assert later.is_open() and later.refused_because == ""  # never kept while it is open
    unpublished = CliRunner().invoke(
        main, ["checkin", "close", str(later.pk), "--without-publishing"]
    )
    assert unpublished.exit_code == 1
    assert "can be published after all, so it was left open" in unpublished.output
    later.refresh_from_db()
    assert later.is_open()


def test_a_round_whose_closing_date_passed_is_refused_as_it_stood_then(
    workspace,
    mixed_team,  # noqa: F811
    client_for,
):
    _, people = mixed_team
    first, later = two_rounds_one_designer_apart(workspace, people, salespeople_out=0)
    # C2 was published before C3 closed (its rounds are made in the past, published now).
    CheckIn.objects.filter(pk=first.pk).update(finalised_at=later.closes_at - timedelta(hours=1))
    analyze(pulse(workspace, "C4 everyone", 2, list(people.values())))  # nobody looked at C3
    said = refusal_on_the_page(client_for("viewer"), later)
    assert said.startswith("“C3 everyone” cannot be published: beside “C2 everyone”, its")
    assert "C4 everyone" not in said
    later.refresh_from_db()
    assert later.refused_because == ""  # a look writes nothing
    editor = client_for("editor")
    editor.post(f"/w/acme/checkins/{later.pk}/analyze/")  # the first try keeps it, as it stood
    later.refresh_from_db()
    assert later.refused_because == said
    assert not Report.objects.filter(checkin=later).exists()


def open_round(workspace, people: list) -> tuple[CheckIn, dict]:
    """C3, open since 3 days ago for a week, its links issued and nobody's answer in yet."""
    opens = timezone.now() - timedelta(days=3)
    checkin = create_alignment_pulse(workspace, "C3 everyone", opens, opens + timedelta(days=10))
    tokens = {link.person.pk: link.token for link in issue_links(checkin)}
    return checkin, tokens


def test_an_open_round_says_closing_it_would_be_refused_as_answers_come_in(
    workspace,
    mixed_team,  # noqa: F811
    client_for,
):
    """The page had worked out "publishable" before the answers came in, and answering changes
    no figure of the workspace: it kept offering "Close now and publish the results"."""
    _, people = mixed_team
    two_rounds_one_designer_apart(workspace, people, salespeople_out=0)
    CheckIn.objects.filter(title="C3 everyone").delete()
    later, tokens = open_round(workspace, list(people.values()))
    editor = client_for("editor")
    page = unescape(editor.get(f"/w/acme/checkins/{later.pk}/").content.decode())
    assert CLOSE_BUTTON in page and IF_CLOSED_NOW not in page  # nobody has answered yet
    answer_as(later, tokens, [p for name, p in people.items() if name != "ad1"])
    page = unescape(editor.get(f"/w/acme/checkins/{later.pk}/").content.decode())
    assert IF_CLOSED_NOW in page and CLOSE_BUTTON not in page
    twin = editor.get(f"/w/acme/checkins/{later.pk}/report.json").json()
    assert twin["analysis"] == "open" and IF_CLOSED_NOW in twin["error"]
    later.refresh_from_db()
    assert later.refused_because == ""


def test_an_unsent_round_closes_without_an_audit(
    workspace,
    mixed_team,  # noqa: F811
    client_for,
):
    _, people = mixed_team
    two_rounds_one_designer_apart(workspace, people, salespeople_out=0)
    # One newcomer: its audience differs from C2's by 1 person, which refused the close.
    Person.objects.create(workspace=workspace, name="New", email="new@acme.test")
    opens = timezone.now() - timedelta(days=1)
    unsent = create_alignment_pulse(workspace, "Q1 unsent", opens, opens + timedelta(days=7))
    page = client_for("editor").post(f"/w/acme/checkins/{unsent.pk}/close/", follow=True)
    said = unescape(page.content.decode())
    assert "cannot be published" not in said and "left open" not in said
    assert "Closed without being sent: nobody was asked." in said
    unsent.refresh_from_db()
    assert not unsent.is_open() and unsent.refused_because == ""
