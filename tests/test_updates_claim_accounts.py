"""An update counts the accounts told an over-promise as the claims pages count them: one
account whatever its case and spacing."""

from datetime import date

from truenorth.claims.actions import save_claim
from truenorth.claims.models import Claim, Verdict
from truenorth.roadmap.models import Initiative, Status
from truenorth.updates.facts import over_promises

PORTAL = "Promised their suppliers can upload invoices themselves through a supplier portal."


def test_an_account_spelt_two_ways_is_one_account_told_an_over_promise(workspace):
    Initiative.objects.create(
        workspace=workspace,
        title="Supplier portal for invoice submission",
        problem="Suppliers email photos of invoices.",
        status=Status.EXPLORING,
    )
    for account in ("Northwind Dental", " northwind  DENTAL ", "Globex"):
        save_claim(
            Claim(workspace=workspace, said_on=date(2026, 11, 2), account=account, text=PORTAL)
        )
    assert set(Claim.objects.values_list("verdict", flat=True)) == {Verdict.OVER_PROMISE}
    found = over_promises(workspace, {}, date(2026, 11, 1), date(2026, 11, 30))
    assert (found["count"], found["accounts"]) == (3, 2)
