"""A list's filter that no record could match is a 400 naming it, as the docs say, not an empty
list: a check-in template nobody has, a goal period no year has, and a filter sent twice
(?team=1&team=2), of which only the last had been used."""

import pytest

from tests.api import caller

BASE = "/api/v1/workspaces/acme"


@pytest.fixture
def call(client, users):
    client.raise_request_exception = True
    return caller(client, users, BASE)


@pytest.mark.parametrize(
    "path, field",
    [
        ("/checkins?template=bogus", "template"),
        ("/goals?period=2027-H9", "period"),
        ("/people?team=1&team=2", "team"),
        ("/initiatives?status=planned&status=committed", "status"),
    ],
)
def test_a_filter_no_record_could_match_is_a_400_naming_it(workspace, users, call, path, field):
    answer = call("get", path, role="owner", scope="read")
    assert (answer.status_code, answer.json()["field"]) == (400, field), answer.json()


@pytest.mark.parametrize(
    "path",
    [
        "/checkins?template=alignment_pulse",
        "/checkins?template=back_brief",
        "/goals?period=2027-H2",
    ],
)
def test_a_filter_that_could_match_is_an_empty_list(workspace, users, call, path):
    answer = call("get", path, role="owner", scope="read")
    assert (answer.status_code, answer.json()["count"]) == (200, 0)


def test_the_refusal_says_which_value_is_wrong(workspace, users, call):
    assert "once" in call("get", "/people?team=1&team=2", scope="read").json()["detail"]
    period = call("get", "/goals?period=2027-H9", scope="read").json()["detail"]
    assert period == "period: A year has 2 halves: H1 to H2."
