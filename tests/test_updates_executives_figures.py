"""The executives' update counts the claims of its period as the claims page counts them: those
said live before their item shipped, of the items that shipped in the period, and the committed
claims whose date moved in the period, each line only when there are any; says which period
each count covers and the day its figures were read; and its Markdown download links to the
site as its email does."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.api import api_request
from truenorth.claims.models import Claim, Verdict
from truenorth.roadmap.models import Initiative, InitiativeChange, Status
from truenorth.updates import actions, audiences, delivery, rules
from truenorth.updates.models import Audience

START, END = date(2026, 11, 1), date(2026, 11, 30)
GATHERED = date(2026, 12, 1)
PAGE = "/w/acme/updates/{number}/executives"


def initiative(workspace, title: str, status: str, **dates) -> Initiative:
    return Initiative.objects.create(workspace=workspace, title=title, status=status, **dates)


def claim(workspace, item: Initiative, account: str, said_on: date, verdict: str, **said):
    """A claim with its verdict recorded as the check records it, matched to `item`."""
    return Claim.objects.create(
        workspace=workspace,
        said_on=said_on,
        account=account,
        text="What was said.",
        verdict=verdict,
        initiative=item,
        initiative_title=item.title,
        initiative_status=item.status,
        target_date=item.target_date,
        matched=True,
        **said,
    )


def moved(item: Initiative, old: str, new: str, on: date) -> None:
    """The item's target date moved on `on`, as the roadmap records it."""
    InitiativeChange.objects.create(
        initiative=item,
        field=InitiativeChange.Field.TARGET_DATE,
        old_value=old,
        new_value=new,
        changed_at=timezone.make_aware(datetime.combine(on, time(9))),
    )


def risk_lines(update) -> list[audiences.Line]:
    version = audiences.version(update, Audience.EXECUTIVES)
    [section] = [s for s in version.sections if s.heading == "Risks and delays"]
    return section.lines


def risks(draft) -> list[str]:
    return [f"{line.text} — {line.note}" for line in risk_lines(draft)]


def listed(client, path: str) -> int:
    """How many claims the claims page at `path` lists (one page holds the tests' claims)."""
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode().count('<td data-label="Said on">')


def opened(workspace):
    return actions.open_draft(workspace, START, END, today=GATHERED)


def published(workspace):
    """An update of the period published the day after it ends, for every reader to read."""
    update = opened(workspace)
    actions.save_texts(update, "A month.", "Thanks.")
    return actions.publish(update, today=GATHERED)


def test_claims_said_live_before_an_item_shipped_in_the_period_are_counted(
    db, workspace, client_for
):
    shipped = initiative(
        workspace, "Approve from Slack", Status.SHIPPED, actual_date=date(2026, 11, 9)
    )
    earlier = initiative(workspace, "Bulk export", Status.SHIPPED, actual_date=date(2026, 10, 5))
    said = {"said_status": Status.IN_PROGRESS}
    # Said before the period: the item shipping in it is what makes the claim "said early".
    claim(workspace, shipped, "Northwind Dental", date(2026, 10, 20), Verdict.SAID_EARLY, **said)
    claim(workspace, shipped, " northwind  DENTAL ", date(2026, 11, 2), Verdict.SAID_EARLY, **said)
    claim(workspace, earlier, "Globex", date(2026, 9, 1), Verdict.SAID_EARLY, **said)
    draft = opened(workspace)
    [line] = [line for line in risks(draft) if "live before" in line]
    assert line == (
        "1 roadmap item that shipped in this period had been said to be live before it shipped: "
        "2 claims to 1 customer account. — Nothing to correct with the customers now, but they "
        "were not true when said."
    )
    # The claims page lists them under the verdict the line counts, of the items shipped in the
    # period: not Globex's, whose item shipped before it.
    path = draft.facts["said_early"]["path"]
    assert path == (
        "/w/acme/claims/?verdict=said_early&shipped_from=2026-11-01&shipped_to=2026-11-30"
    )
    assert listed(client_for("owner"), path) == 2
    assert rules.problems(draft) == []


def test_committed_claims_whose_date_moved_in_the_period_are_counted(db, workspace, client_for):
    wizard = initiative(
        workspace, "Connection wizard", Status.COMMITTED, target_date=date(2027, 1, 28)
    )
    audit = initiative(workspace, "SOC 2 audit", Status.COMMITTED, target_date=date(2027, 1, 16))
    moved(wizard, "2026-12-21", "2027-01-28", date(2026, 11, 12))
    moved(audit, "2026-12-17", "2027-01-16", date(2026, 10, 23))  # before the period
    committed = {"said_status": Status.COMMITTED}
    told = {**committed, "said_target_date": date(2026, 12, 21)}
    claim(workspace, wizard, "Alder & Finch", date(2026, 10, 10), Verdict.COMMITTED, **told)
    # Told after the move: the date they heard holds.
    after = {**committed, "said_target_date": date(2027, 1, 28)}
    claim(workspace, wizard, "Pinebrook", date(2026, 11, 20), Verdict.COMMITTED, **after)
    early = {**committed, "said_target_date": date(2026, 12, 17)}
    claim(workspace, audit, "Globex", date(2026, 10, 1), Verdict.COMMITTED, **early)
    draft = opened(workspace)
    [line] = [line for line in risks(draft) if "date that moved" in line]
    assert line == (
        "1 committed claim to 1 customer account gave a date that moved in this period. — "
    )
    # Counted as the claims page counts them; its filter lists the claim, and not Globex's,
    # whose date moved before the period.
    found = draft.facts["dates_moved"]
    assert (found["committed"], found["moved"], found["accounts"]) == (2, 1, 1)
    assert found["path"] == (
        "/w/acme/claims/?verdict=committed&moved=1&moved_from=2026-11-01&moved_to=2026-11-30"
    )
    page = client_for("owner").get(found["path"]).content.decode()
    assert "Alder &amp; Finch" in page and "Pinebrook" not in page and "Globex" not in page
    assert listed(client_for("owner"), found["path"]) == 1
    assert rules.problems(draft) == []


