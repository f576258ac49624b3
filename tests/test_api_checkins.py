"""/api/v1/ check-ins (definitions, counts, the analysed report with the anonymity rule as on the
check-in page) and the alignment dashboard's signals."""

import json

import pytest
from django.db.models import Count
from django.utils import timezone

from truenorth.api.models import ApiToken
from truenorth.workspaces.models import Membership


def token_of(workspace, role, scope="read") -> str:
    user = Membership.objects.filter(workspace=workspace, role=role).first().user
    return ApiToken.issue(user, "test", scope)[1]


@pytest.fixture
def api(client):
    """call(method, workspace, path, role, scope="read", body=None), a 500 failing the test."""
    client.raise_request_exception = True

    def call(method, workspace, path, role, scope="read", body=None):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token_of(workspace, role, scope)}"}
        if body is not None:
            extra.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(f"/api/v1/workspaces/{workspace.slug}{path}", **extra)

    return call


@pytest.fixture
def pulse(analysed_demo):
    return analysed_demo.checkins.order_by("-opens_at").first()


def test_the_list_gives_definitions_and_counts_as_the_page(db, api, analysed_demo, pulse):
    response = api("get", analysed_demo, "/checkins", "viewer")
    assert response.status_code == 200
    found = response.json()
    assert found["count"] == analysed_demo.checkins.count()
    first = found["items"][0]
    assert first["id"] == pulse.pk and first["anonymous"] == pulse.anonymous
    assert first["answered"] == pulse.responses.count() > 0
    assert first["invited"] >= first["answered"]
    assert "questions" not in first  # the questions are on the results page


def test_a_member_gets_the_list_without_counts_as_on_the_page(db, api, analysed_demo, pulse):
    """In a small team, how many have answered tells a member who has not answered yet."""
    first = api("get", analysed_demo, "/checkins", "member").json()["items"][0]
    assert first["id"] == pulse.pk and first["state"] == "final"
    assert first["invited"] is None and first["answered"] is None


@pytest.mark.parametrize(
    "role, status",
    [("owner", 200), ("editor", 200), ("viewer", 200), ("member", 403), ("partner", 403)],
)
def test_results_are_for_those_who_read_them(db, api, analysed_demo, pulse, role, status):
    for path in (f"/checkins/{pulse.pk}", f"/checkins/{pulse.pk}/report", "/alignment"):
        assert api("get", analysed_demo, path, role).status_code == status


def test_the_report_is_the_pages_json_twin(db, api, client, analysed_demo, pulse):
    report = api("get", analysed_demo, f"/checkins/{pulse.pk}/report", "viewer").json()
    viewer = Membership.objects.filter(workspace=analysed_demo, role="viewer").first().user
    client.force_login(viewer)
    twin = client.get(f"/w/{analysed_demo.slug}/checkins/{pulse.pk}/report.json").json()
    assert report == twin
    # the anonymity rule: no group of the report smaller than the threshold
    data = report["report"]
    groups = [g for q in data["questions"] for g in q["by"]["function"]["groups"]]
    assert groups and all(g["name"] != "design" for g in groups)
    assert all(s["people"] >= data["threshold"] for s in data["priorities"]["shadow"])


def test_no_answer_of_an_anonymous_checkin_names_its_author(db, api, analysed_demo, pulse):
    assert pulse.anonymous
    body = api("get", analysed_demo, f"/checkins/{pulse.pk}/report", "owner").content.decode()
    names = analysed_demo.people.values_list("name", flat=True)
    emails = analysed_demo.people.values_list("email", flat=True)
    assert not [n for n in [*names, *emails] if n and f'"{n}"' in body]


def test_a_checkin_with_no_results_yet_is_a_409(db, api, analysed_demo):
    opened = analysed_demo.checkins.filter(finalised_at__isnull=True).first()
    response = api("get", analysed_demo, f"/checkins/{opened.pk}/report", "owner")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_one_checkin_with_its_questions(db, api, analysed_demo, pulse):
    found = api("get", analysed_demo, f"/checkins/{pulse.pk}", "editor").json()
    assert [q["position"] for q in found["questions"]] == list(
        pulse.questions.values_list("position", flat=True)
    )
    assert found["state"] == "final"


@pytest.mark.parametrize("checkin_id", ["0", str(2**63), "x"])
def test_an_id_no_checkin_can_have_is_a_400(db, api, analysed_demo, checkin_id):
    for path in (f"/checkins/{checkin_id}", f"/checkins/{checkin_id}/report"):
        assert api("get", analysed_demo, path, "owner").status_code == 400
    assert api("get", analysed_demo, f"/checkins/{2**62}", "owner").status_code == 404


def test_the_alignment_signals_are_the_dashboards_twin(db, api, client, analysed_demo):
    signals = api("get", analysed_demo, "/alignment", "viewer").json()
    client.force_login(Membership.objects.filter(workspace=analysed_demo, role="viewer")[0].user)
    twin = client.get(f"/w/{analysed_demo.slug}/alignment.json").json()
    assert signals == twin
    assert signals["individual"] and signals["checkin"]["id"]


