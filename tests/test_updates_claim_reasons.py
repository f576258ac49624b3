"""What sales and support read of the claims said in an update's period: whom to correct, who
told them and when, why each claim went further than the roadmap, in the claims page's words,
and the claims of what nothing on the roadmap does; the executives' count by reason; and nothing
of it for partners."""

import email
import json
from email import policy

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.smtp import mail_server_fixture  # noqa: F401
from truenorth.claims.actions import save_claim
from truenorth.claims.models import Claim, Verdict
from truenorth.cli import main
from truenorth.roadmap.models import Status
from truenorth.updates import actions, audiences, delivery, rules
from truenorth.updates.models import Audience, Update
from truenorth.workspaces.models import Function
from truenorth.workspaces.people import erase

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


def today() -> str:
    """The day the claims are said, as the lines write it: the draft's period runs to the end
    of this month, and a day still to come would read as a date to come."""
    return f"{timezone.localdate().day} {timezone.localdate():%B %Y}"


def said(workspace, text: str, account: str = "Acme Freight", by=None) -> Claim:
    """A claim said today, in the draft's period."""
    return save_claim(
        Claim(
            workspace=workspace,
            said_on=timezone.localdate(),
            account=account,
            text=text,
            said_by=by,
        )
    )


def test_a_claim_that_a_committed_item_is_live_says_it_is_not_live_yet(db, draft):
    """It read "went further than the roadmap on …: it is committed. Committed: we will
    deliver it by the target date.", which a rep reads as a safe promise."""
    claim = said(draft.workspace, f"Said {BANK.lower()} is available today.")
    assert claim.verdict == Verdict.OVER_PROMISE
    actions.refresh(draft)
    why = (
        f"Acme Freight was told on {today()} that “{BANK}” is available now. Not live yet: it "
        f"is committed, due {bank_due(draft.workspace)};"
    )
    [sales] = [line for line in lines(draft, Audience.SALES, "Do not promise") if BANK in line]
    # No gloss after it: "Committed: we will deliver it by the target date." promised the date
    # inside "Do not promise".
    assert sales == f"{why} do not say it is available now. — "
    [support] = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    assert support == f"{why} tell them it is not available yet. — "
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
        f"Acme Freight was told on {today()} that we do what nothing on the roadmap does: we do "
        f"not do this. Correct it with them. — {quote}"
        for quote in quotes
    ]
    assert lines(draft, Audience.SALES, "Do not promise")[:2] == expected
    support = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    assert support == expected
    [risk] = [
        line for line in lines(draft, Audience.EXECUTIVES, "Risks and delays") if "claim" in line
    ]
    assert risk == (
        "2 claims made in this period to 1 customer account said we do what nothing on the "
        "roadmap does. — No date will make them true: they need correcting."
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
        said_on=timezone.localdate(),
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
            "that “Mobile approvals for iOS and Android” is coming: it is only planned. Do not "
            "promise it.",
            "it is only planned. Tell them it is not a promise.",
            "1 promised what is only planned or explored",
        ),
        (
            "Sage Intacct connector",
            Status.EXPLORING,
            "",
            "that “Sage Intacct connector” is coming: it is only being explored. Do not promise "
            "it.",
            "it is only being explored. Tell them it is not a promise.",
            "1 promised what is only planned or explored",
        ),
        (
            "Mobile approvals for iOS and Android",
            Status.PLANNED,
            Status.COMMITTED,
            "that “Mobile approvals for iOS and Android” is a commitment: it was taken back "
            "since and is only planned now. Tell them, and do not promise it.",
            "and is only planned now. Tell them it is no longer promised.",
            "1 relied on a commitment since taken back",
        ),
    ],
)
def test_each_reason_for_an_over_promise_reads_right_to_every_audience_that_lists_claims(
    db, draft, title, status, said_status, sales, support, executives
):
    recorded(draft.workspace, title, status, said_status)
    actions.refresh(draft)
    [line] = [line for line in lines(draft, Audience.SALES, "Do not promise") if "told" in line]
    assert line.startswith(f"Globex was told on {today()} {sales} — Not a promise:"), line
    [line] = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    assert support in line and line.split(" — ")[1].startswith("Not a promise:"), line
    [risk] = [
        line for line in lines(draft, Audience.EXECUTIVES, "Risks and delays") if "claim" in line
    ]
    assert risk.startswith(
        "1 claim made in this period to 1 customer account went further than the roadmap: "
        f"{executives}."
    )
    assert rules.problems(draft) == []  # no promise word beside a planned or explored item


