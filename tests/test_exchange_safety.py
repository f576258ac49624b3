"""A workspace file is input from elsewhere: it gives no login access, and every field of it is
bounded, so that a file which imports cannot break a page, and one that cannot says where."""

import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.core import mail

from truenorth.cli import main
from truenorth.demo.build import build_demo
from truenorth.exchange import ExchangeError, export_workspace, import_workspace, read_json
from truenorth.exchange.problems import MAX_DEPTH
from truenorth.exchange.schema import LAST_YEAR
from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.work.imports import MAX_POINTS
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import (
    MIN_ANONYMITY_THRESHOLD,
    Membership,
    Person,
    Role,
    WaitingInvitation,
    Workspace,
)

User = get_user_model()


@pytest.fixture
def exported(workspace, strategy, users):
    WorkItem.objects.filter(external_key="ENG-1").update(url="https://jira.acme.test/ENG-1")
    return export_workspace(workspace)


def refused(data, where: str) -> str:
    """Import `data`; it must be refused naming `where`, leaving the database as it was."""
    before = (Workspace.objects.count(), User.objects.count(), WorkItem.objects.count())
    with pytest.raises(ExchangeError) as error:
        import_workspace(data, slug="copy")
    assert where in str(error.value)
    assert (Workspace.objects.count(), User.objects.count(), WorkItem.objects.count()) == before
    return str(error.value)


def from_bytes(raw: bytes, where: str) -> str:
    before = Workspace.objects.count()
    with pytest.raises(ExchangeError) as error:
        import_workspace(read_json(raw), slug="copy")
    assert where in str(error.value)
    assert Workspace.objects.count() == before
    return str(error.value)


# --- Logins ---


def test_an_existing_login_of_the_same_name_gains_no_access(exported):
    # Another server's "owner" is someone else here: the file must not make them its owner.
    stranger = User.objects.create_user("owner-elsewhere", "stranger@else.test", "x")
    exported["memberships"][0]["username"] = "owner-elsewhere"  # as a version 3 file wrote it
    logins = User.objects.count()
    imported = import_workspace(exported, slug="copy")
    copy = imported.workspace
    assert not Membership.objects.filter(workspace=copy).exists()
    assert not stranger.memberships.filter(workspace=copy).exists()
    assert User.objects.count() == logins  # none created
    waiting = {w.email: w.role for w in copy.waiting_invitations.all()}
    assert waiting == {f"{role}@acme.test": role for role in Role.values}
    assert imported.invitations == len(Role.values)


def test_a_username_matching_a_login_here_gains_nothing_through_the_cli(exported, tmp_path):
    User.objects.create_user("ada", "ada@here.test", "x")
    exported["memberships"] = [{"username": "ada", "email": "", "role": "owner", "person": None}]
    file = tmp_path / "acme.json"
    file.write_text(json.dumps(exported))
    result = CliRunner().invoke(main, ["import", "workspace", str(file), "--slug", "copy"])
    assert result.exit_code == 0, result.output
    assert not Membership.objects.filter(workspace__slug="copy").exists()
    assert "No login can open it yet" in result.output
    assert "Not invited, the file gives no email address: ada." in result.output


def test_the_export_carries_no_username_or_password_of_a_login(workspace, users, exported):
    text = json.dumps(exported)
    owner = users["owner"]
    assert owner.password and owner.password not in text
    assert "md5$" not in text and "pbkdf2" not in text
    assert all(set(m) == {"email", "role", "person"} for m in exported["memberships"])


def test_the_owner_named_on_import_is_the_one_login_let_in(exported, users, client):
    imported = import_workspace(exported, slug="copy", owner="outsider")
    copy = imported.workspace
    assert list(copy.memberships.values_list("user__username", "role")) == [("outsider", "owner")]
    client.force_login(users["outsider"])
    assert client.get("/w/copy/").status_code == 200
    client.force_login(users["owner"])  # the owner of the original, on this same server
    assert client.get("/w/copy/").status_code == 404


