"""Claims made to customers: verdicts against the roadmap, pages, import and export."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from tests.api import api_request
from truenorth.claims.actions import recheck_all, roadmap_changed_since_check, save_claim
from truenorth.claims.imports import import_claims
from truenorth.claims.models import Claim, Verdict
from truenorth.claims.verdicts import promise_summary
from truenorth.cli import main
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, InitiativeChange, Status
from truenorth.work.imports import ImportFailed
from truenorth.workspaces.models import Person, Workspace
from truenorth.workspaces.people import erase

SLACK = "Told them approvers can approve invoices straight from a Slack message."
PORTAL = "Promised their suppliers can upload invoices themselves through a supplier portal."
EXPENSES = "Said we reimburse their employees' expenses too, so they can drop their expense tool."
PAYROLL = "Said our support team answers the phone in Japanese around the clock."
GOOD_CSV = f"""date,account,said_by,text,source
2026-10-01,Northwind,editor@acme.test,"{SLACK}",sales call
2026-10-12,Northwind,Pat Outside,"{PORTAL}",deck
2026-11-02,Globex,Member,"{PAYROLL}",email
"""


@pytest.fixture
def roadmap(workspace):
    def initiative(title, problem, status, target=None):
        return Initiative.objects.create(
            workspace=workspace, title=title, problem=problem, status=status, target_date=target
        )

    return {
        "slack": initiative(
            "Approve invoices from Slack", "Approvers never open the app.", Status.SHIPPED
        ),
        "bank": initiative(
            "Bank feeds", "Payments are matched by hand.", Status.COMMITTED, date(2027, 3, 1)
        ),
        "portal": initiative(
            "Supplier portal for invoice submission",
            "Suppliers email photos of invoices.",
            Status.EXPLORING,
        ),
        "expenses": initiative(
            "Employee expense reimbursements", "Some want refunds through us.", Status.DROPPED
        ),
    }


def claim(workspace, text, account="Northwind", person=None, **fields):
    made = Claim(
        workspace=workspace,
        said_on=fields.pop("said_on", date(2026, 11, 2)),
        account=account,
        said_by=person,
        text=text,
        **fields,
    )
    return save_claim(made)


def test_a_saved_claim_is_judged_with_its_evidence(workspace, roadmap):
    saved = claim(workspace, SLACK)
    saved.refresh_from_db()
    assert saved.verdict == Verdict.AVAILABLE
    assert saved.initiative == roadmap["slack"] and saved.matched
    assert saved.initiative_status == "shipped"
    assert saved.score >= 35 and saved.checked_at is not None


def test_dropped_and_unknown_capabilities_are_no_such_capability(workspace, roadmap, client_for):
    dropped, unknown = claim(workspace, EXPENSES), claim(workspace, PAYROLL)
    assert dropped.verdict == unknown.verdict == Verdict.NO_CAPABILITY
    assert dropped.was_dropped and dropped.initiative == roadmap["expenses"]
    assert not unknown.matched and not unknown.was_dropped
    page = client_for("member").get("/w/acme/claims/").content.decode()
    assert "was dropped when checked" in page and "No match. Nearest:" in page


def test_re_checking_follows_the_roadmap(workspace, roadmap, client_for):
    portal = claim(workspace, PORTAL)
    assert portal.verdict == Verdict.OVER_PROMISE
    assert not roadmap_changed_since_check(workspace)
    roadmap["portal"].status = Status.SHIPPED
    save_initiative(roadmap["portal"])
    assert roadmap_changed_since_check(workspace)
    assert "The roadmap changed" in client_for("member").get("/w/acme/claims/").content.decode()

    response = client_for("editor").post("/w/acme/claims/recheck/")
    assert response.status_code == 302
    portal.refresh_from_db()
    assert portal.verdict == Verdict.AVAILABLE and portal.initiative_status == "shipped"
    assert not roadmap_changed_since_check(workspace)


def test_a_committed_claim_keeps_the_target_date(workspace, roadmap):
    saved = claim(workspace, "Told them bank feeds will match their payments automatically.")
    assert saved.verdict == Verdict.COMMITTED
    assert saved.target_date == date(2027, 3, 1)


def test_the_list_counts_verdicts_filters_and_links_evidence(workspace, roadmap, client_for):
    claim(workspace, SLACK)
    claim(workspace, PORTAL, account="Globex")
    client = client_for("member")
    page = client.get("/w/acme/claims/").content.decode()
    assert f"/w/acme/roadmap/{roadmap['slack'].pk}/" in page
    assert page.count('class="signal-value">50%<') == 2
    filtered = client.get("/w/acme/claims/?verdict=over_promise").content.decode()
    assert PORTAL in filtered and SLACK not in filtered
    assert client.get("/w/acme/claims/?verdict=someday").status_code == 400
    assert client.get("/w/acme/claims/?person=abc").status_code == 400


def test_close_alternatives_name_their_status_and_score_in_words(workspace, roadmap, client_for):
    portal = roadmap["portal"]
    Claim.objects.create(
        workspace=workspace,
        said_on=date(2026, 11, 2),
        account="Initech",
        text="Suppliers will upload invoices themselves.",
        verdict=Verdict.NO_CAPABILITY,
        runners_up=[
            {"initiative": portal.pk, "title": portal.title, "status": "in_progress", "score": 45}
        ],
    )
    client = client_for("member")
    page = client.get("/w/acme/claims/").content.decode()
    assert f"{portal.title}</a> (in progress, score 45)" in page
    [row] = csv.DictReader(io.StringIO(client.get("/w/acme/claims/export.csv").content.decode()))
    assert row["runners_up"] == f"{portal.title} (in progress, score 45)"  # not "in_progress, 45"


def test_export_writes_the_status_when_checked_as_the_page_does(workspace, users, client_for):
    Claim.objects.create(
        workspace=workspace,
        said_on=date(2026, 11, 2),
        account="Initech",
        text="ACH runs ship in March.",
        verdict=Verdict.COMMITTED,
        initiative_title="ACH payment runs",
        initiative_status=Status.IN_PROGRESS,
        score=70,
        matched=True,
        checked_at=timezone.now(),
    )
    client = client_for("member")
    [row] = csv.DictReader(io.StringIO(client.get("/w/acme/claims/export.csv").content.decode()))
    assert row["status_when_checked"] == "in progress"
    assert "In progress when checked" in client.get("/w/acme/claims/").content.decode()


def test_account_and_person_pages_show_their_claims(workspace, roadmap, users, client_for):
    editor = Person.objects.get(email="editor@acme.test")
    claim(workspace, SLACK, person=editor)
    claim(workspace, PORTAL, account="Globex & Co")
    client = client_for("viewer")
    account_page = client.get("/w/acme/claims/accounts/Globex & Co/").content.decode()
    assert PORTAL in account_page and SLACK not in account_page
    person_page = client.get(f"/w/acme/claims/people/{editor.pk}/").content.decode()
    assert SLACK in person_page and PORTAL not in person_page
    assert client.get("/w/acme/claims/accounts/Nobody/").status_code == 404


def test_a_person_of_another_workspace_is_not_found(workspace, users, client_for):
    other = Workspace.objects.create(name="Other", slug="other")
    stranger = Person.objects.create(workspace=other, name="S", email="s@o.test", function="sales")
    assert client_for("member").get(f"/w/acme/claims/people/{stranger.pk}/").status_code == 404
    assert (
        client_for("member").get(f"/w/acme/claims/export.csv?person={stranger.pk}").status_code
        == 404
    )


def test_an_erased_speaker_is_named_without_a_link_to_a_page_of_theirs(
    workspace, roadmap, users, client_for
):
    """The claims page linked "Erased person" to /w/acme/claims/people/<old id>/, titled "Claims
    by Erased person": their old id gathered their claims, as their person page no longer does."""
    seller = Person.objects.create(
        workspace=workspace, name="Dana Reyes", email="dana@acme.test", function="sales"
    )
    claim(workspace, SLACK, person=seller)
    erase(seller)
    client = client_for("member")
    page = client.get("/w/acme/claims/").content.decode()
    assert 'data-label="By">Erased person' in page
    assert f"/w/acme/claims/people/{seller.pk}/" not in page
    assert client.get(f"/w/acme/claims/people/{seller.pk}/").status_code == 404
    assert client.get(f"/w/acme/claims/?person={seller.pk}").status_code == 404
    assert client.get(f"/w/acme/claims/export.csv?person={seller.pk}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/w/acme/claims/",
        "/w/acme/claims/accounts/Northwind/",
        "/w/acme/claims/export.csv",
        "/w/acme/claims/new/",
    ],
)
def test_partners_cannot_see_claims(workspace, users, client_for, url):
    assert client_for("partner").get(url).status_code == 403


