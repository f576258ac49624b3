"""The permission matrix built from the URL configuration: every page of a workspace, for every
role, so that a page added later cannot be left out (tests/test_permissions.py spells out the
expected roles of the main pages by hand)."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROLES
from tests.test_security_headers import missing_security_headers
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.claims.models import Claim
from truenorth.decisions.models import Comment, Decision
from truenorth.feedback.models import FeedbackItem
from truenorth.glossary.models import Term
from truenorth.rituals import actions as ritual_actions
from truenorth.rituals import recurrence
from truenorth.rituals.models import CalendarFeed, Ritual
from truenorth.updates import actions as update_actions
from truenorth.urls import workspace_patterns
from truenorth.work.models import ImportRun, TrackerMapping
from truenorth.workspaces.access import allows
from truenorth.workspaces.models import Membership, Person, WaitingInvitation

# Denied roles first: a page an allowed role then POSTs to may change what it shows.
ROLES_IN_ORDER = ["outsider", "partner", "member", "viewer", "editor", "owner"]
assert set(ROLES_IN_ORDER) == {*ROLES, "outsider"}
PAGES = {pattern.name: pattern for pattern in workspace_patterns}


def need_of(pattern) -> str | None:
    return getattr(pattern.callback, "access_need", None)


def url_arguments(workspace, strategy, users, team, role) -> dict:
    """An existing object of the workspace for each kind of id a URL takes; the ones a page
    may delete are new for each role."""
    opened = timezone.now() - timedelta(days=1)
    pulse = create_alignment_pulse(workspace, "Pulse", opened, opened + timedelta(days=7))
    mapping = TrackerMapping.objects.create(
        workspace=workspace, field="label", value=f"close-{role}", goal=strategy["goals"][0]
    )
    claim, _ = Claim.objects.get_or_create(
        workspace=workspace,
        account="Northwind",
        text="Told them it closes in a day.",
        said_on=opened.date(),
    )
    # Decision `number` (the vision's number), shared, so a partner may open its record too.
    Decision.objects.get_or_create(
        workspace=workspace,
        number=strategy["vision"].number,
        defaults=dict(
            title="Ledger", question="Which?", raised_on=opened.date(), shared_with_partners=True
        ),
    )
    return {
        "number": strategy["vision"].number,
        "goal_id": strategy["goals"][0].pk,
        "checkin_id": pulse.pk,
        "initiative_id": strategy["initiatives"]["internal"].pk,
        "item_id": strategy["items"][0].pk,
        "mapping_id": mapping.pk,
        "run_id": ImportRun.objects.get_or_create(workspace=workspace, file_name="jira.csv")[0].pk,
        "person_id": Person.objects.get(email="member@acme.test").pk,
        "team_id": team.pk,
        "membership_id": Membership.objects.get(user=users["member"]).pk,
        "waiting_id": WaitingInvitation.objects.create(
            workspace=workspace, email=f"waiting-{role}@acme.test"
        ).pk,
        "account": "Northwind",
        "claim_id": claim.pk,
        "comment": own_comment(workspace, users.get(role), strategy["vision"].number),
        "term_id": Term.objects.create(
            workspace=workspace, name=f"customer {role}", canonical_definition="Who pays us."
        ).pk,
        "update_number": published_update(workspace),
        "feedback_id": FeedbackItem.objects.create(
            workspace=workspace,
            source="field",
            source_key=f"field-{role}",
            text="Approvals from Slack, please.",
            received_on=opened.date(),
        ).pk,
        "audience": "partners",  # the version every reader, partners too, may open
        **ritual_arguments(workspace, users.get(role)),
    }


def ritual_arguments(workspace, user) -> dict:
    """A weekly ritual, one of its past days, and a calendar feed of the role's own person (the
    workspace's for a login without one), which the role may revoke."""
    ritual = workspace.rituals.first()
    if ritual is None:
        start = timezone.localdate() - timedelta(weeks=3)
        ritual = ritual_actions.create_ritual(
            Ritual(
                workspace=workspace,
                name="Weekly update",
                purpose="Hear what changed.",
                first_date=start,
                start_time=time(9, 30),
                time_zone="Europe/Berlin",
                rrule="FREQ=WEEKLY;BYDAY=MO",
            )
        )
    held = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    membership = Membership.objects.filter(user=user).first() if user else None
    feed, _ = CalendarFeed.issue(workspace, membership.person if membership else None)
    return {
        "ritual_number": ritual.number,
        "day": recurrence.local(ritual, held).date().isoformat(),
        "feed_id": feed.pk,
    }


def published_update(workspace) -> int:
    """A published update's number: its partners' version is for every role."""
    update = workspace.updates.filter(published_at__isnull=False).first()
    if update is None:
        opened = update_actions.open_draft(workspace, date(2026, 11, 1), date(2026, 11, 30))
        update = update_actions.publish(opened)
    return update.number


def own_comment(workspace, user, number: int) -> int:
    """A comment on decision `number` by `user`, who may then correct its kind; 0 if none."""
    decision = workspace.decisions.filter(number=number).first()
    if decision is None or user is None:
        return 0
    text = "Which ledger do we close on?"
    return Comment.objects.create(decision=decision, text=text, written_by=user).pk


def expected_denial(role: str, name: str) -> int:
    return 404 if role == "outsider" else 403  # outsiders learn nothing of the workspace


def test_every_workspace_page_goes_through_the_access_rules():
    unguarded = [name for name, pattern in PAGES.items() if need_of(pattern) is None]
    assert unguarded == [], "pages with no access rule (workspace_view)"


@pytest.mark.parametrize("name", PAGES)
def test_each_role_gets_what_its_rule_allows(name, workspace, strategy, users, team, client):
    pattern = PAGES[name]

    def url(role: str) -> str:
        arguments = url_arguments(workspace, strategy, users, team, role)
        kwargs = {"slug": "acme"} | {key: arguments[key] for key in pattern.pattern.converters}
        return reverse(name, kwargs=kwargs)

    client.force_login(users["owner"])
    post_only = client.get(url("probe")).status_code == 405
    for role in ROLES_IN_ORDER:
        client.force_login(users[role])
        url_of_role = url(role)
        response = client.post(url_of_role) if post_only else client.get(url_of_role)
        status = (role, url_of_role, response.status_code)
        assert missing_security_headers(response) == [], status
        membership = Membership(role=role) if role != "outsider" else None
        if membership is None or not allows(membership, need_of(pattern)):
            assert response.status_code == expected_denial(role, name), status
        elif role == "partner" and name == "initiative":  # the initiative is internal
            assert response.status_code == 404, status
        elif role == "partner" and name in ("update", "update_json"):
            # An update's own page is internal: a partner is led to their version of it.
            assert response.status_code == 302, status
            assert "/partners" in response.url, status
        else:
            assert response.status_code < 500 and response.status_code not in (403, 404), status
