import numpy as np

from truenorth.analysis.line_of_sight import LINK_SCORE, link, links
from truenorth.analysis.priorities import Goal, goal_scores

GOALS = [
    Goal(1, "Raise the touchless invoice rate to 70%", "Fewer invoices typed by hand", 1),
    Goal(2, "Make NetSuite sync reliable", "Failed syncs cost customers their close", 2),
]


def test_a_purpose_links_to_its_goal_and_an_unrelated_one_to_none(embedder):
    answers = [
        "I fix the sync errors between our app and NetSuite so customers can close on time.",
        "I organise the office party and order the snacks.",
    ]
    scores = goal_scores(embedder.encode(answers), GOALS, embedder.encode)
    found = links(scores, GOALS)
    assert found[0].goal is GOALS[1] and found[0].linked
    assert found[1].goal is None and found[1].score < LINK_SCORE


def test_no_goals_means_no_link():
    assert link(np.zeros(0), []).goal is None