def test_outsiders_learn_nothing(workspace, users, client_for):
    assert client_for("outsider").get("/w/acme/claims/").status_code == 404


def test_an_editor_corrects_a_claim_and_it_is_checked_again(workspace, roadmap, client_for):
    made = claim(workspace, PORTAL, account="Globex")
    assert made.verdict == Verdict.OVER_PROMISE
    client = client_for("editor")
    assert f"/w/acme/claims/{made.pk}/edit/" in client.get("/w/acme/claims/").content.decode()
    form = client.get(f"/w/acme/claims/{made.pk}/edit/").content.decode()
    assert "Edit a claim" in form and PORTAL in form and 'id="delete-claim"' in form
    fields = {"said_on": "2026-11-02", "account": "Globex", "text": SLACK}
    response = client.post(f"/w/acme/claims/{made.pk}/edit/", fields, follow=True)
    said = "Saved the claim made to Globex on 2 Nov 2026. Available: Approve invoices from Slack ("
    assert said in response.content.decode()
    made.refresh_from_db()
    assert (made.text, made.verdict, made.initiative) == (
        SLACK,
        Verdict.AVAILABLE,
        roadmap["slack"],
    )
    too_long = client.post(f"/w/acme/claims/{made.pk}/edit/", {**fields, "text": "x" * 2001})
    assert too_long.status_code == 400 and Claim.objects.get(pk=made.pk).text == SLACK


