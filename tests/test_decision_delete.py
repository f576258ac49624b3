"""Deleting a decision recorded by mistake: only a proposal nobody has answered goes, from the
edit page, the API and the CLI alike; what the log keeps is refused with the reason."""

from datetime import UTC, date, datetime, time

import pytest
from click.testing import CliRunner

from tests.api import api_request
from truenorth.cli import main
from truenorth.decisions import actions
from truenorth.decisions.models import Comment, Decision
from truenorth.rituals.models import Kind, Occurrence, Ritual

URL = "/w/acme/decisions"
API = "/api/v1/workspaces/acme/decisions"


def proposal(workspace, title="Pick a payments vendor") -> Decision:
    decision = Decision(workspace=workspace, title=title, question="Which vendor?")
    return actions.add_decision(decision, by=None)


def on_a_ritual_record(workspace, decision) -> None:
    ritual = Ritual.objects.create(
        workspace=workspace, number=1, name="Weekly update", kind=Kind.WEEKLY_UPDATE,
        first_date=date(2026, 3, 2), start_time=time(9, 30), rrule="FREQ=WEEKLY;BYDAY=MO",
    )  # fmt: skip
    held = Occurrence.objects.create(ritual=ritual, starts_at=datetime(2026, 3, 9, 8, tzinfo=UTC))
    held.decisions.set([decision])


@pytest.fixture
def kept(workspace):
    """A decision of each kind the log keeps, with the reason's first words."""
    decided = actions.decide(proposal(workspace, "Decided"), None, "Vendor A.")
    commented = proposal(workspace, "Commented")
    Comment.objects.create(decision=commented, text="Which entities?")
    superseding = proposal(workspace, "Superseding")
    old = proposal(workspace, "Old")
    actions.supersede(old, superseding)
    discussed = proposal(workspace, "Discussed")
    on_a_ritual_record(workspace, discussed)
    return {
        decided: "Decision 1 is decided: the log keeps it. Reverse it or supersede it instead.",
        commented: "People have commented on it",
        superseding: f"It supersedes decision {old.number}",
        old: f"Decision {old.number} is superseded: the log keeps it.",
        discussed: "It is on the record of a ritual's session.",
    }


def test_only_an_unanswered_proposal_can_go(workspace, kept):
    assert actions.why_kept(proposal(workspace)) is None
    for decision, reason in kept.items():
        assert actions.why_kept(decision).startswith(reason), decision.title


def test_an_editor_deletes_a_proposal_from_its_edit_page(workspace, client_for):
    mistaken = proposal(workspace)
    client = client_for("editor")
    form = client.get(f"{URL}/{mistaken.number}/edit/").content.decode()
    assert 'id="delete-decision"' in form and f"{URL}/{mistaken.number}/delete/" in form
    assert client.get(f"{URL}/{mistaken.number}/delete/").status_code == 405
    done = client.post(f"{URL}/{mistaken.number}/delete/", follow=True)
    assert done.redirect_chain[-1][0] == f"{URL}/"
    assert "Decision 1 deleted: “Pick a payments vendor”." in done.content.decode()
    assert not Decision.objects.exists()
    assert client.get(f"{URL}/{mistaken.number}/").status_code == 404


def test_the_edit_page_says_why_a_decision_is_kept_and_a_post_changes_nothing(
    workspace, kept, client_for
):
    client = client_for("owner")
    for decision, reason in kept.items():
        form = client.get(f"{URL}/{decision.number}/edit/").content.decode()
        assert "It cannot be deleted. " + reason.replace("'", "&#x27;") in form
        assert f"{URL}/{decision.number}/delete/" not in form
        refused = client.post(f"{URL}/{decision.number}/delete/", follow=True)
        assert refused.redirect_chain[-1][0] == f"{URL}/{decision.number}/edit/"
        assert f"Decision {decision.number} was not deleted: " in refused.content.decode()
    assert Decision.objects.count() == len(kept)


def test_members_and_partners_cannot_delete(workspace, client_for):
    mistaken = proposal(workspace)
    assert client_for("member").post(f"{URL}/{mistaken.number}/delete/").status_code == 403
    assert client_for("partner").post(f"{URL}/{mistaken.number}/delete/").status_code == 403
    assert Decision.objects.filter(pk=mistaken.pk).exists()


def test_the_api_deletes_a_proposal_and_answers_409_for_what_the_log_keeps(
    workspace, kept, client, users
):
    def delete(number, role="editor", scope="write"):
        return api_request(client, users[role], "delete", f"{API}/{number}", scope=scope)

    mistaken = proposal(workspace)
    assert delete(mistaken.number, "member").status_code == 403
    assert delete(mistaken.number, scope="read").status_code == 403
    assert delete(mistaken.number).status_code == 204
    assert delete(mistaken.number).status_code == 404
    for decision, reason in kept.items():
        answer = delete(decision.number)
        assert answer.status_code == 409 and answer.json()["detail"].startswith(reason)
    assert Decision.objects.count() == len(kept)


def test_the_cli_deletes_a_proposal_and_names_why_it_keeps_another(workspace, kept):
    mistaken = proposal(workspace)
    done = CliRunner().invoke(main, ["decisions", "delete", str(mistaken.number), "-w", "acme"])
    assert done.exit_code == 0, done.output
    assert done.output == f"Deleted decision {mistaken.number}: Pick a payments vendor\n"
    decided = next(iter(kept))
    refused = CliRunner().invoke(main, ["decisions", "delete", str(decided.number), "-w", "acme"])
    assert refused.exit_code == 1
    assert "decision 1 was not deleted: Decision 1 is decided: the log keeps it." in refused.output
    assert Decision.objects.count() == len(kept)