def test_one_claim_reads_in_the_singular_and_several_in_the_plural(db, draft):
    """One claim of what nothing does read "No date will make them true: they need
    correcting."; several claims read "tell the customer" as if one had heard them all. Now
    each account told is named, once."""
    said(draft.workspace, "Told them Larkspur runs payroll and files their taxes.")
    actions.refresh(draft)
    [risk] = [
        line
        for line in lines(draft, Audience.EXECUTIVES, "Risks and delays")
        if "nothing on the roadmap" in line
    ]
    assert risk == (
        "1 claim made in this period to 1 customer account said we do what nothing on the "
        "roadmap does. — No date will make it true: it needs correcting."
    )
    for account in ("Globex", "Initech"):
        said(draft.workspace, f"Said {BANK.lower()} is available today.", account)
        said(draft.workspace, "Told them Larkspur runs payroll and files their taxes.", account)
    actions.refresh(draft)
    support = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    on = today()
    assert support == [
        f"2 customers were told that “{BANK}” is available now: Globex, on {on}; Initech, on "
        f"{on}. Not live yet: it is committed, due {bank_due(draft.workspace)}; tell them it is "
        "not available yet. — ",
        "3 customers were told that we do what nothing on the roadmap does: Acme Freight, on "
        f"{on}; Globex, on {on}; Initech, on {on}. We do not do this. Correct it with them. — "
        "“Told them Larkspur runs payroll and files their taxes.”",
    ]
    risks = [
        line for line in lines(draft, Audience.EXECUTIVES, "Risks and delays") if "claim" in line
    ]
    assert risks == [
        "2 claims made in this period to 2 customer accounts went further than the roadmap: 2 "
        "said something is available now that is not live yet. — ",
        "3 claims made in this period to 3 customer accounts said we do what nothing on the "
        "roadmap does. — No date will make them true: they need correcting.",
    ]
    assert rules.problems(draft) == []


INTACCT = "Sage Intacct connector"


def told(workspace, account: str, on, by=None, by_name: str = "", **verdict) -> Claim:
    """A claim with its verdict recorded (an over-promise on the Sage Intacct connector unless
    `verdict` says otherwise), said to `account` by `by` (a person) or `by_name`."""
    intacct = workspace.initiatives.get(title=INTACCT)
    verdict = verdict or {
        "verdict": Verdict.OVER_PROMISE,
        "initiative": intacct,
        "initiative_title": INTACCT,
        "initiative_status": Status.EXPLORING,
        "matched": True,
    }
    return Claim.objects.create(
        workspace=workspace,
        said_on=on,
        account=account,
        said_by=by,
        said_by_name=by_name,
        text=f"Promised {account} a payroll module.",
        **verdict,
    )


def day_of(value) -> str:
    return f"{value.day} {value:%B %Y}"


def test_support_and_sales_name_whom_to_correct_who_told_them_and_when(
    db, draft, demo_client, mail_server
):
    """It read "1 claim to a customer read “Sage Intacct connector” as a promise: … Tell the
    customer it is not a promise." and "Correct it with the customer.", naming nobody."""
    workspace = draft.workspace
    actions.refresh(draft)
    partners_before = audiences.as_json(audiences.version(draft, Audience.PARTNERS))
    people = workspace.people.filter(active=True).order_by("name")
    dana = people.filter(function=Function.SALES).first()
    cs = people.filter(function=Function.CUSTOMER_SUCCESS).first()
    first, last = draft.period_start, timezone.localdate()
    told(workspace, "Halvorsen Group", first, by=dana)
    told(workspace, " halvorsen  group", last, by=cs)  # the same account, spelt another way
    told(workspace, "Pinewood Clinics", last, by_name="Priya Raman")
    told(workspace, "Halvorsen Group", last, by=dana, verdict=Verdict.NO_CAPABILITY)
    actions.refresh(draft)

    intacct = (
        "2 customers were told that “Sage Intacct connector” is coming: Halvorsen Group, by "
        f"{dana.name} (Sales) on {day_of(first)} and by {cs.name} (Customer success) on "
        f"{day_of(last)}; Pinewood Clinics, by Priya Raman on {day_of(last)}. It is only being "
        "explored."
    )
    nothing = (
        f"Halvorsen Group was told by {dana.name} (Sales) on {day_of(last)} that we do what "
        "nothing on the roadmap does: we do not do this. Correct it with them."
    )
    heading = "What customers were told that is not promised"
    support = lines(draft, Audience.SUPPORT, heading)
    assert support == [
        f"{intacct} Tell them it is not a promise. — Not a promise: we are finding out whether "
        "to build it.",
        f"{nothing} — “Promised the customer a payroll module.”",
    ]
    sales = [line for line in lines(draft, Audience.SALES, "Do not promise") if "told" in line]
    assert sales[:2] == [
        f"{intacct} Do not promise it. — Not a promise: we are finding out whether to build it.",
        f"{nothing} — “Promised the customer a payroll module.”",
    ]
    assert rules.problems(draft) == []  # the days they were told are no dates to come

    # The same words in the JSON twin, the Markdown export and the email.
    client = demo_client(workspace, "owner")
    base = f"/w/{workspace.slug}/updates/{draft.number}/support"
    twin = client.get(f"{base}.json").json()
    [section] = [s for s in twin["sections"] if s["heading"] == heading]
    assert [line["text"] for line in section["lines"]][:2] == [
        f"{intacct} Tell them it is not a promise.",
        nothing,
    ]
    exported = client.get(f"{base}.md").content.decode()
    assert f"{intacct} Tell them it is not a promise." in exported and nothing in exported
    mail_server.refuse = ""
    assert delivery.send_email(draft, Audience.SUPPORT, [cs]).status == "sent"
    [(_, raw)] = mail_server.messages
    message = email.message_from_bytes(raw.encode(), policy=policy.default)
    plain = " ".join(message.get_body(("plain",)).get_content().split())
    assert f"{intacct} Tell them it is not a promise." in plain and nothing in plain
    html = " ".join(message.get_body(("html",)).get_content().split())
    assert "Halvorsen Group, by" in html and f"{dana.name} (Sales)" in html

    # Executives read counts; partners read nothing of it, as before.
    risks = lines(draft, Audience.EXECUTIVES, "Risks and delays")
    assert not any("Halvorsen" in line or dana.name in line for line in risks)
    assert audiences.as_json(audiences.version(draft, Audience.PARTNERS)) == partners_before
    partners = audiences.markdown(audiences.version(draft, Audience.PARTNERS))
    assert "Halvorsen" not in partners and dana.name not in partners