def test_an_editor_deletes_a_claim_recorded_by_mistake(workspace, roadmap, client_for):
    kept, mistaken = claim(workspace, SLACK), claim(workspace, PAYROLL, account="Globex")
    client = client_for("editor")
    assert client.get(f"/w/acme/claims/{mistaken.pk}/delete/").status_code == 405
    response = client.post(f"/w/acme/claims/{mistaken.pk}/delete/", follow=True)
    page = response.content.decode()
    assert "Deleted the claim made to Globex on 2 Nov 2026." in page and PAYROLL not in page
    assert list(Claim.objects.values_list("pk", flat=True)) == [kept.pk]


def test_readers_cannot_edit_or_delete_a_claim_nor_see_the_links(workspace, roadmap, client_for):
    made = claim(workspace, SLACK)
    for role in ("viewer", "member"):
        client = client_for(role)
        assert f"/claims/{made.pk}/edit/" not in client.get("/w/acme/claims/").content.decode()
        assert client.get(f"/w/acme/claims/{made.pk}/edit/").status_code == 403
        assert client.post(f"/w/acme/claims/{made.pk}/delete/").status_code == 403
    assert Claim.objects.get(pk=made.pk).text == SLACK
    other = Workspace.objects.create(name="Other", slug="other")
    foreign = Claim.objects.create(workspace=other, said_on=date(2026, 1, 2), account="A", text="x")
    assert client_for("editor").post(f"/w/acme/claims/{foreign.pk}/delete/").status_code == 404


def test_readers_cannot_add_import_or_recheck(workspace, users, client_for):
    for role in ("viewer", "member"):
        client = client_for(role)
        assert client.get("/w/acme/claims/new/").status_code == 403
        assert client.post("/w/acme/claims/new/", {"text": "x"}).status_code == 403
        assert client.post("/w/acme/claims/recheck/").status_code == 403
        assert client.get("/w/acme/claims/import/").status_code == 403
    assert Claim.objects.count() == 0


def test_an_editor_adds_a_claim_and_it_is_checked(workspace, roadmap, users, client_for):
    form = {"said_on": "2026-11-03", "account": "Initech", "said_by_name": "Pat", "text": SLACK}
    response = client_for("editor").post("/w/acme/claims/new/", form)
    assert response.status_code == 302
    saved = Claim.objects.get(account="Initech")
    assert saved.verdict == Verdict.AVAILABLE and saved.created_by == users["editor"]