def test_an_owner_sends_a_waiting_invitation_with_its_role(exported, users, client):
    copy = import_workspace(exported, slug="copy", owner="outsider").workspace
    waiting = copy.waiting_invitations.get(email="editor@acme.test")
    client.force_login(users["outsider"])
    page = client.get("/w/copy/logins/").content.decode()
    assert "Waiting to be invited" in page and "editor@acme.test" in page
    listed = {w["email"]: w["role"] for w in client.get("/w/copy/logins.json").json()["waiting"]}
    assert listed["editor@acme.test"] == "editor"
    client.post(f"/w/copy/logins/waiting/{waiting.pk}/send/")
    # The editor has a login on this server already: they gain the membership and are told.
    membership = copy.memberships.get(user=users["editor"])
    assert membership.role == Role.EDITOR
    assert membership.person == copy.people.get(email="editor@acme.test")
    assert not copy.waiting_invitations.filter(pk=waiting.pk).exists()
    assert mail.outbox[-1].to == ["editor@acme.test"]
    discarded = copy.waiting_invitations.get(email="member@acme.test")
    client.post(f"/w/copy/logins/waiting/{discarded.pk}/discard/")
    assert not copy.memberships.filter(user=users["member"]).exists()
    assert not copy.waiting_invitations.filter(pk=discarded.pk).exists()


def test_waiting_invitations_travel_on_to_the_next_server(exported):
    copy = import_workspace(exported, slug="copy").workspace
    again = export_workspace(copy)
    assert again["memberships"] == exported["memberships"]


# --- Bounds ---


def test_a_javascript_link_is_refused(exported):
    exported["work_items"][0]["url"] = "javascript:alert(document.cookie)"
    refused(exported, "work_items.0.url")


def test_points_beyond_what_a_page_can_show_are_refused(exported):
    exported["work_items"][0]["points"] = 1e6
    refused(exported, "work_items.0.points")
    exported["work_items"][0]["points"] = -1
    refused(exported, "work_items.0.points")


def test_a_threshold_below_three_is_refused(exported):
    exported["workspace"]["anonymity_threshold"] = 1
    message = refused(exported, "workspace.anonymity_threshold")
    assert str(MIN_ANONYMITY_THRESHOLD) in message


def test_text_longer_than_its_column_is_refused(exported):
    limit = Goal._meta.get_field("title").max_length
    exported["goals"][0]["title"] = "x" * (limit + 1)
    refused(exported, "goals.0.title")
    exported["goals"][0]["title"] = "x" * limit
    assert import_workspace(exported, slug="copy").workspace.goals.filter(title="x" * limit)


@pytest.mark.parametrize(
    ("place", "value"),
    [
        (("work_items", 0, "created_on"), "0001-01-01"),
        (("initiatives", 0, "target_date"), "9999-12-31"),
        (("visions", 0, "created_at"), "2026-09-01T08:00:00"),  # no time zone
        (("work_items", 0, "labels"), ["a"] * 101),
        (("people", 0, "email"), "not an address"),
        (("goals", 0, "rank"), 10**30),
        (("initiatives", 0, "estimate_weeks"), "1e9"),
        (("work_items", 0, "suggestions"), "[]"),
        (("goals", 0, "title"), "Faster\x00close"),  # PostgreSQL stores no NUL
    ],
)
def test_a_value_out_of_bounds_is_refused_by_its_path(exported, place, value):
    *parents, key = place
    target = exported
    for step in parents:
        target = target[step]
    target[key] = value
    refused(exported, ".".join(str(p) for p in place))


def test_a_lone_surrogate_is_refused(exported):
    text = json.dumps(exported).replace("Faster close", "Faster \\ud800 close")
    from_bytes(text.encode(), "goals.0.title")


def test_surrogate_bytes_are_not_utf_8(exported):
    raw = json.dumps(exported).encode().replace(b"Faster", b"Fast\xed\xa0\x80er")
    from_bytes(raw, "not UTF-8")


def test_a_file_in_another_encoding_is_named_as_such(exported):
    exported["goals"][0]["title"] = "Fermeture accélérée"
    raw = json.dumps(exported, ensure_ascii=False).encode("latin-1")
    message = from_bytes(raw, "not UTF-8")
    assert "UTF-8" in message and "byte" in message


def test_deep_nesting_is_refused_before_it_is_parsed(exported):
    from_bytes(b"[" * 100_000 + b"]" * 100_000, f"nested more than {MAX_DEPTH} levels")
    exported["work_items"][0]["labels"] = json.loads("[" * 40 + "]" * 40)
    from_bytes(json.dumps(exported).encode(), "nested more than")


