"""A new server's first administrator, chosen in the browser with the link the server printed:
the link opens the page only with this server's key and only while no administrator exists,
the password passes the same validators as everywhere, and the login page of an empty server
says where to start."""

from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.views.debug import SafeExceptionReporterFilter

from truenorth.cli import main
from truenorth.workspaces import first_run
from truenorth.workspaces.setup_views import setup

PAGE = "/setup/"
PASSWORD = "correct-horse-battery"


def answers(key: str, **more) -> dict:
    fields = {"key": key, "username": "root", "email": "it@globex.test"}
    return fields | {"password1": PASSWORD, "password2": PASSWORD} | more


def test_the_setup_link_makes_the_first_administrator_and_logs_them_in(db, client):
    response = client.post(PAGE, answers(first_run.setup_key()), follow=True)
    root = get_user_model().objects.get(username="root")
    assert root.is_staff and root.is_superuser and root.check_password(PASSWORD)
    assert root.email == "it@globex.test"
    page = response.content.decode()
    assert "You are this server&#x27;s administrator, root." in page
    assert "Set the mail server</a>" in page and "Create a workspace</a>" in page
    assert response.wsgi_request.user == root


def test_a_wrong_key_makes_no_one(db, client):
    response = client.post(PAGE, answers("0" * 32))
    assert response.status_code == 400
    assert "This is not the setup key this server printed." in response.content.decode()
    assert not get_user_model().objects.exists()


def test_the_password_passes_the_validators(db, client):
    weak = answers(first_run.setup_key(), password1="12345678", password2="12345678")
    response = client.post(PAGE, weak)
    assert response.status_code == 400
    assert "This password is too common." in response.content.decode()
    assert not get_user_model().objects.exists()


def test_once_an_administrator_exists_the_link_opens_nothing(db, client):
    get_user_model().objects.create_user("ada", "ada@globex.test", PASSWORD, is_staff=True)
    assert first_run.setup_invitation("http://x.test") is None
    response = client.post(PAGE, answers(first_run.setup_key(), username="mallory"))
    assert "This server has an administrator already" in response.content.decode()
    assert not get_user_model().objects.filter(username="mallory").exists()
    assert 'id="setup"' not in client.get(PAGE).content.decode()


def test_an_inactive_administrator_does_not_count(db, client):
    get_user_model().objects.create_user("old", "old@globex.test", is_staff=True, is_active=False)
    assert client.get(PAGE).status_code == 200


def test_the_key_is_the_secret_keys_and_never_in_the_page(db, client, settings):
    key = first_run.setup_key()
    page = client.get(PAGE).content.decode()
    assert key not in page and 'type="password" name="key"' in page  # typed, not shown
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert first_run.setup_key() != key


def test_the_login_page_of_an_empty_server_says_where_to_start(db, client):
    assert "This server has no login yet." in client.get("/login/").content.decode()
    get_user_model().objects.create_user("ada", "ada@globex.test", PASSWORD)
    assert "This server has no login yet." not in client.get("/login/").content.decode()


def test_the_command_line_prints_the_link_again_until_there_is_an_administrator(db, settings):
    settings.SITE_URL = "https://truenorth.globex.test/"
    public = CliRunner().invoke(main, ["user", "setup-link"])  # its key would not be the server's
    assert public.exit_code == 1 and "does not make a setup link" in public.output
    settings.SECRET_KEY = "a-key-of-this-server-only-" + "k" * 30
    printed = CliRunner().invoke(main, ["user", "setup-link"])
    assert printed.exit_code == 0, printed.output
    assert printed.output == f"https://truenorth.globex.test/setup/#{first_run.setup_key()}\n"
    get_user_model().objects.create_user("ada", "ada@globex.test", PASSWORD, is_staff=True)
    refused = CliRunner().invoke(main, ["user", "setup-link"])
    assert refused.exit_code == 1
    assert "this server has an administrator already" in refused.output


def test_an_error_report_would_hide_the_key_and_passwords(db, rf):
    request = rf.post(PAGE, answers("k" * 32))
    request.user = AnonymousUser()
    setup(request)
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    assert {shown[field] for field in ("key", "password1", "password2")} == {"********************"}
    assert shown["username"] == "root"


def test_the_setup_page_shows_the_command_as_code(db, client):
    page = client.get(PAGE).content.decode()
    assert "<code>truenorth user setup-link</code> prints it again" in page
    assert "`" not in page


def test_a_demo_server_writes_no_setup_link_to_its_log(db):
    """Its console is most often a log others read; the demo needs no administrator."""
    served = first_run.setup_invitation("http://x.test")
    assert first_run.setup_key() in served
    demo = first_run.setup_invitation("http://x.test", demo=True)
    assert first_run.setup_key() not in demo and "/setup/" not in demo
    assert "`truenorth user setup-link` prints the link" in demo