def test_a_new_claim_is_said_today_unless_changed_and_never_on_a_day_to_come(
    workspace, users, client_for
):
    """The form opened with no day, and a phone user's "Save" got only the browser's bubble."""
    client = client_for("editor")
    page = client.get("/w/acme/claims/new/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    ahead = (timezone.localdate() + timedelta(days=1)).isoformat()
    form = {"said_on": ahead, "account": "Initech", "said_by_name": "Pat", "text": SLACK}
    refused = client.post("/w/acme/claims/new/", form)
    assert refused.status_code == 400
    assert f"A claim is said on a day that has come, not {ahead}." in refused.content.decode()
    assert Claim.objects.count() == 0


def test_a_malformed_claim_is_a_400_with_the_reason(workspace, users, client_for):
    response = client_for("editor").post("/w/acme/claims/new/", {"said_on": "soon", "text": ""})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert Claim.objects.count() == 0


def test_a_good_csv_is_imported_and_checked(workspace, roadmap, users):
    claims = import_claims(workspace, io.StringIO(GOOD_CSV)).claims
    assert [c.verdict for c in claims] == ["available", "over_promise", "no_capability"]
    first, second, third = claims
    assert first.said_by.email == "editor@acme.test" and first.said_by_name == ""
    assert second.said_by is None and second.said_by_name == "Pat Outside"
    assert third.said_by.name == "Member"  # found by name


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2026-13-01,Northwind,,text,", "line 3: date '2026-13-01': there is no month 13"),
        (",Northwind,,text,", "line 3: date is empty"),
        ("2026-10-01,,,text,", "line 3: account is empty"),
        ("2026-10-01,Northwind,,,", "line 3: text is empty"),
        ("2026-10-01,Northwind,nobody@acme.test,text,", "no person with email"),
        (
            "2099-10-01,Northwind,,text,",
            "line 3: date 2099-10-01 has not come yet; record a claim on or after the day it was said.",
        ),
        (
            "2026-10-01,Northwind,partner@acme.test,text,",
            "line 3: Partner is a partner; claims are said by the company",
        ),
    ],
)
def test_a_bad_row_imports_nothing_and_is_named(workspace, users, row, message):
    lines = GOOD_CSV.splitlines()
    bad = "\n".join([lines[0], lines[1], row, lines[3]])
    with pytest.raises(ImportFailed) as failure:
        import_claims(workspace, io.StringIO(bad))
    assert message in failure.value.report()
    assert Claim.objects.count() == 0


def test_a_file_without_the_columns_is_rejected(workspace):
    with pytest.raises(ImportFailed, match="missing column"):
        import_claims(workspace, io.StringIO("when,who\n2026-01-01,x\n"))


def test_the_import_page_reports_bad_rows_and_saves_nothing(workspace, roadmap, users, client_for):
    client = client_for("editor")
    bad = GOOD_CSV.replace("2026-10-12", "yesterday")
    upload = SimpleUploadedFile("claims.csv", bad.encode(), content_type="text/csv")
    response = client.post("/w/acme/claims/import/", {"file": upload})
    assert response.status_code == 400
    assert "line 3: date" in response.content.decode()
    assert Claim.objects.count() == 0
    assert client.post("/w/acme/claims/import/", {}).status_code == 400
    binary = SimpleUploadedFile("claims.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    assert client.post("/w/acme/claims/import/", {"file": binary}).status_code == 400

    upload = SimpleUploadedFile("claims.csv", GOOD_CSV.encode(), content_type="text/csv")
    assert client.post("/w/acme/claims/import/", {"file": upload}).status_code == 302
    assert Claim.objects.exclude(verdict="").count() == 3


def test_the_cli_imports_claims_and_reports_bad_rows(workspace, roadmap, users, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD_CSV.replace("Globex", ""))
    result = CliRunner().invoke(main, ["import", "claims", str(bad), "-w", "acme"])
    assert result.exit_code == 1
    assert "line 4: account is empty" in result.output
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV)
    result = CliRunner().invoke(main, ["import", "claims", str(good), "-w", "acme"])
    assert result.exit_code == 0, result.output
    assert "Imported and checked 3 claims." in result.output
    assert Claim.objects.filter(verdict="over_promise").count() == 1


