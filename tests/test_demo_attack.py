"""The attacker of tests/analysis/test_disclosure_attack.py on the demo's real answers: from
everything the demo's two pulses publish, no one's answer and no set under the threshold can be
worked out. Memberships are taken before publishing (publishing reduces them)."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from tests.analysis.test_disclosure_attack import attack, bases_of, published_equations
from tests.conftest import fast_hashing
from truenorth.checkins.measure import analysis_inputs, analyze
from truenorth.demo.build import build_demo
from truenorth.demo.content import LOGINS


@pytest.fixture(scope="module")
def published_demo(django_db_setup, django_db_blocker):
    """Each demo pulse's answers as they were before publishing, and its published report."""
    with django_db_blocker.unblock():
        with fast_hashing():
            workspace = build_demo(fresh=True)
        pulses = list(workspace.checkins.filter(template="alignment_pulse").order_by("opens_at"))
        inputs = [analysis_inputs(pulse) for pulse in pulses]
        analyze(pulses[-1])  # publishes the earlier pulse too, for the trend
        reports = [type(p).objects.get(pk=p.pk).report.data for p in pulses]
        rows = [list(p.responses.values_list("person", "function", "team")) for p in pulses]
        yield list(zip(inputs, reports, rows, strict=True))
        workspace.delete()
        get_user_model().objects.filter(username__in=[u["username"] for u in LOGINS]).delete()


def test_no_one_can_be_worked_out_from_the_demo(db, published_demo):
    for inputs, report, _ in published_demo:
        respondents = inputs["respondents"]
        bases = bases_of(respondents, inputs["questions"], inputs["direction"], inputs["goals"])
        matrix = published_equations(report, respondents, bases)[0]
        assert len(matrix) > len(bases)  # breakdowns are published, not only totals
        assert attack(matrix, report["threshold"]) == []


def test_the_demo_database_names_no_one_once_published(db, published_demo):
    for _, report, rows in published_demo:
        assert {person for person, *_ in rows} == {None}
        pairs = Counter((function, team) for _, function, team in rows)
        assert all(count >= report["threshold"] for count in pairs.values()), pairs
