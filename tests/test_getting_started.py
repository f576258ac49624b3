"""A new workspace's overview shows the first steps until each is done, ticked by the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.models import Delivery, Invitation, Response, new_token, token_digest
from truenorth.dashboard.getting_started import STEPS, getting_started, still_to_do
from truenorth.strategy.models import Vision
from truenorth.work.models import ImportRun
from truenorth.workspaces import progress
from truenorth.workspaces.models import Person, Workspace


def steps_of(workspace) -> dict[str, bool]:
    return {step.name: step.done for step in getting_started(workspace)}


def overview(client) -> str:
    response = client.get("/w/acme/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pulse(workspace):
    opened = timezone.now() - timedelta(days=1)
    return create_alignment_pulse(workspace, "First pulse", opened, opened + timedelta(days=7))


def invite(pulse, status):
    asked = pulse.invitations.count()  # a person is invited once: the next one each time
    person = Person.objects.filter(workspace=pulse.workspace).order_by("pk")[asked]
    token = new_token(pulse)
    digest = token_digest(pulse, "invitation", token)
    return Invitation.objects.create(checkin=pulse, person=person, token_hash=digest, status=status)


def test_an_empty_workspace_has_every_step_to_do(db):
    empty = Workspace.objects.create(name="Empty", slug="empty")
    assert steps_of(empty) == dict.fromkeys(STEPS, False)
    assert still_to_do(getting_started(empty)) == (
        "the vision, the goals, the people, the work and the first pulse"
    )


def test_each_step_is_ticked_by_its_data(users, workspace, strategy, pulse):
    # The logins' people, the strategy's vision, goals and work items; the pulse is not sent.
    assert steps_of(workspace) == {
        "vision": True,
        "goals": True,
        "people": True,
        "work": True,
        "pulse": False,
    }
    invite(pulse, Delivery.PENDING)
    invite(pulse, Delivery.FAILED)
    assert steps_of(workspace)["pulse"] is False  # nobody holds a link yet
    invite(pulse, Delivery.SENT)
    assert steps_of(workspace)["pulse"] is True


def test_answers_imported_from_another_tool_count_as_a_pulse(users, workspace, pulse):
    Response.objects.create(checkin=pulse, function="engineering", team="Platform")
    assert steps_of(workspace)["pulse"] is True


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_writers_see_the_steps_with_a_link_to_each_undone_one(client_for, users, role):
    page = overview(client_for(role))
    assert 'id="getting-started"' in page
    for name in ("vision", "goals", "work", "pulse"):
        assert f'id="step-{name}"' in page
    assert 'class="done" id="step-people"' in page  # the logins' people exist
    for step in getting_started(users[role].memberships.get().workspace):
        if not step.done:
            assert f'href="{step.url}"' in page
            assert client_for(role).get(step.url).status_code == 200, step.url


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_readers_get_a_sentence_instead_of_steps_they_cannot_take(client_for, users, role):
    page = overview(client_for(role))
    assert 'id="being-set-up"' in page
    assert "adding the vision, the goals, the work and the first pulse." in page
    assert "/vision/edit/" not in page and 'class="getting-started"' not in page


def test_the_path_is_gone_once_every_step_is_done(client_for, users, workspace, strategy, pulse):
    invite(pulse, Delivery.HANDED_OUT)
    for role in ("owner", "member"):
        page = overview(client_for(role))
        assert 'id="getting-started"' not in page


def test_a_pulse_sent_after_the_page_was_kept_ticks_its_step(
    client_for, users, workspace, strategy, pulse
):
    assert 'id="step-pulse"' in overview(client_for("owner"))  # kept, with the pulse to send
    invite(pulse, Delivery.SENT)  # changes no figure: the kept page stays
    assert 'id="getting-started"' not in overview(client_for("owner"))


def test_a_set_up_workspace_does_not_read_its_steps_on_every_visit(
    client_for, users, workspace, strategy, pulse
):
    invite(pulse, Delivery.SENT)
    client = client_for("owner")
    overview(client)  # keeps the page, and that every step was done
    with CaptureQueriesContext(connection) as visit:
        assert 'id="getting-started"' not in overview(client)
    assert not [q for q in visit.captured_queries if "checkins_invitation" in q["sql"]]
    Vision.objects.filter(workspace=workspace).delete()  # a new version of the data
    assert 'id="step-vision"' in overview(client)


def test_an_import_whose_worker_stopped_is_not_said_to_be_under_way(client_for, workspace):
    """A running import with no progress for an hour has lost its worker: the step says what
    the run's page says (runs.stopped) rather than wait for it without end."""
    run = ImportRun.objects.create(workspace=workspace, file_name="jira.csv", state="running")
    progress.started("import", run.pk, "Reading the file")  # its worker at work
    work = {step.name: step for step in getting_started(workspace)}["work"]
    assert work.waiting == "An import is under way"

    progress.finished("import", run.pk)  # nothing heard from it for an hour: the key is gone
    work = {step.name: step for step in getting_started(workspace)}["work"]
    assert work.waiting == "The import stopped before it finished"
    assert work.url == f"/w/acme/work/import/{run.pk}/"
    page = overview(client_for("editor"))
    assert f'The import stopped before it finished (<a href="{work.url}">see it</a>)' in page
    assert "An import is under way" not in page


def test_the_overviews_twin_gives_each_role_the_steps_its_page_does(client_for, users):
    """Owners and editors get the steps as the page lists them; the others, who cannot take
    them, the page's sentence and no step."""
    page = overview(client_for("editor"))
    left = client_for("editor").get("/w/acme/overview.json").json()["getting_started"]
    assert [step["name"] for step in left["steps"]] == list(STEPS)
    for step in left["steps"]:
        assert f'class="{"done" if step["done"] else "todo"}" id="step-{step["name"]}"' in page
        assert step["done"] or f'href="{step["url"]}"' in page
    page = overview(client_for("member"))
    left = client_for("member").get("/w/acme/overview.json").json()["getting_started"]
    assert "steps" not in left and "/vision/edit/" not in str(left)
    assert left["left"] == "the vision, the goals, the work and the first pulse"
    assert f'<p id="being-set-up">{left["being_set_up"]}</p>' in page