def test_export_per_account_and_person(workspace, roadmap, users, client_for):
    import_claims(workspace, io.StringIO(GOOD_CSV))
    client = client_for("member")

    def rows(query):
        response = client.get(f"/w/acme/claims/export.csv{query}")
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    northwind = rows("?account=Northwind")
    assert sorted(r["verdict"] for r in northwind) == ["available", "over_promise"]
    slack = next(r for r in northwind if r["verdict"] == "available")
    assert (
        slack["initiative"] == roadmap["slack"].title and slack["status_when_checked"] == "shipped"
    )
    editor = Person.objects.get(email="editor@acme.test")
    assert [r["text"] for r in rows(f"?person={editor.pk}")] == [SLACK]
    assert len(rows("")) == 3
    assert client.get("/w/acme/claims/export.csv?verdict=maybe").status_code == 400


def test_export_neutralises_spreadsheet_formulas(workspace, users, client_for):
    Claim.objects.create(
        workspace=workspace, said_on=date(2026, 1, 1), account="=HYPERLINK(1)", text="x"
    )
    body = client_for("member").get("/w/acme/claims/export.csv").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_export_gives_the_reason_the_page_shows_under_the_verdict(
    workspace, roadmap, users, client_for
):
    import_claims(workspace, io.StringIO(GOOD_CSV))
    client = client_for("member")
    export = client.get("/w/acme/claims/export.csv").content.decode()
    header, *rows = list(csv.reader(io.StringIO(export)))
    assert header[-3:] == ["checked_at", "moved_since_said", "reason"]  # added last
    reasons = {row[header.index("text")]: row[-1] for row in rows}
    assert reasons[PORTAL] == "Only being explored: the roadmap was read as a promise."
    assert reasons[SLACK] == ""  # available: the verdict says enough
    page = client.get("/w/acme/claims/").content.decode()
    assert f'<small class="reason">{escape(reasons[PORTAL])}</small>' in page


def test_export_says_what_the_page_says_of_a_claim_with_no_match(
    workspace, roadmap, users, client_for
):
    """It said "Nothing on the roadmap does this (or it was dropped)." and left out the
    nearest initiative the page shows."""
    unknown = claim(workspace, PAYROLL)
    assert unknown.verdict == Verdict.NO_CAPABILITY and not unknown.matched
    nearest = f"{unknown.initiative_title} (score {unknown.score:.0f}, below the cut)"
    client = client_for("member")
    [row] = csv.DictReader(io.StringIO(client.get("/w/acme/claims/export.csv").content.decode()))
    assert row["reason"] == f"Nothing on the roadmap does this. No match. Nearest: {nearest}."
    page = client.get("/w/acme/claims/").content.decode()
    assert '<small class="reason">Nothing on the roadmap does this.</small>' in page
    link = f'<a href="/w/acme/roadmap/{unknown.initiative_id}/">'
    assert f"No match. Nearest: {link}{escape(nearest).replace(' (', '</a> (', 1)}" in page


def test_a_claim_on_a_dropped_initiative_says_when_it_was_dropped_everywhere(
    workspace, roadmap, users, client_for, client
):
    """The reason hedged "Nothing on the roadmap does this (or it was dropped)." though the
    claim's evidence knows it was dropped."""
    expenses = roadmap["expenses"]
    dropped_at = timezone.make_aware(datetime(2026, 9, 14, 10))
    InitiativeChange.objects.create(
        initiative=expenses,
        field="status",
        old_value="planned",
        new_value="dropped",
        changed_at=dropped_at,
    )
    said = claim(workspace, EXPENSES)
    assert said.was_dropped
    why = (
        "It was on the roadmap as “Employee expense reimbursements” and was dropped on 14 Sep 2026."
    )
    member = client_for("member")
    [row] = csv.DictReader(io.StringIO(member.get("/w/acme/claims/export.csv").content.decode()))
    assert row["reason"] == why and row["status_when_checked"] == "dropped"
    page = member.get("/w/acme/claims/").content.decode()
    assert f'<small class="reason">{escape(why)}</small>' in page
    shown = api_request(client, users["member"], "get", f"{API}/{said.pk}").json()
    assert shown["reason"] == shown["verdict_meaning"] == why


