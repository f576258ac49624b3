"""Claims kept in step with the roadmap: a change to an initiative re-checks the claims it may
turn at once, archiving keeps a claim on its initiative, and a slip's email names the customers
its reader told."""

from datetime import date

import pytest

from tests.api import api_request
from tests.test_claims import VERIFICATION, claim, payments  # noqa: F401 (a fixture)
from truenorth.claims.models import Verdict
from truenorth.notifications import delivery, signing
from truenorth.notifications.models import Event, Notification
from truenorth.roadmap.actions import archive_initiative, restore_initiative, save_initiative
from truenorth.roadmap.models import Initiative, Status
from truenorth.workspaces.models import Person

PORTAL = (
    "Said suppliers can upload invoices and check payment status themselves in a supplier portal."
)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `change` and what waits for its commit (the claims' re-check, the notifications)."""

    def run(change, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args)

    return run


def seller(workspace, name, email):
    return Person.objects.create(workspace=workspace, name=name, email=email, function="sales")


def test_taking_a_commitment_back_rechecks_its_claims_at_once_and_says_so(
    workspace,
    payments,  # noqa: F811
    committed,
):
    said = claim(workspace, VERIFICATION, said_on=date(2026, 12, 1))
    elsewhere = claim(workspace, "Told them ACH payment runs will be ready by the end of February.")
    assert said.verdict == Verdict.COMMITTED and elsewhere.verdict == Verdict.COMMITTED

    payments["verification"].status = Status.PLANNED
    committed(save_initiative, payments["verification"])

    said.refresh_from_db()
    assert said.verdict == Verdict.OVER_PROMISE
    assert said.moved_since_said == "no longer committed since said: was committed, now planned"
    assert said.verdict_meaning == (
        "Taken back since said: it was committed when said, it is now only planned — "
        "tell the customer."
    )
    assert Notification.objects.filter(event=Event.OVER_PROMISE, data={"found": 1}).exists()
    checked_before = elsewhere.checked_at
    elsewhere.refresh_from_db()
    assert elsewhere.checked_at == checked_before  # not near the change: left as it was


def test_a_slip_flags_the_claim_and_names_it_in_its_speakers_email_only(
    workspace,
    payments,  # noqa: F811
    committed,
):
    sam, ola = seller(workspace, "Sam", "sam@acme.test"), seller(workspace, "Ola", "ola@acme.test")
    leader = Person.objects.create(
        workspace=workspace, name="Lee", email="lee@acme.test", function="leadership"
    )
    claim(workspace, VERIFICATION, "Northwind Dental", sam, said_on=date(2026, 11, 3))
    claim(workspace, "Said bank detail verification is committed.", "Globex", ola)

    payments["verification"].target_date = date(2027, 3, 20)
    committed(save_initiative, payments["verification"])

    flagged = sam.claims.get()
    assert flagged.moved_since_said == "date moved since said: was 29 Jan 2027, now 20 Mar 2027"
    slip = Notification.objects.get(event=Event.COMMITTED_SLIP)
    sams, olas, lees = (delivery.message(slip, p).body for p in (sam, ola, leader))
    assert f"You told Northwind Dental on 3 November 2026: “{VERIFICATION}”" in sams
    assert "Globex" not in sams and "Northwind" not in olas and "You told Globex" in olas
    assert "You told" not in lees
    posted = str(delivery.payload(slip)) + str(signing.payload(slip))
    assert "Northwind" not in posted and "Globex" not in posted


@pytest.fixture
def suppliers(workspace):
    def initiative(key, title, status, problem):
        return Initiative.objects.create(
            workspace=workspace, key=key, title=title, status=status, problem=problem
        )

    return {
        "matching": initiative(
            "RM-04",
            "Three-way matching against purchase orders and receipts",
            Status.PLANNED,
            "Customers who raise POs in NetSuite still match invoices to POs and receipts in a "
            "spreadsheet, so PO-backed invoices are never touchless.",
        ),
        "portal": initiative(
            "RM-06",
            "Supplier portal",
            Status.EXPLORING,
            "Suppliers email to ask whether their invoice arrived and when it will be paid.",
        ),
    }


def test_an_archived_initiatives_claims_say_so_instead_of_matching_another(
    workspace, suppliers, committed, client_for
):
    said = claim(workspace, PORTAL)
    assert said.initiative == suppliers["portal"] and said.verdict == Verdict.OVER_PROMISE
    page = client_for("editor").get(f"/w/acme/roadmap/{suppliers['portal'].pk}/")
    assert "1 claim to a customer was matched to it" in page.content.decode()

    committed(archive_initiative, suppliers["portal"])
    said.refresh_from_db()
    assert said.verdict == Verdict.NO_CAPABILITY and said.initiative == suppliers["portal"]
    assert said.was_archived and said.matched
    assert said.verdict_meaning.startswith("Its initiative RM-06 was archived on ")
    listed = client_for("member").get("/w/acme/claims/").content.decode()
    assert "its initiative RM-06 was archived on" in listed

    fresh = claim(workspace, PORTAL)  # said after: nothing on the roadmap holds it
    assert fresh.initiative != suppliers["portal"]

    committed(restore_initiative, suppliers["portal"])
    said.refresh_from_db()
    assert said.verdict == Verdict.OVER_PROMISE and said.initiative == suppliers["portal"]


def test_a_retitled_initiative_takes_the_claims_its_new_words_match(workspace, committed):
    said = claim(workspace, "Said our support team answers the phone in Japanese around the clock.")
    vague = Initiative.objects.create(
        workspace=workspace, title="Regional support", problem="", status=Status.PLANNED
    )
    assert said.verdict == Verdict.NO_CAPABILITY

    vague.title = "Phone support in Japanese around the clock"
    committed(save_initiative, vague)
    said.refresh_from_db()
    assert said.verdict == Verdict.OVER_PROMISE and said.initiative == vague


def test_an_over_promise_on_an_item_being_built_says_it_is_being_built(
    workspace,
    payments,  # noqa: F811
    client,
    users,
):
    live = claim(workspace, "Told them ACH payment runs are already live for every customer today.")
    meaning = (
        "Not live yet: the claim says it is available now; it is being built, due 26 Feb 2027."
    )
    assert live.verdict == Verdict.OVER_PROMISE and live.verdict_meaning == meaning
    shown = api_request(client, users["member"], "get", f"/api/v1/workspaces/acme/claims/{live.pk}")
    assert shown.json()["verdict_meaning"] == meaning


def test_a_roadmap_import_rechecks_the_claims_once_it_commits(workspace, committed):
    """An import had left claims as they were until someone pressed "Re-check all"."""
    from truenorth.roadmap.imports import import_roadmap

    header = "key,title,status,target date\n"
    row = "RM-18,Bank detail verification before payment runs,{},2027-01-29\n"
    committed(import_roadmap, workspace, header + row.format("committed"))
    said = claim(workspace, VERIFICATION, said_on=date(2026, 12, 1))
    assert said.verdict == Verdict.COMMITTED
    committed(import_roadmap, workspace, header + row.format("planned"))
    assert Initiative.objects.filter(workspace=workspace).count() == 1  # updated, not added
    said.refresh_from_db()
    assert said.verdict == Verdict.OVER_PROMISE
