"""Personal API tokens: the account's tokens page, `truenorth token`, and what the API does with
a token that is unknown, revoked, expired or read-only."""

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.core.cache import cache
from django.utils import timezone

from truenorth.api.models import ApiToken, digest_of
from truenorth.cli import main

PAGE = "/account/tokens/"
GOALS = "/api/v1/workspaces/acme/goals"


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_it_makes_a_token_shows_it_once_and_stores_only_its_hash(client_for, users):
    client = client_for("viewer")
    answer = client.post(PAGE, {"name": "BI dashboard", "scope": "read", "expires_days": "30"})
    assert answer.status_code == 201  # an answer, not a redirect: nothing could show it later
    token = answer.context["token"]
    assert token.startswith("tn_") and token in answer.content.decode()
    row = ApiToken.objects.get(user=users["viewer"])
    assert row.digest == digest_of(token) and token not in (row.hint, row.digest)
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)
    listed = client.get(PAGE).content.decode()
    assert "BI dashboard" in listed and row.hint in listed and token not in listed
    assert client.get(GOALS, **bearer(token)).status_code == 200


def test_it_lists_only_the_logins_own_tokens_and_its_link_is_in_the_menu(client_for, users):
    ApiToken.issue(users["owner"], "Owner's sync")
    page = client_for("member").get(PAGE)
    assert page.status_code == 200
    assert "Owner&#x27;s sync" not in page.content.decode()
    assert 'href="/account/tokens/"' in page.content.decode()


def test_a_bad_form_is_a_400_and_the_page_needs_a_login(client, client_for, users):
    assert client.get(PAGE).status_code == 302
    answer = client_for("owner").post(PAGE, {"name": "", "scope": "admin", "expires_days": "7"})
    assert answer.status_code == 400
    assert set(answer.context["form"].errors) == {"name", "scope", "expires_days"}
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_and_only_its_owner_revokes_it(client_for, users):
    row, token = ApiToken.issue(users["editor"], "sync")
    url = f"{PAGE}{row.pk}/revoke/"
    confirmed = {"confirm": "yes"}
    assert client_for("owner").post(url, confirmed).status_code == 404  # another login's token
    assert client_for("editor").get(url).status_code == 405
    assert client_for("editor").post(url, confirmed).status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert client_for("editor").get(GOALS, **bearer(token)).status_code == 401


def test_revoke_asks_first_as_removing_a_login_does(client_for, users):
    row, token = ApiToken.issue(users["editor"], "HR sync 2")
    client = client_for("editor")
    page = client.get(PAGE).content.decode()
    asked = page.split('<details class="archive"><summary>Revoke…</summary>')[1]
    assert 'name="confirm" value="yes"' in asked.split("</details>")[0]
    assert "Revoke “HR sync 2”" in asked.split("</details>")[0]
    one_tap = client.post(f"{PAGE}{row.pk}/revoke/", follow=True)
    assert "Confirm revoking “HR sync 2” first." in one_tap.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is None
    assert client.get(GOALS, **bearer(token)).status_code == 200


def test_unknown_and_expired_tokens_are_401_read_tokens_cannot_write(client, users, strategy):
    assert client.get(GOALS, **bearer("tn_nothing")).status_code == 401
    assert client.get(GOALS).status_code == 401
    past = timezone.now() - timedelta(seconds=1)
    _, expired = ApiToken.issue(users["owner"], "old", expires_at=past)
    answer = client.get(GOALS, **bearer(expired))
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    _, read = ApiToken.issue(users["owner"], "read")
    body = {"title": "x", "why": "x", "why_now": "x", "metric": "x", "target": "x", "period": "x"}
    refused = client.post(GOALS, body, content_type="application/json", **bearer(read))
    assert refused.status_code == 403


def test_using_a_token_sets_when_it_was_last_used(client, users, strategy):
    row, token = ApiToken.issue(users["member"], "sync")
    assert row.last_used_at is None
    client.get(GOALS, **bearer(token))
    row.refresh_from_db()
    assert row.last_used_at is not None


def run(*args):
    return CliRunner().invoke(main, ["token", *args])


def test_the_cli_makes_lists_and_revokes_tokens(client, users, strategy):
    made = run("create", "--user", "viewer", "--name", "Nightly export", "--expires-days", "90")
    assert made.exit_code == 0, made.output
    token = next(line for line in made.output.splitlines() if line.startswith("tn_"))
    assert client.get(GOALS, **bearer(token)).status_code == 200
    listed = run("list", "--user", "viewer", "--json")
    rows = json.loads(listed.output)
    assert [(r["name"], r["scope"], r["state"]) for r in rows] == [
        ("Nightly export", "read", "active")
    ]
    assert token not in listed.output
    assert rows[0]["last_used_at"] is not None
    revoked = run("revoke", str(rows[0]["id"]))
    assert revoked.exit_code == 0 and "Revoked" in revoked.output
    assert client.get(GOALS, **bearer(token)).status_code == 401
    assert "revoked" in run("list", "--user", "viewer").output


@pytest.mark.parametrize(
    "args",
    [
        ["create", "--user", "nobody", "--name", "x"],
        ["create", "--user", "viewer", "--name", "x", "--scope", "admin"],
        ["create", "--user", "viewer", "--name", " "],
        ["create", "--user", "viewer", "--name", "x", "--expires-days", "0"],
        ["revoke", "123456"],
        ["revoke", str(2**64)],
    ],
)
def test_the_cli_refuses_bad_input_with_a_message(users, args):
    result = run(*args)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error" in result.output


def test_a_read_tokens_refused_writes_are_recorded_and_rate_limited(
    client, users, strategy, monkeypatch
):
    """Three writes refused to a read token had left "last used: never" on the token list, and
    were not counted against its rate."""
    monkeypatch.setattr("truenorth.api.auth.RATE_PER_MINUTE", 2)
    cache.clear()  # a token of an earlier test may have had the same id this minute
    row, read = ApiToken.issue(users["owner"], "read")
    answers = [
        client.post(GOALS, {}, content_type="application/json", **bearer(read)).status_code
        for _ in range(3)
    ]
    assert answers == [403, 403, 429]
    row.refresh_from_db()
    assert row.last_used_at is not None
