"""A decision reversed or superseded is news: the agenda of the next ritual session and the
updates of its period say so, and a decision that replaces another says which."""

from datetime import date

import pytest

from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.rituals.agenda import changed
from truenorth.updates import facts
from truenorth.updates.audiences import decision_lines


def made(workspace, title, on, outcome) -> Decision:
    d = actions.add_decision(
        Decision(workspace=workspace, title=title, question=f"{title}?", raised_on=date(2026, 9, 1))
    )
    return actions.decide(d, on, outcome, "Reasons.")


@pytest.fixture
def log(workspace):
    train = made(workspace, "Weekly release train", date(2026, 10, 10), "Ship every Tuesday.")
    actions.reverse(train, "Sales needs no fixed dates.", date(2026, 12, 1))
    seat = made(workspace, "Per-seat pricing", date(2026, 9, 10), "Per seat.")
    entity = actions.add_decision(
        Decision(
            workspace=workspace,
            title="Per-entity pricing",
            question="How?",
            raised_on=date(2026, 11, 1),
            supersedes=seat,
        )
    )
    actions.decide(entity, date(2026, 11, 15), "Per entity.", "Seats punished inviters.")
    actions.supersede(seat, entity, date(2026, 11, 15))
    return train, seat, entity


def test_the_agenda_lists_reversed_and_superseded_decisions(workspace, log):
    train, seat, entity = log
    items = changed(workspace, {}, [], date(2026, 11, 1), date(2026, 12, 7))["items"]
    texts = [item["text"] for item in items]
    assert f"Reversed: Weekly release train (decision {train.number})" in texts
    assert (
        f"Superseded: Per-seat pricing (decision {seat.number}), "
        f"replaced by decision {entity.number}"
    ) in texts
    assert (
        f"Decided: Per-entity pricing (decision {entity.number}), replaces decision {seat.number}"
    ) in texts


def test_an_update_of_the_period_says_what_no_longer_holds(workspace, log):
    train, seat, entity = log
    found = facts.gather(workspace, date(2026, 11, 1), date(2026, 12, 6), date(2026, 12, 6))
    lines = [line.text for line in decision_lines(found, "rationale", "Why")]
    assert any(
        f"Decision {train.number}, Weekly release train, no longer holds: reversed." in text
        and "Sales needs no fixed dates." in text
        for text in lines
    )
    assert any(f"It replaces decision {seat.number}." in text for text in lines)
    assert any(f"Decision {entity.number} replaces it." in text for text in lines)
