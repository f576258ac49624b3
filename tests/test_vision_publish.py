"""Publishing the vision's next version outside its edit page: POST /api/v1/…/vision/versions
and `truenorth vision write` take the parts that change, keep the others, and never overwrite
an earlier version."""

from click.testing import CliRunner

from tests.api import api_request
from truenorth.cli import main
from truenorth.cli_goals import VISION_PARTS
from truenorth.strategy.models import Vision

API = "/api/v1/workspaces/acme/vision"
FIRST = {
    "statement": "Every finance team closes in 3 days.",
    "destination": "Month-end close in three days",
    "measures_of_progress": "Median days to close",
    "target_user": "Controllers at mid-size companies",
    "user_benefit": "Evenings back at month end",
    "business_outcome": "Net revenue retention above 110%",
    "horizon": "by 2028",
}


def publish(client, users, body, role="editor"):
    return api_request(client, users[role], "post", f"{API}/versions", body, scope="write")


def test_the_first_version_needs_every_part_and_the_next_keeps_what_is_not_sent(
    client, users, workspace
):
    refused = publish(client, users, {**FIRST, "statement": ""})
    assert (refused.status_code, refused.json()["field"]) == (400, "statement")
    first = publish(client, users, FIRST)
    assert first.status_code == 201, first.json()
    assert (first.json()["number"], first.json()["created_by"]) == (1, "editor")
    second = publish(client, users, {"horizon": "by the end of 2028"}).json()
    assert (second["number"], second["statement"], second["horizon"]) == (
        2,
        "Every finance team closes in 3 days.",
        "by the end of 2028",
    )
    same = publish(client, users, {"horizon": "by the end of 2028"})
    assert (same.status_code, same.json()["title"]) == (400, "Nothing changed")
    assert publish(client, users, {"statement": None}).json()["field"] == "statement"
    assert publish(client, users, {"horizon": "x" * 101}).json()["field"] == "horizon"
    in_force = api_request(client, users["member"], "get", API).json()
    assert in_force["number"] == 2
    assert list(workspace.visions.values_list("horizon", flat=True).order_by("number")) == [
        "by 2028",
        "by the end of 2028",
    ]


def test_members_and_partners_cannot_publish(client, users, workspace):
    for role in ("member", "viewer", "partner"):
        assert publish(client, users, {"statement": "Ours."}, role).status_code == 403
    assert not Vision.objects.exists()


def cli(*args, stdin=None):
    return CliRunner().invoke(main, ["vision", "write", *args, "-w", "acme"], input=stdin)


def test_the_command_publishes_and_prints_the_clarity_check(strategy, workspace):
    before = workspace.visions.count()
    result = cli("--horizon", "by the end of 2028")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Published vision version {before + 1}."
    assert lines[1].startswith("Clarity ") and "/100" in lines[1]
    latest = workspace.visions.order_by("-number").first()
    assert latest.horizon == "by the end of 2028"
    assert latest.statement == strategy["vision"].statement
    read = cli("--statement", "-", stdin="Every team closes its books in two days.\n")
    assert read.exit_code == 0, read.output
    assert workspace.visions.order_by("-number").first().statement.startswith("Every team")


def test_the_command_refuses_nothing_to_change_and_a_first_without_every_part(workspace):
    nothing = cli()
    assert nothing.exit_code == 2 and "nothing to change" in nothing.output
    first = cli("--statement", "Ours.", "--horizon", "by 2028")
    assert first.exit_code == 1
    assert first.output.startswith("Error: not published: --destination: This field is required.")
    assert not Vision.objects.exists()


def test_the_commands_offer_each_part_of_the_vision():
    assert VISION_PARTS == Vision.PARTS
