"""What a claim's words say of time and of what it names, read with the real model's match: a
capability said as a present fact about an item still being built, a claim too vague to check,
and a committed verdict's date and score said with what they mean."""

import csv
import io
from datetime import date

import pytest
from click.testing import CliRunner
from django.utils.html import escape

from tests.api import api_request
from truenorth.claims.actions import save_claim
from truenorth.claims.models import Claim, Verdict
from truenorth.claims.wording import says_live_now, vague_words
from truenorth.cli import main
from truenorth.demo.claims import CLAIMS as DEMO_CLAIMS
from truenorth.roadmap.models import Initiative, Status

API = "/api/v1/workspaces/acme/claims"
BANK_LIVE = (
    "Larkspur checks supplier bank details before the first payment, so fraud emails can't "
    "redirect money."
)
LEARNS = (
    "Told them our machine learning learns each supplier's layout from their corrections, so "
    "the same fix is never needed twice."
)
VAGUE = "We're making big improvements to the whole platform soon, it'll do everything you need."
TOO_VAGUE = (
    "Too vague to check against the roadmap: it names no capability (“big improvements”, "
    "“everything you need”). Ask the speaker what exactly was promised."
)


@pytest.fixture
def larkspur(workspace):
    """Initiatives of the demo's roadmap, as the demo words them."""

    def initiative(key, title, problem, status, target=None):
        return Initiative.objects.create(
            workspace=workspace,
            key=key,
            title=title,
            problem=problem,
            status=status,
            target_date=target,
        )

    return {
        "bank": initiative(
            "RM-18",
            "Verify supplier bank details before the first payment",
            "Once we move money, a fraudulent 'please update our bank details' email becomes "
            "our loss. We cannot scale payments without verifying accounts.",
            Status.COMMITTED,
            date(2027, 1, 30),
        ),
        "capture": initiative(
            "RM-02",
            "Capture model v3: learn supplier layouts from corrections",
            "When a customer corrects a field we fix that invoice and learn nothing. The same "
            "supplier's next invoice needs the same correction, month after month.",
            Status.IN_PROGRESS,
            date(2027, 1, 5),
        ),
        "netsuite": initiative(
            "RM-07",
            "NetSuite sync rewrite on SuiteTalk REST with a retry queue",
            "The SOAP-based sync fails on NetSuite's concurrency limits at month end, and a "
            "failed posting is retried by hand.",
            Status.IN_PROGRESS,
            date(2027, 1, 20),
        ),
        "portal": initiative(
            "RM-06",
            "Supplier portal for invoice submission",
            "A fifth of invoices arrive as photos or forwarded email chains.",
            Status.EXPLORING,
        ),
    }


def said(workspace, text: str) -> Claim:
    return save_claim(
        Claim(workspace=workspace, said_on=date(2026, 12, 1), account="Tern Outdoor", text=text)
    )


def test_a_capability_said_as_a_present_fact_of_a_committed_item_is_an_over_promise(
    workspace, larkspur, users, client_for, client
):
    form = {"said_on": "2026-12-01", "account": "Initech", "said_by_name": "Pat", "text": BANK_LIVE}
    page = client_for("editor").post("/w/acme/claims/new/", form, follow=True).content.decode()
    why = (
        "Not live yet: the claim says it is available now; it is committed (not shipped), due "
        "30 Jan 2027."
    )
    bank = Claim.objects.get(account="Initech")
    assert bank.verdict == Verdict.OVER_PROMISE and bank.initiative == larkspur["bank"]
    assert f'<small class="reason">{escape(why)}</small>' in page
    assert "by 30 Jan 2027" not in page  # a date beside "Over-promise" reads as a promise
    shown = api_request(client, users["member"], "get", f"{API}/{bank.pk}").json()
    assert shown["verdict"] == "over_promise" and shown["reason"] == why

    learns = said(workspace, LEARNS)
    assert learns.verdict == Verdict.OVER_PROMISE and learns.initiative == larkspur["capture"]
    assert learns.reason.startswith("Not live yet: the claim says it is available now;")


@pytest.mark.parametrize(
    "text",
    [
        "Told them Larkspur will check supplier bank details from January.",
        # Named in full: "bank detail checks" alone scored on the match cut (35), either side of
        # it with the CPU's int8 arithmetic; this wording scores 57.
        "Said it is being built: supplier bank detail checks before the first payment, "
        "due January.",
        "Mentioned the bank detail checks before the first payment.",
    ],
)
def test_a_claim_that_says_when_or_says_no_verb_stays_committed(workspace, larkspur, text):
    claim = said(workspace, text)
    assert claim.initiative == larkspur["bank"]
    assert claim.verdict == Verdict.COMMITTED and claim.reason == ""


def test_of_the_demo_claims_only_the_machine_learning_one_turns_live():
    """The demo's claims on committed and in-progress items (the checked demo gives 6): only the
    one that states the capability as a fact today is read as live now."""
    texts = [c["text"] for c in DEMO_CLAIMS]
    about_committed = [
        t
        for t in texts
        if any(
            word in t
            for word in ("GL account", "SOC 2", "ACH payment runs", "failed NetSuite", "open bills")
        )
    ]
    assert len(about_committed) == 5
    assert not any(says_live_now(t) for t in about_committed)
    [learns] = [t for t in texts if "machine learning" in t]
    assert says_live_now(learns)


def test_a_claim_that_names_no_capability_is_too_vague_everywhere(
    workspace, larkspur, users, client_for, client
):
    result = CliRunner().invoke(
        main, ["claims", "add", VAGUE, "--account", "Tern Outdoor", "-w", "acme"]
    )
    assert result.exit_code == 0, result.output
    claim = Claim.objects.get()
    assert claim.verdict == Verdict.NO_CAPABILITY and not claim.matched  # the verdict stands
    assert "No such capability: nearest, below the cut: " in result.output
    assert result.output.rstrip().endswith(f"a match needs 35). {TOO_VAGUE}")

    member = client_for("member")
    page = member.get("/w/acme/claims/").content.decode()
    assert f'<small class="reason">{escape(TOO_VAGUE)}</small>' in page
    shown = api_request(client, users["member"], "get", f"{API}/{claim.pk}").json()
    assert shown["reason"] == shown["verdict_meaning"] == TOO_VAGUE
    [row] = csv.DictReader(io.StringIO(member.get("/w/acme/claims/export.csv").content.decode()))
    assert row["verdict"] == "no_capability" and row["reason"].startswith(f"{TOO_VAGUE} No match.")


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        (VAGUE, ["big improvements", "everything you need"]),
        ("Told them it will be much better next year.", ["better"]),
        ("Told them we will have everything they need for SEPA soon.", []),  # names SEPA
        ("Said our support team answers the phone in Japanese around the clock.", []),
    ],
)
def test_vague_words_are_quoted_only_when_nothing_else_is_named(text, vague):
    assert vague_words(text) == vague


def test_the_cli_says_a_committed_claims_date_and_score_as_the_page_does(workspace, larkspur):
    text = "The NetSuite sync rewrite with a retry queue ships in January."
    result = CliRunner().invoke(main, ["claims", "add", text, "--account", "Globex", "-w", "acme"])
    assert result.exit_code == 0, result.output
    claim = Claim.objects.get()
    assert claim.verdict == Verdict.COMMITTED
    assert result.output == (
        f"Recorded claim {claim.pk}: Committed: {larkspur['netsuite'].title} (in progress, "
        f"score {claim.score:.0f} of 100; a match needs 35). Committed on the roadmap, by 20 Jan "
        "2027.\n"
    )