def test_more_than_three_accounts_are_counted_not_listed(db, draft):
    for account in ["Aster", "Birch", "Cedar", "Dogwood", "Elm"]:
        told(draft.workspace, account, timezone.localdate())
    actions.refresh(draft)
    [line] = lines(draft, Audience.SUPPORT, "What customers were told that is not promised")
    assert line.startswith(
        "5 customers were told that “Sage Intacct connector” is coming: Aster, on "
    )
    assert "Cedar, on" in line and "Dogwood" not in line
    assert (
        "; and 2 other customers (the claims page lists them). It is only being explored." in line
    )


def run(*args):
    return CliRunner().invoke(main, ["updates", *args, "-w", "larkspur"])


CORRECTING = (
    "Sales told Halvorsen Group an Intacct connector is coming by Q2; it is not promised, "
    "please reset that."
)


@pytest.mark.parametrize(
    "narrative, flagged",
    [
        (CORRECTING, []),
        ("Sales promised an Intacct connector by Q2, which should be corrected.", []),
        ("Halvorsen heard an Intacct connector is coming by Q2: it is only being explored.", []),
        ("An Intacct connector is coming by Q2.", [INTACCT]),
        # "reset/correct/walk back/take back" + the/that/this/their/our <noun>, "set them
        # straight": asked of the editor's own correction, which was flagged.
        (
            "Sales told Halvorsen an Intacct connector is coming by Q2; please reset the date with them.",
            [],
        ),
        (
            "Halvorsen heard an Intacct connector is coming by Q2; we will walk back our promise.",
            [],
        ),
        ("Sales said an Intacct connector ships in Q2; Dana will take back that date.", []),
        ("Sales said an Intacct connector ships in Q2; please set them straight.", []),
        ("Sales said an Intacct connector ships in Q2; correct their expectation.", []),
        # A correction verb followed by a new date or promise in its clause promises again.
        ("We will reset the date to Q2 and ship the Intacct connector.", [INTACCT]),
        ("The Intacct connector: we walked back the date, it ships in May.", [INTACCT]),
        # Correcting one item's promise clears no other, nor one named after it.
        (
            "We have not committed to a date, but Supplier portal will ship in March.",
            ["Supplier portal for invoice submission"],
        ),
        (
            "Supplier portal will ship in March; the Intacct connector is not promised.",
            ["Supplier portal for invoice submission"],
        ),
    ],
)
def test_a_sentence_that_corrects_a_promise_is_none(db, draft, narrative, flagged):
    """`updates check` listed "The narrative presents “Sage Intacct connector” (exploring) as a
    promise (“coming by”)" of the editor's own correction."""
    done = run("write", str(draft.number), "--narrative", narrative)
    assert done.exit_code == 0, done.output
    done = run("check", str(draft.number))
    named = [
        title
        for title in (INTACCT, "Supplier portal for invoice submission")
        if f"The narrative presents “{title}”" in done.output
    ]
    assert named == flagged, done.output
    assert done.exit_code == (1 if flagged else 0), done.output


def test_erasing_a_speaker_takes_their_name_out_of_every_updates_facts(db, draft):
    """Updates keep who told a customer in their facts, which a published update never gathers
    again: erasing the person blanked their name everywhere but there."""
    workspace = draft.workspace
    dana = workspace.people.filter(active=True, function=Function.SALES).order_by("name").first()
    told(workspace, "Halvorsen Group", timezone.localdate(), by=dana)
    actions.refresh(draft)
    name = dana.name
    assert name in json.dumps(Update.objects.get(pk=draft.pk).facts)

    erase(dana)

    stored = Update.objects.get(pk=draft.pk)
    assert name not in json.dumps(stored.facts)
    [line] = lines(stored, Audience.SUPPORT, "What customers were told that is not promised")
    assert line.startswith("Halvorsen Group was told by Erased person on "), line
    # Nor their id, which led to a page of their claims; nor when the facts are gathered again.
    assert f'"person": {dana.pk}' not in json.dumps(stored.facts)
    actions.refresh(stored)
    assert f'"person": {dana.pk}' not in json.dumps(Update.objects.get(pk=draft.pk).facts)
