"""What sales and support read of the claims said in an update's period: why each one went
further than the roadmap, in the claims page's words, and the claims of what nothing on the
roadmap does; the executives' count by reason; and nothing of it for partners."""

import pytest

from truenorth.claims.actions import save_claim
from truenorth.claims.models import Claim, Verdict
from truenorth.roadmap.models import Status
from truenorth.updates import actions, audiences, rules
from truenorth.updates.models import Audience

BANK = "Verify supplier bank details before the first payment"


@pytest.fixture
def draft(built_demo):
    """The demo's draft, with only the claims each test says: the demo's own fall in its period
    on some days (the last of the year), and are read by other tests."""
    built_demo.claims.all().delete()
    return built_demo.updates.get(number=2)


def bank_due(workspace) -> str:
    """The committed bank check's target date as the lines write it ("30 January 2027"): the
    demo dates its roadmap from today."""
    target = workspace.initiatives.get(title=BANK).target_date
    return f"{target.day} {target:%B %Y}"


def lines(draft, audience: str, heading: str) -> list[str]:
    [section] = [s for s in audiences.version(draft, audience).sections if s.heading == heading]
    return [f"{line.text} — {line.note}" for line in section.lines]


def said(workspace, text: str, account: str = "Acme Freight") -> Claim:
    """A claim said on the last day of the draft's period."""
    said_on = workspace.updates.get(number=2).period_end
    return save_claim(Claim(workspace=workspace, said_on=said_on, account=account, text=text))


def test_a_claim_that_a_committed_item_is_live_says_it_is_not_live_yet(db, draft):
    """It read "went further than the roadmap on …: it is committed. Committed: we will
    deliver it by the target date.", which a rep reads as a safe promise."""
    claim = said(draft.workspace, f"Said {BANK.lower()} is available today.")
    assert claim.verdict == Verdict.OVER_PROMISE
    actions.refresh(draft)
    why = (
        f"1 claim to a customer said “{BANK}” is available now. Not live yet: it is committed, "
        f"due {bank_due(draft.workspace)};"
    )
    [sales] = [line for line in lines(draft, Audience.SALES, "Do not promise") if BANK in line]
    # No gloss after it: "Committed: we will deliver it by the target date." promised the date
    # inside "Do not promise".
    assert sales == f"{why} do not say it is available now. — "
    [support] = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    assert support == f"{why} tell the customer it is not available yet. — "
    [risk] = [
        line for line in lines(draft, Audience.EXECUTIVES, "Risks and delays") if "claim" in line
    ]
    assert "said something is available now that is not live yet" in risk
    assert "only planned or explored" not in risk
    assert rules.problems(draft) == []


def test_claims_of_what_nothing_does_reach_sales_and_support_but_not_partners(db, draft):
    texts = [
        "Promised Acme Freight a native QuickBooks Desktop integration by spring.",
        "Told them we support single sign-on with Okta over SAML.",
    ]
    for text in texts:
        assert said(draft.workspace, text).verdict == Verdict.NO_CAPABILITY
    actions.refresh(draft)
    quotes = [
        "“Promised the customer a native QuickBooks Desktop integration by spring.”",
        f"“{texts[1]}”",
    ]
    expected = [
        "1 claim to a customer said we do what nothing on the roadmap does: we do not do this. "
        f"Correct it with the customer. — {quote}"
        for quote in quotes
    ]
    assert lines(draft, Audience.SALES, "Do not promise")[:2] == expected
    support = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    assert support == expected
    [risk] = [
        line for line in lines(draft, Audience.EXECUTIVES, "Risks and delays") if "claim" in line
    ]
    assert risk == (
        "2 claims to 1 customer account said we do what nothing on the roadmap does. — No date "
        "will make them true: they need correcting."
    )
    partners = audiences.markdown(audiences.version(draft, Audience.PARTNERS))
    assert "claim" not in partners and "QuickBooks" not in partners and "Okta" not in partners
    assert rules.problems(draft) == []


