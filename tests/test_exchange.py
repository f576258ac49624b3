import json

import pytest
from click.testing import CliRunner

from truenorth.cli import main
from truenorth.roadmap.actions import save_initiative
from truenorth.workspaces.exchange import ExchangeError, export_workspace, import_workspace
from truenorth.workspaces.models import Workspace


def without_identity(data):
    return {**data, "workspace": {**data["workspace"], "name": "", "slug": ""}}


@pytest.fixture
def history(strategy, users):
    initiative = strategy["initiatives"]["internal"]
    initiative.status = "committed"
    save_initiative(initiative, by=users["editor"])


def test_a_round_trip_gives_back_the_same_workspace(workspace, strategy, users, history, tmp_path):
    exported = tmp_path / "acme.json"
    runner = CliRunner()
    assert (
        runner.invoke(main, ["export", "--json", "-w", "acme", "-o", str(exported)]).exit_code == 0
    )
    result = runner.invoke(main, ["import", "workspace", str(exported), "--slug", "acme-copy"])
    assert result.exit_code == 0, result.output
    original = json.loads(exported.read_text())
    copy = export_workspace(Workspace.objects.get(slug="acme-copy"))
    assert without_identity(copy) == without_identity(original)
    assert len(original["initiatives"][0]["changes"]) == 1
    assert len(original["memberships"]) == 5


def test_importing_onto_an_existing_slug_is_refused(workspace, strategy):
    with pytest.raises(ExchangeError, match="exists already"):
        import_workspace(export_workspace(workspace))


def test_a_broken_file_imports_nothing(workspace, strategy):
    data = export_workspace(workspace)
    data["work_items"][0]["initiative"] = 999
    with pytest.raises(ExchangeError, match="initiative 999"):
        import_workspace(data, slug="copy")
    assert not Workspace.objects.filter(slug="copy").exists()


def test_an_unknown_status_is_refused_with_its_place(workspace, strategy):
    data = export_workspace(workspace)
    data["initiatives"][0]["status"] = "promised"
    with pytest.raises(ExchangeError, match=r"initiatives\.0\.status"):
        import_workspace(data, slug="copy")


def test_the_cli_says_when_a_file_is_not_json(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    result = CliRunner().invoke(main, ["import", "workspace", str(bad)])
    assert result.exit_code == 1
    assert "is not JSON" in result.output


def test_init_creates_a_workspace_its_owner_can_open(db, client):
    result = CliRunner().invoke(
        main,
        [
            "init",
            "--name",
            "Beta",
            "--slug",
            "beta",
            "--owner",
            "bo",
            "--email",
            "bo@beta.test",
            "--password",
            "s3cret-pass",
        ],
    )
    assert result.exit_code == 0, result.output
    assert client.login(username="bo", password="s3cret-pass")
    assert client.get("/w/beta/").status_code == 200


def test_every_command_has_an_example_in_its_help():
    runner = CliRunner()
    for args in (
        ["init"],
        ["demo"],
        ["serve"],
        ["export"],
        ["import", "workitems"],
        ["import", "workspace"],
        ["import", "responses"],
        ["analyze"],
        ["compare"],
    ):
        assert "Example: truenorth" in runner.invoke(main, [*args, "--help"]).output