# --- A new Alignment pulse (in the demo workspace: each test's writes roll back) ---

# Next New Year's Day: within the year ahead that a check-in may open in, whatever today is.
NEXT_YEAR = timezone.now().year + 1
PULSE = {
    "title": "Engineering pulse",
    "opens_at": f"{NEXT_YEAR}-01-01T09:00:00",
    "closes_at": f"{NEXT_YEAR}-01-15T09:00:00",
    "functions": ["engineering"],
}


def test_an_editor_creates_a_pulse_through_the_action(db, api, analysed_demo):
    team = analysed_demo.teams.filter(archived=False).first()
    body = {**PULSE, "teams": [team.pk]}
    response = api("post", analysed_demo, "/checkins", "editor", "write", body)
    assert response.status_code == 201
    made = response.json()
    assert len(made["questions"]) == 5 and made["anonymous"] is True
    assert made["audience_functions"] == ["engineering"] and made["audience_teams"] == [team.pk]
    created = analysed_demo.checkins.get(pk=made["id"])
    editor = Membership.objects.filter(workspace=analysed_demo, role="editor").first().user
    assert created.created_by == editor
    assert created.questions.count() == 5
    assert made["invited"] == 0 and made["state"] == "scheduled"  # it opens next year


def test_a_pulse_asking_fewer_than_the_threshold_is_created_with_a_warning(db, api, analysed_demo):
    """As the page says it: the answers of fewer people than the threshold could never show."""
    small = analysed_demo.teams.annotate(n=Count("people")).filter(n__lt=5, n__gt=0).first()
    body = {**PULSE, "functions": [], "teams": [small.pk]}
    made = api("post", analysed_demo, "/checkins", "editor", "write", body).json()
    assert "fewer than the anonymity threshold of 5: even if all answer" in made["warning"]
    everyone = api("post", analysed_demo, "/checkins", "editor", "write", PULSE).json()
    assert everyone["warning"] == ""


def test_a_time_without_an_offset_reads_in_the_workspace_time_zone(db, api, analysed_demo):
    analysed_demo.time_zone = "Europe/Paris"
    analysed_demo.save()
    made = api("post", analysed_demo, "/checkins", "owner", "write", PULSE).json()
    opens = analysed_demo.checkins.get(pk=made["id"]).opens_at
    assert opens.isoformat() == f"{NEXT_YEAR}-01-01T08:00:00+00:00"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"closes_at": f"{NEXT_YEAR - 1}-12-31T09:00:00"}, "closes_at"),
        ({"closes_at": "9999-01-15T09:00:00"}, "closes_at"),
        ({"opens_at": "2031-02-30T09:00:00"}, "opens_at"),
        ({"functions": ["partner"]}, "functions.0"),
        ({"functions": ["astronaut"]}, "functions.0"),
        ({"teams": [2**62]}, "teams"),
        ({"teams": [2**64]}, "teams.0"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_a_bad_pulse_is_a_400_naming_the_field(db, api, analysed_demo, change, field):
    before = analysed_demo.checkins.count()
    response = api("post", analysed_demo, "/checkins", "owner", "write", {**PULSE, **change})
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert analysed_demo.checkins.count() == before


def test_members_and_read_tokens_cannot_create(db, api, analysed_demo):
    before = analysed_demo.checkins.count()
    assert api("post", analysed_demo, "/checkins", "member", "write", PULSE).status_code == 403
    assert api("post", analysed_demo, "/checkins", "owner", "read", PULSE).status_code == 403
    assert analysed_demo.checkins.count() == before


def test_the_alignment_signals_narrow_to_one_team_as_the_page_does(db, api, analysed_demo):
    whole = api("get", analysed_demo, "/alignment", "viewer").json()
    team = whole["team"][0]["team"]
    one = api("get", analysed_demo, f"/alignment?team={team}", "viewer").json()
    assert [row["team"] for row in one["team"]] == [team]
    missing = api("get", analysed_demo, "/alignment?team=nobody", "viewer")
    assert missing.status_code == 404 and "nobody" in missing.json()["detail"]


def test_the_alignment_signals_sort_the_teams_as_the_page_does(db, api, analysed_demo):
    key = "work.orphans"  # lower is better: the highest share first
    rows = api("get", analysed_demo, f"/alignment?sort={key}", "viewer").json()["team"]
    shares = [next(s for s in r["signals"] if s["key"] == key)["value"] for r in rows]
    measured = [share for share in shares if share is not None]
    assert measured == sorted(measured, reverse=True) and len(measured) >= 2
    assert shares[: len(measured)] == measured  # teams with no work items last
    wrong = api("get", analysed_demo, "/alignment?sort=people.names", "viewer")
    assert wrong.status_code == 400 and "work.orphans" in wrong.json()["detail"]