def recorded(workspace, title: str, status: str, said_status: str = "") -> Claim:
    """An over-promise as a check records it, the model's verdict given: each reason the claims
    module knows, whatever the demo's roadmap holds."""
    initiative = workspace.initiatives.get(title=title)
    return Claim.objects.create(
        workspace=workspace,
        said_on=workspace.updates.get(number=2).period_end,
        account="Globex",
        text="What was said.",
        verdict=Verdict.OVER_PROMISE,
        initiative=initiative,
        initiative_title=title,
        initiative_status=status,
        target_date=initiative.target_date if status in (Status.COMMITTED,) else None,
        matched=True,
        said_status=said_status,
    )


@pytest.mark.parametrize(
    "title, status, said_status, sales, support, executives",
    [
        (
            "Mobile approvals for iOS and Android",
            Status.PLANNED,
            "",
            "read “Mobile approvals for iOS and Android” as a promise: it is only planned. Do "
            "not promise it.",
            "it is only planned. Tell the customer it is not a promise.",
            "1 promised what is only planned or explored",
        ),
        (
            "Sage Intacct connector",
            Status.EXPLORING,
            "",
            "read “Sage Intacct connector” as a promise: it is only being explored. Do not "
            "promise it.",
            "it is only being explored. Tell the customer it is not a promise.",
            "1 promised what is only planned or explored",
        ),
        (
            "Mobile approvals for iOS and Android",
            Status.PLANNED,
            Status.COMMITTED,
            "relied on “Mobile approvals for iOS and Android” as a commitment, since taken back: "
            "it is no longer promised, it is only planned now. Tell the customer, and do not "
            "promise it.",
            "it is only planned now. Tell the customer it is no longer promised.",
            "1 relied on a commitment since taken back",
        ),
    ],
)
def test_each_reason_for_an_over_promise_reads_right_to_every_audience_that_lists_claims(
    db, draft, title, status, said_status, sales, support, executives
):
    recorded(draft.workspace, title, status, said_status)
    actions.refresh(draft)
    [line] = [line for line in lines(draft, Audience.SALES, "Do not promise") if "claim" in line]
    assert line.startswith(f"1 claim to a customer {sales} — Not a promise:"), line
    [line] = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    assert support in line and line.split(" — ")[1].startswith("Not a promise:"), line
    [risk] = [
        line for line in lines(draft, Audience.EXECUTIVES, "Risks and delays") if "claim" in line
    ]
    assert risk.startswith(
        f"1 claim to 1 customer account went further than the roadmap: {executives}."
    )
    assert rules.problems(draft) == []  # no promise word beside a planned or explored item


def test_one_claim_reads_in_the_singular_and_several_in_the_plural(db, draft):
    """One claim of what nothing does read "No date will make them true: they need
    correcting."; several claims read "tell the customer" as if one had heard them all."""
    said(draft.workspace, "Told them Larkspur runs payroll and files their taxes.")
    actions.refresh(draft)
    [risk] = [
        line
        for line in lines(draft, Audience.EXECUTIVES, "Risks and delays")
        if "nothing on the roadmap" in line
    ]
    assert risk == (
        "1 claim to 1 customer account said we do what nothing on the roadmap does. — No date "
        "will make it true: it needs correcting."
    )
    for account in ("Globex", "Initech"):
        said(draft.workspace, f"Said {BANK.lower()} is available today.", account)
        said(draft.workspace, "Told them Larkspur runs payroll and files their taxes.", account)
    actions.refresh(draft)
    support = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    assert support == [
        f"2 claims to customers said “{BANK}” is available now. Not live yet: it is committed, "
        f"due {bank_due(draft.workspace)}; tell each customer it is not available yet. — ",
        "3 claims to customers said we do what nothing on the roadmap does: we do not do this. "
        "Correct it with each customer. — “Told them Larkspur runs payroll and files their "
        "taxes.”",
    ]
    risks = [
        line for line in lines(draft, Audience.EXECUTIVES, "Risks and delays") if "claim" in line
    ]
    assert risks == [
        "2 claims to 2 customer accounts went further than the roadmap: 2 said something is "
        "available now that is not live yet. — ",
        "3 claims to 3 customer accounts said we do what nothing on the roadmap does. — No date "
        "will make them true: they need correcting.",
    ]
    assert rules.problems(draft) == []
