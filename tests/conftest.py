"""Shared fixtures: one small workspace with a login for every role, plus an outsider."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from tests import one_transaction
from truenorth.checkins.measure import analyze
from truenorth.decisions.actions import sort_unsorted
from truenorth.decisions.models import Comment
from truenorth.demo.build import build_demo
from truenorth.demo.content import LOGINS
from truenorth.demo.updates import with_check_in_results
from truenorth.notifications.events import held
from truenorth.roadmap.models import Initiative, Status, Visibility
from truenorth.strategy.models import Goal, Vision
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import Function, Membership, Person, Role, Team, Workspace

ROLES = [role.value for role in Role]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def workspace(db):
    return Workspace.objects.create(name="Acme", slug="acme")


@pytest.fixture
def team(workspace):
    parent = Team.objects.create(workspace=workspace, name="Engineering")
    return Team.objects.create(workspace=workspace, name="Platform", parent=parent)


def team_of(workspace, name: str, function: str, size: int) -> tuple[Team, list[Person]]:
    """A team of `size` people of one function, named "<name> 0"… and written to at
    <name>0@acme.test…, for tests that need groups of a known size."""
    team = Team.objects.create(workspace=workspace, name=name)
    address = name.lower().replace(" ", "")
    people = [
        Person.objects.create(
            workspace=workspace,
            name=f"{name} {i}",
            email=f"{address}{i}@acme.test",
            function=function,
            team=team,
        )
        for i in range(size)
    ]
    return team, people


@pytest.fixture
def users(workspace, team):
    """A login for each role, keyed by role name, and one 'outsider' in no workspace."""
    User = get_user_model()
    logins = {}
    for role in ROLES:
        user = User.objects.create_user(role, f"{role}@acme.test", PASSWORD)
        person = Person.objects.create(
            workspace=workspace,
            name=role.title(),
            email=user.email,
            function=Function.PARTNER if role == Role.PARTNER else Function.ENGINEERING,
            team=None if role == Role.PARTNER else team,
        )
        Membership.objects.create(workspace=workspace, user=user, role=role, person=person)
        logins[role] = user
    logins["outsider"] = User.objects.create_user("outsider", "out@else.test", PASSWORD)
    return logins


@pytest.fixture
def client_for(client, users):
    def login(role):
        client.force_login(users[role])
        return client

    return login


@pytest.fixture
def strategy(workspace, team):
    """A vision, two goals and an initiative of each visibility, with work items."""
    vision = Vision.objects.create(
        workspace=workspace,
        number=1,
        statement="Every finance team closes its books in 3 days.",
        destination="Month-end close in three days",
        measures_of_progress="Median close time",
        target_user="Finance controllers",
        user_benefit="Evenings back at month end",
        business_outcome="Net revenue retention above 115%",
        horizon="2028",
        created_at=timezone.now(),
    )
    goals = [
        Goal.objects.create(
            workspace=workspace,
            title=title,
            why="why",
            why_now="now",
            metric="metric",
            target="target",
            rank=rank,
            period="2026-H2",
        )
        for rank, title in enumerate(["Faster close", "Fewer manual touches"], start=1)
    ]
    initiatives = {
        v: Initiative.objects.create(
            workspace=workspace,
            title=f"{v.label} initiative",
            goal=goals[0],
            team=team,
            status=Status.PLANNED,
            visibility=v,
            target_date=date(2026, 12, 1),
        )
        for v in Visibility
    }
    items = [
        WorkItem.objects.create(
            workspace=workspace,
            external_key="ENG-1",
            title="Linked",
            initiative=initiatives[Visibility.INTERNAL],
        ),
        WorkItem.objects.create(workspace=workspace, external_key="ENG-2", title="Orphan chore"),
    ]
    return {"vision": vision, "goals": goals, "initiatives": initiatives, "items": items}


one_transaction.install()


@pytest.fixture(autouse=True)
def writes_in_one_transaction():
    """Every request of the test writes in one transaction, or in the steps its view is known
    to take (tests/one_transaction.py)."""
    one_transaction.split.clear()
    yield
    assert one_transaction.split == [], "a request wrote in pieces a crash could leave half done"


# Real hashing costs ~100 ms per login created (300 ms on a slow machine); the suite creates
# hundreds, and the demo five each time a module builds it.
def fast_hashing() -> override_settings:
    return override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(autouse=True)
def fast_password_hashing():
    with fast_hashing():
        yield


@pytest.fixture
def theme_computations(monkeypatch) -> list[int]:
    """The workspaces whose themes were computed (not read from the kept figures), in order:
    the real feedback.themes.compute, counted."""
    from truenorth.feedback import themes

    computed: list[int] = []
    real = themes.compute

    def counted(workspace, embedder=None):
        computed.append(workspace.pk)
        return real(workspace, embedder)

    monkeypatch.setattr(themes, "compute", counted)
    return computed


@pytest.fixture
def no_notifications():
    """For tests that count each person's messages: a check-in's own notification to its
    editors (tests/test_notifications*.py) would be one more in their inbox."""
    with held():
        yield


@pytest.fixture(scope="module")
def analysed_demo(django_db_setup, django_db_blocker):
    """The demo workspace with its latest pulse analysed, built once per test module.

    Pages that only read it share one build; outside a test's transaction nothing rolls back,
    so the workspace and its logins are deleted afterwards.
    """
    with django_db_blocker.unblock():
        with fast_hashing():
            workspace = build_demo(fresh=True)
        analyze(workspace.checkins.order_by("-opens_at").first())
        sort_unsorted(Comment.objects.filter(decision__workspace=workspace))  # as the CLI does
        with_check_in_results(workspace, timezone.localdate())  # and so is this
        yield workspace
        delete_demo(workspace)


@pytest.fixture(scope="module")
def built_demo(django_db_setup, django_db_blocker):
    """The demo workspace not analysed (for what needs no check-in results), built once per test
    module and deleted after it, as analysed_demo is."""
    with django_db_blocker.unblock():
        with fast_hashing():
            workspace = build_demo(fresh=True)
        yield workspace
        delete_demo(workspace)


def delete_demo(workspace: Workspace) -> None:
    """A module's demo gone, with its logins (outside a test's transaction nothing rolls back)."""
    workspace.delete()
    get_user_model().objects.filter(username__in=[u["username"] for u in LOGINS]).delete()


@pytest.fixture
def demo_client(client):
    """A test client logged in as the demo workspace's login with the given role."""

    def login(workspace, role):
        membership = Membership.objects.filter(workspace=workspace, role=role).first()
        client.force_login(membership.user)
        return client

    return login


@pytest.fixture
def no_key_configured(settings, tmp_path, monkeypatch):
    """No key set, and a data directory of this test's own; the data directory."""
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    settings.DATA_DIR = tmp_path
    # Set first, so that the test's end removes what `serve --demo` sets for its workers.
    monkeypatch.setenv("TRUENORTH_SECRET_KEY_FILE", "")
    monkeypatch.delenv("TRUENORTH_SECRET_KEY_FILE")
    return tmp_path
