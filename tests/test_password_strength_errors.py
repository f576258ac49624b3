"""A weak password is said to be weak beside the field it was chosen in, which a screen reader
then hears as invalid; the confirmation field says only whether the two matched. On every form
that chooses a password: changing one's own, an invitation's link, the first administrator's."""

import re

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from truenorth.workspaces import first_run

from .conftest import PASSWORD


def field(page: str, name: str) -> str:
    """The <input> of field `name`."""
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def error(page: str, name: str) -> str:
    found = re.search(rf'id="id_{name}_error">([^<]*)<', page)
    return found.group(1) if found else ""


def assert_strength_on(page: str, first: str, second: str) -> None:
    assert "too short" in error(page, first)
    assert 'aria-invalid="true"' in field(page, first)
    assert error(page, second) == ""
    assert "aria-invalid" not in field(page, second)


def test_changing_a_password_says_it_is_weak_on_the_new_password(client_for, users):
    weak = {"old_password": PASSWORD, "new_password1": "aisha", "new_password2": "aisha"}
    response = client_for("member").post("/password/change/", weak)
    assert response.status_code == 200
    assert_strength_on(response.content.decode(), "new_password1", "new_password2")


def test_two_passwords_that_differ_are_said_so_on_the_confirmation(client_for, users):
    typed = {"old_password": PASSWORD, "new_password1": "aisha", "new_password2": "aishb"}
    page = client_for("member").post("/password/change/", typed).content.decode()
    assert "didn’t match" in error(page, "new_password2")
    assert error(page, "new_password1") == ""


def test_an_invitations_link_says_it_is_weak_on_the_password(client, users):
    member = users["member"]
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    token = default_token_generator.make_token(member)
    form = client.get(f"/password/set/{uid}/{token}/", follow=True)
    url = form.redirect_chain[-1][0]
    response = client.post(url, {"new_password1": "aisha", "new_password2": "aisha"})
    assert response.status_code == 200
    assert_strength_on(response.content.decode(), "new_password1", "new_password2")


def test_the_first_administrator_is_told_on_the_password(db, client):
    answers = {"key": first_run.setup_key(), "username": "root", "email": "it@globex.test"}
    response = client.post("/setup/", answers | {"password1": "ro", "password2": "ro"})
    assert response.status_code == 400
    assert_strength_on(response.content.decode(), "password1", "password2")