def test_the_promise_summary_for_the_dashboard(workspace, roadmap, users):
    import_claims(workspace, io.StringIO(GOOD_CSV))
    Claim.objects.create(workspace=workspace, said_on=date(2026, 11, 5), account="New", text="x")
    summary = promise_summary(workspace)
    assert summary["total"] == 4 and summary["checked"] == 3
    assert summary["by_verdict"] == {
        "available": 1,
        "committed": 0,
        "over_promise": 1,
        "no_capability": 1,
    }
    assert summary["over_promise_share"] == round(1 / 3, 3)
    assert summary["unsupported_share"] == round(2 / 3, 3)
    assert summary["trend"] == [("2026-10", 2, 1), ("2026-11", 2, 0)]
    assert summary["accounts"][0] == {
        "account": "Northwind",
        "claims": 2,
        "over_promise": 1,
        "no_capability": 0,
    }


def test_recheck_all_counts_every_claim(workspace, roadmap):
    claim(workspace, SLACK)
    claim(workspace, PAYROLL)
    assert recheck_all(workspace) == 2


@pytest.fixture
def payments(workspace):
    """A roadmap as a finance product names it: keys, short names and proper names."""

    def initiative(key, title, status, target=None, problem=""):
        return Initiative.objects.create(
            workspace=workspace,
            key=key,
            title=title,
            problem=problem,
            status=status,
            target_date=target,
        )

    return {
        "mobile": initiative("RM-14", "Mobile approvals for iOS and Android", Status.PLANNED),
        "portal": initiative("RM-15", "Supplier portal for invoice submission", Status.EXPLORING),
        "intacct": initiative("RM-16", "Sage Intacct connector", Status.EXPLORING),
        "sepa": initiative(
            "RM-17", "International payments: SEPA and UK Faster Payments", Status.EXPLORING
        ),
        "verification": initiative(
            "RM-18",
            "Bank detail verification",
            Status.COMMITTED,
            date(2027, 1, 29),
            "Fraudsters change a supplier's bank details by email.",
        ),
        "ach": initiative("RM-19", "ACH payment runs", Status.IN_PROGRESS, date(2027, 2, 26)),
    }


VERIFICATION = "Told them the bank detail verification will be done by 1 January."


def test_a_date_that_moved_since_the_claim_was_said_is_flagged_and_its_speaker_hears(
    workspace, payments, users, client_for
):
    from truenorth.notifications.audience import recipients
    from truenorth.notifications.models import Event, Notification

    seller, other = (
        Person.objects.create(workspace=workspace, name=name, email=email, function="sales")
        for name, email in (("Sam Seller", "sam@acme.test"), ("Ola Other", "ola@acme.test"))
    )
    said = claim(workspace, VERIFICATION, person=seller, said_on=date(2026, 12, 1))
    assert said.verdict == Verdict.COMMITTED and said.initiative == payments["verification"]
    assert said.moved_since_said == ""

    payments["verification"].target_date = date(2027, 3, 20)
    save_initiative(payments["verification"])
    slip = Notification.objects.get(event=Event.COMMITTED_SLIP)
    assert seller in recipients(slip) and other not in recipients(slip)

    client_for("editor").post("/w/acme/claims/recheck/")
    said.refresh_from_db()
    flag = "date moved since said: was 29 Jan 2027, now 20 Mar 2027"
    assert said.verdict == Verdict.COMMITTED and said.target_date == date(2027, 3, 20)
    assert said.said_target_date == date(2027, 1, 29) and said.moved_since_said == flag
    member = client_for("member")
    assert "D" + flag[1:] in member.get("/w/acme/claims/").content.decode()
    [row] = list(
        csv.DictReader(io.StringIO(member.get("/w/acme/claims/export.csv").content.decode()))
    )
    assert row["moved_since_said"] == flag
    assert row["reason"] == "D" + flag[1:] + "."  # as the page says it under the verdict


def test_a_commitment_taken_back_since_the_claim_was_said_is_flagged(workspace, payments):
    said = claim(workspace, VERIFICATION, said_on=date(2026, 12, 1))
    payments["verification"].status = Status.PLANNED
    save_initiative(payments["verification"])
    recheck_all(workspace)
    said.refresh_from_db()
    assert said.verdict == Verdict.OVER_PROMISE
    assert said.moved_since_said == "no longer committed since said: was committed, now planned"


