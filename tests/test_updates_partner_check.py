"""The partners' check on the demo reads the note for partners as people write it: an internal
item named by most of its words, in any order, and an internal goal's figure are refused, while
ordinary notes about what is shared with partners pass."""

import pytest

from truenorth.updates import actions, rules


@pytest.fixture
def draft(built_demo):
    return built_demo.updates.get(number=2)


def partner_problems(draft, note: str) -> list[str]:
    actions.save_texts(draft, "", note)
    return rules.problems(draft)


@pytest.mark.parametrize(
    "note, named",
    [
        (
            "The cycle-time report for controllers is due in January.",
            "names “Approval cycle-time report for controllers”, which is internal",
        ),
        (
            "Payments through the banking partner go live at the end of December.",
            "names “ACH payment runs through the banking partner”, which is internal",
        ),
        (
            "Sandbox workspaces arrive in April.",
            "presents “Partner implementation playbook and sandbox workspaces” (planned) as a "
            "promise (“in April”)",
        ),
        (
            "Our touchless invoice rate is 41% and we aim for 70% by June.",
            "gives a figure of the goal “Raise the touchless invoice rate from 41% to 70%”",
        ),
        (
            "Approval time is the goal: the median under 2 days.",
            "gives a figure of the goal “Cut approval time: median invoice fully approved in "
            "under 2 days”",
        ),
    ],
)
def test_a_partner_note_naming_internal_work_in_other_words_is_refused(db, draft, note, named):
    found = partner_problems(draft, note)
    assert any(named in problem for problem in found), found
    with pytest.raises(actions.PublishRefused):
        actions.publish(draft)


@pytest.mark.parametrize(
    "note",
    [
        "Approve from Slack and Microsoft Teams is live for every approver.",
        "Duplicate invoice detection now works across all your entities.",
        "The sync error inbox explains every failed posting, with a fix.",
        "NetSuite subsidiaries and custom segments are mapped for your clients.",
        "Approval rules by amount and cost centre save controllers 2 hours a week.",
        "Line-item extraction reads multi-page invoices of 40 pages.",
        "Thank you for the 12 referrals this quarter; the partner playbook is being written.",
    ],
)
def test_an_ordinary_partner_note_about_shared_work_passes(db, draft, note):
    assert partner_problems(draft, note) == []