def test_no_line_is_given_where_there_is_none(db, workspace):
    item = initiative(
        workspace, "Approve from Slack", Status.SHIPPED, actual_date=date(2026, 10, 9)
    )
    claim(workspace, item, "Globex", date(2026, 9, 1), Verdict.SAID_EARLY)
    assert not any("claim" in line for line in risks(opened(workspace)))


def test_each_claims_count_says_the_period_it_covers(db, workspace):
    item = initiative(workspace, "Supplier portal", Status.EXPLORING)
    said = {"said_status": Status.EXPLORING}
    claim(workspace, item, "Globex", date(2026, 11, 3), Verdict.OVER_PROMISE, **said)
    nothing = Initiative.objects.create(workspace=workspace, title="Payroll", status=Status.DROPPED)
    claim(workspace, nothing, "Initech", date(2026, 11, 4), Verdict.NO_CAPABILITY)
    claim(workspace, item, "Umbrella", date(2026, 10, 30), Verdict.OVER_PROMISE, **said)  # before
    assert [line for line in risks(opened(workspace)) if "claim" in line] == [
        "1 claim made in this period to 1 customer account went further than the roadmap: 1 "
        "promised what is only planned or explored. — ",
        "1 claim made in this period to 1 customer account said we do what nothing on the "
        "roadmap does. — No date will make it true: it needs correcting.",
    ]


def test_every_reading_of_a_version_says_its_period_and_when_its_figures_were_read(
    db, workspace, strategy, client_for, users
):
    draft = published(workspace)
    said = f"{date_format(START)} to {date_format(END)}. Figures as of {date_format(GATHERED)}."
    client = client_for("viewer")
    base = PAGE.format(number=draft.number)
    assert f'<p class="meaning" id="dates">{said}' in client.get(f"{base}/").content.decode()
    assert f"\n\n{said}\n\n" in client.get(f"{base}.md").content.decode()
    twin = client.get(f"{base}.json").json()
    api = f"/api/v1/workspaces/acme/updates/{draft.number}/versions/executives"
    from_api = api_request(client, users["viewer"], "get", api).json()
    for data in (twin, from_api):
        assert (data["period_start"], data["period_end"]) == ("2026-11-01", "2026-11-30")
        assert data["figures_as_of"] == "2026-12-01"
    email = delivery.audience_email(draft, Audience.EXECUTIVES)
    assert said in email.text and said in email.html
    # Partners read no figure: their version says its period only.
    partners = audiences.version(draft, Audience.PARTNERS)
    assert partners.dates == f"{date_format(START)} to {date_format(END)}."


def test_facts_gathered_before_they_kept_the_day_read_it_from_when_they_were_gathered(
    db, workspace, strategy
):
    draft = opened(workspace)
    del draft.facts["period"]["gathered_on"]
    draft.gathered_at = timezone.make_aware(datetime(2026, 12, 3, 10, 0))
    assert audiences.version(draft, Audience.EXECUTIVES).figures_as_of == "2026-12-03"


def test_the_markdown_download_links_to_the_site_as_the_email_does(
    db, workspace, strategy, client_for, settings
):
    settings.SITE_URL = "https://truenorth.example.com"
    draft = published(workspace)
    text = client_for("viewer").get(f"{PAGE.format(number=draft.number)}.md").content.decode()
    goals = "](https://truenorth.example.com/w/acme/goals/)"
    assert goals in text
    assert "](/" not in text  # no link left that only works on the site
    email = delivery.audience_email(draft, Audience.EXECUTIVES).text
    assert goals in email


@pytest.mark.parametrize("audience", [a for a in Audience if a != Audience.PARTNERS])
def test_every_internal_version_says_when_its_figures_were_read(db, workspace, strategy, audience):
    found = audiences.version(opened(workspace), audience)
    assert found.figures_as_of == "2026-12-01"
    assert audiences.markdown(found).split("\n")[2] == found.dates


def test_the_demos_count_of_dates_moved_links_to_the_claims_it_counts(db, built_demo, demo_client):
    """The demo's published update counts 2 committed claims whose date moved in its period; its
    link listed every committed claim whose date moved, 3, one of them moved before the period.
    (None of the demo's claims said live early is on an item shipped in that period: the
    fixture above checks that line's link.)"""
    update = built_demo.updates.exclude(published_at=None).latest("number")
    [line] = [line for line in risk_lines(update) if "gave a date that moved" in line.text]
    assert line.text == (
        "2 committed claims to 2 customer accounts gave a date that moved in this period."
    )
    viewer = demo_client(built_demo, "viewer")
    assert listed(viewer, line.link) == update.facts["dates_moved"]["moved"] == 2
    assert listed(viewer, f"/w/{built_demo.slug}/claims/?verdict=committed&moved=1") == 3