def test_a_claim_said_after_the_date_moved_is_not_flagged(workspace, payments):
    payments["verification"].target_date = date(2027, 3, 20)
    save_initiative(payments["verification"])
    said = claim(workspace, VERIFICATION, said_on=timezone.localdate())
    assert said.said_target_date == date(2027, 3, 20) and said.moved_since_said == ""


@pytest.mark.parametrize(
    "text",
    [
        "Told them we did not promise mobile approvals; it is only planned, no date.",
        "I was careful: we have NOT committed to the supplier portal, it is being explored.",
    ],
)
def test_a_claim_that_says_it_is_not_promised_is_not_an_over_promise(workspace, payments, text):
    said = claim(workspace, text)
    assert said.verdict == Verdict.NOT_PROMISED and said.matched


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Said Intacct sync is coming in Q1.", "intacct"),
        ("Said SEPA is available.", "sepa"),
        ("Told them RM-14 ships in Q1.", "mobile"),
    ],
)
def test_a_key_or_short_name_names_the_initiative_outright(workspace, payments, text, named):
    said = claim(workspace, text)
    assert said.verdict == Verdict.OVER_PROMISE
    assert said.initiative == payments[named] and said.matched


def test_live_today_of_an_item_not_shipped_is_an_over_promise(workspace, payments):
    live = claim(workspace, "Told them ACH payment runs are already live for every customer today.")
    dated = claim(workspace, "Told them ACH payment runs will be ready by the end of February.")
    assert live.initiative == dated.initiative == payments["ach"]
    assert live.verdict == Verdict.OVER_PROMISE and dated.verdict == Verdict.COMMITTED


def test_claims_checked_close_together_are_one_notification(workspace, roadmap):
    from truenorth.notifications.models import Event, Notification

    for text in (SLACK, PORTAL, PAYROLL):
        claim(workspace, text)
    [told] = Notification.objects.filter(event=Event.CLAIMS_CHECKED)
    assert told.title == "Claims checked: 3 new" and told.data["checked"] == 3
    assert told.data["verdicts"] == {"available": 1, "over_promise": 1, "no_capability": 1}


def test_the_tiles_give_each_verdicts_share_and_what_good_looks_like(
    workspace, roadmap, client_for
):
    claim(workspace, SLACK)
    claim(workspace, PORTAL, account="Globex")
    page = client_for("member").get("/w/acme/claims/").content.decode()
    assert page.count('class="signal-value">50%<') == 2
    assert "1 of 2 checked claims — lower is better; good is none." in page
    assert "1 of 2 checked claims — higher is better" in page


API = "/api/v1/workspaces/acme/claims"


def over_promise_notifications():
    from truenorth.notifications.models import Event, Notification

    return list(Notification.objects.filter(event=Event.OVER_PROMISE))


def test_importing_a_file_again_records_each_claim_once_and_tells_no_one_again(
    workspace, roadmap, users, client_for, tmp_path
):
    import_claims(workspace, io.StringIO(GOOD_CSV))
    assert len(over_promise_notifications()) == 1
    # The same rows in another case and spacing, and a new claim twice.
    header, slack, portal, payroll = GOOD_CSV.splitlines()
    again = [header, slack.upper(), portal.replace("Northwind", " northwind "), payroll]
    new = f'2026-11-03,Globex,,"{PORTAL}",deck'
    again += [new, new.replace("Globex", "GLOBEX")]
    found = import_claims(workspace, io.StringIO("\n".join(again)))
    assert (len(found.claims), found.already, found.repeated) == (1, 3, 1)
    assert found.skipped() == "3 already recorded, skipped; 1 repeating an earlier row, skipped"
    assert Claim.objects.count() == 4
    assert [n.data["found"] for n in over_promise_notifications()] == [1, 1]  # the new row's

    path = tmp_path / "claims.csv"
    path.write_text(GOOD_CSV)
    result = CliRunner().invoke(main, ["import", "claims", str(path), "-w", "acme"])
    assert "Imported and checked 0 claims; 3 already recorded, skipped." in result.output
    upload = SimpleUploadedFile("claims.csv", GOOD_CSV.encode(), content_type="text/csv")
    response = client_for("editor").post("/w/acme/claims/import/", {"file": upload}, follow=True)
    assert (
        "Imported and checked 0 claims; 3 already recorded, skipped." in response.content.decode()
    )
    assert Claim.objects.count() == 4 and len(over_promise_notifications()) == 2