def test_an_integer_of_thousands_of_digits_is_refused(exported):
    text = json.dumps(exported).replace(
        '"anonymity_threshold": 5', '"anonymity_threshold": 1' + "0" * 5000
    )
    from_bytes(text.encode(), "not a workspace file")
    text = json.dumps(exported).replace(
        '"anonymity_threshold": 5', '"anonymity_threshold": 1' + "0" * 4000
    )
    from_bytes(text.encode(), "workspace.anonymity_threshold")


def test_nan_and_infinity_are_refused(exported):
    text = json.dumps(exported).replace('"anonymity_threshold": 5', '"anonymity_threshold": NaN')
    from_bytes(text.encode(), "NaN")


def test_the_cli_refuses_a_broken_file_without_a_traceback(db, tmp_path):
    for raw in (b"\xff\xfe{}", b"[" * 50_000, b'{"format": "truenorth.workspace", "version": 4}'):
        file = tmp_path / "bad.json"
        file.write_bytes(raw)
        result = CliRunner().invoke(main, ["import", "workspace", str(file)])
        assert result.exit_code == 1, result.output
        assert "nothing imported" in result.output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        )


def test_an_export_of_data_saved_before_the_bounds_says_what_it_cannot_carry(workspace, strategy):
    WorkItem.objects.filter(external_key="ENG-1").update(url="javascript:alert(1)")
    with pytest.raises(ExchangeError, match=r"work_items\.0\.url"):
        export_workspace(workspace)
    result = CliRunner().invoke(main, ["export", "--json", "-w", "acme"])
    assert result.exit_code == 1 and "cannot carry" in result.output


# --- A file at every bound still gives pages that work ---


def test_a_file_at_every_bound_imports_and_every_page_shows_it(exported, users, client):
    biggest = str(MAX_POINTS)
    for item in exported["work_items"]:
        item["points"] = biggest
        item["created_on"], item["resolved_on"] = "1900-01-01", f"{LAST_YEAR}-12-31"
        item["due_on"] = f"{LAST_YEAR}-12-31"
    for initiative in exported["initiatives"]:
        initiative["estimate_weeks"] = initiative["spent_weeks"] = biggest
        initiative["target_date"], initiative["actual_date"] = "1900-01-01", f"{LAST_YEAR}-12-31"
        initiative["title"] = "T" * Initiative._meta.get_field("title").max_length
    exported["workspace"]["anonymity_threshold"] = 50
    copy = import_workspace(exported, slug="copy", owner="outsider").workspace
    assert copy.work_items.first().points == Decimal(biggest)
    assert copy.initiatives.first().actual_date == date(LAST_YEAR, 12, 31)
    client.force_login(users["outsider"])
    for page in (
        "",
        "work/",
        "work/orphans/",
        "work/orphans.json",
        "roadmap/",
        "roadmap/overruns/",
        "roadmap/overruns.json",
        "alignment/",
        "alignment.json",
        "claims/",
    ):
        assert client.get(f"/w/copy/{page}").status_code == 200, page
    assert export_workspace(copy)["work_items"][0]["points"] == biggest


def test_people_of_the_file_are_people_not_logins(exported):
    copy = import_workspace(exported, slug="copy").workspace
    assert copy.people.count() == Person.objects.filter(workspace__slug="acme").count()
    assert not WaitingInvitation.objects.exclude(workspace=copy).exists()


def test_the_demo_passes_every_bound_and_moves_whole(db):
    demo = build_demo()
    exported = export_workspace(demo)
    imported = import_workspace(exported, slug="demo-copy")
    assert imported.invitations == len(exported["memberships"]) > 0
    again = export_workspace(imported.workspace)
    for data in (exported, again):
        data["workspace"]["slug"] = ""
    assert again == exported


def test_a_reference_to_nothing_is_named_by_its_path(exported):
    exported["work_items"][1]["team"] = "Nowhere"
    exported["people"][2]["manager"] = "nobody@acme.test"
    message = refused(exported, "work_items.1.team refers to team 'Nowhere'")
    assert "people.2.manager refers to person 'nobody@acme.test'" in message