def test_an_account_is_one_whatever_its_case_and_spacing(workspace, roadmap, users, client_for):
    claim(workspace, SLACK, account="Northwind Dental")
    claim(workspace, PORTAL, account="Northwind Dental")
    claim(workspace, PAYROLL, account="northwind dental")
    claim(workspace, EXPENSES, account="Northwind Logistics")
    client = client_for("member")
    for path in (
        "/w/acme/claims/accounts/northwind%20dental/",
        "/w/acme/claims/?account=NORTHWIND+DENTAL",
    ):
        page = client.get(path).content.decode()
        assert page.count('data-label="What was said"') == 3
    assert (
        "Claims to Northwind Dental"
        in client.get("/w/acme/claims/accounts/northwind%20dental/").content.decode()
    )
    export = client.get("/w/acme/claims/export.csv?account=northwind%20dental%20")
    assert len(list(csv.reader(io.StringIO(export.content.decode())))) == 1 + 3
    api = api_request(client, users["member"], "get", f"{API}?account=northwind%20dental")
    assert api.json()["count"] == 3
    listed = CliRunner().invoke(
        main, ["claims", "list", "-w", "acme", "--account", "NORTHWIND DENTAL"]
    )
    assert listed.output.count("\n") == 3
    accounts = {a["account"]: a["claims"] for a in promise_summary(workspace)["accounts"]}
    assert accounts == {"Northwind Dental": 3, "Northwind Logistics": 1}


def test_the_account_filter_takes_the_whole_name_and_says_when_nothing_matches(
    workspace, roadmap, users, client_for
):
    claim(workspace, SLACK, account="Northwind Dental")
    client = client_for("member")
    api = api_request(client, users["member"], "get", f"{API}?account=northwind")
    assert api.json()["count"] == 0
    export = client.get("/w/acme/claims/export.csv?account=northwind")
    assert len(list(csv.reader(io.StringIO(export.content.decode())))) == 1
    listed = CliRunner().invoke(main, ["claims", "list", "-w", "acme", "--account", "northwind"])
    assert listed.exit_code == 0
    assert (
        "No claims to the account 'northwind'. The filter takes an account's whole name, "
        "e.g. Northwind Dental." in listed.output
    )


def test_an_honest_claim_naming_an_initiative_in_short_is_not_promised(workspace):
    Initiative.objects.create(
        workspace=workspace,
        title="Partner implementation playbook and sandbox workspaces",
        problem="Implementations take 11 weeks because every consultant works it out anew.",
        status=Status.PLANNED,
    )
    text = "We did not promise the partner playbook; it is only planned, no date."
    said = claim(workspace, text)
    assert said.verdict == Verdict.NOT_PROMISED and said.matched


def test_an_over_promise_says_why_under_its_verdict_in_its_message_and_in_the_api(
    workspace, payments, users, client_for, client
):
    """The reason was only hover text, which a phone cannot show, and the message after saving
    and the Over-promise tile spoke only of planned items."""
    live = "Told them ACH payment runs are already live for every customer today."
    form = {"said_on": "2026-12-01", "account": "Initech", "said_by_name": "Pat", "text": live}
    editor = client_for("editor")
    page = editor.post("/w/acme/claims/new/", form, follow=True).content.decode()
    why = "Not live yet: the claim says it is available now; it is being built, due 26 Feb 2027."
    assert "Over-promise: ACH payment runs (in progress, score" in page
    assert f"). {why}</" in page  # the message after saving
    assert f'<small class="reason">{why}</small>' in page
    assert "by 26 Feb 2027" not in page  # read as a promise beside "Over-promise"
    assert "something said to be live before it ships" in page  # the tile
    said = Claim.objects.get(account="Initech")
    shown = api_request(client, users["member"], "get", f"{API}/{said.pk}").json()
    assert shown["reason"] == shown["verdict_meaning"] == why
    dated = claim(workspace, "Told them ACH payment runs will be ready by the end of February.")
    assert dated.verdict == Verdict.COMMITTED and dated.reason == ""
    assert "<small>by 26 Feb 2027</small>" in editor.get("/w/acme/claims/").content.decode()
