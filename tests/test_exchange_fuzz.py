"""The workspace import, fed mutations of a valid exported file: random JSON values in random
places, raw tokens no encoder writes (numbers of thousands of digits, lone surrogates, NaN,
deep nesting), truncation and flipped bytes. It imports, and the workspace it made exports
again; or it refuses with ExchangeError and the database is as it was. Nothing else escapes.

The default run tries a fixed, small number of examples, the same ones each time. A longer,
random run (docs/exchange.md):

    TRUENORTH_FUZZ=long .venv/bin/pytest tests/test_exchange_fuzz.py -p no:xdist \
        --hypothesis-show-statistics

TRUENORTH_FUZZ_EXAMPLES sets the number of examples of the long run (default 2000).
"""

import json
import os
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.fuzzing import fuzz_profile
from truenorth.claims.models import Claim
from truenorth.exchange import ExchangeError, export_workspace, import_workspace, read_json
from truenorth.roadmap.models import InitiativeChange, InitiativeMilestone, MilestoneChange
from truenorth.work.models import LinkSuggestion, TrackerMapping, WorkItem, WorkItemChange
from truenorth.workspaces.models import Membership, Person, Team, WaitingInvitation, Workspace

FUZZ = fuzz_profile("exchange-fuzz", ci_examples=60)

# Every table an import writes to: on a refusal, none of them may change.
TABLES = (
    Workspace,
    Team,
    Person,
    Membership,
    WaitingInvitation,
    WorkItem,
    WorkItemChange,
    LinkSuggestion,
    TrackerMapping,
    Claim,
    InitiativeChange,
    InitiativeMilestone,
    get_user_model(),
)
PLACEHOLDER = "\x01fuzz\x01"
# Values that each break something somewhere when nothing checks them.
NASTY_VALUES = [
    None,
    True,
    0,
    -1,
    1e6,
    2**63,
    1e308,
    "",
    "javascript:alert(1)",
    "0001-01-01",
    "9999-12-31T23:59:59Z",
    "2026-09-01T08:00:00",
    "x" * 25_000,
    "a\x00b",
    ["a"] * 200,
    {"initiative": 1, "goal": 1},
]
# Tokens no JSON encoder writes, spliced in as raw text.
RAW_TOKENS = [
    b"1" + b"0" * 5000,
    b"1" + b"0" * 4000,
    b"-1e999",
    b"NaN",
    b"Infinity",
    b'"\\ud800"',
    b'"\\udfff x"',
    b"[" * 3000 + b"]" * 3000,
    b'{"a":' * 100 + b"1" + b"}" * 100,
    b'"\xff\xfe"',
    b'"\xed\xa0\x80"',
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


@pytest.fixture
def exported(workspace, strategy, users):
    """A file with every kind of object in it, written by the export itself."""
    editor = users["editor"]
    now = timezone.now()
    initiative = strategy["initiatives"]["internal"]
    InitiativeChange.objects.create(
        initiative=initiative, field="status", old_value="planned", new_value="committed",
        changed_at=now, changed_by=editor,
    )  # fmt: skip
    beta = InitiativeMilestone.objects.create(
        initiative=initiative, name="beta", target_date=date(2026, 10, 1)
    )
    MilestoneChange.objects.create(
        milestone=beta, old_target=date(2026, 9, 1), new_target=date(2026, 10, 1),
        changed_at=now, changed_by=editor,
    )  # fmt: skip
    item = strategy["items"][1]
    WorkItem.objects.filter(pk=item.pk).update(
        url="https://jira.acme.test/ENG-2", points=3, labels=["close"], due_on=date(2026, 12, 1)
    )
    WorkItemChange.objects.create(item=item, field="status", new_value="Done", changed_at=now)
    LinkSuggestion.objects.create(
        item=item, initiative=initiative, score=61.5, decision="rejected", decided_at=now,
        decided_by=editor,
    )  # fmt: skip
    TrackerMapping.objects.create(
        workspace=workspace, field="label", value="close", goal=strategy["goals"][0]
    )
    Claim.objects.create(
        workspace=workspace, said_on=date(2026, 10, 1), account="Northwind",
        said_by=Person.objects.get(email="editor@acme.test"), text="Approve from Slack.",
        verdict="committed", initiative=initiative, initiative_title=initiative.title,
        initiative_status=initiative.status, score=72.0, matched=True, checked_at=now,
        runners_up=[{"initiative": initiative.pk, "title": initiative.title,
                     "status": initiative.status, "score": 55.0}],
        created_by=editor,
    )  # fmt: skip
    Person.objects.filter(email="member@acme.test").update(
        manager=Person.objects.get(email="editor@acme.test")
    )
    data = export_workspace(workspace)
    assert import_workspace(data, slug="fuzz-check").workspace.delete()  # it imports as is
    return data


def paths(value, prefix=()) -> list[tuple]:
    """Every place in a JSON value: the value itself and everything inside it."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


def at(data, path: tuple):
    for step in path:
        data = data[step]
    return data


def replaced(data, path: tuple, value):
    """A copy of `data` with the value at `path` replaced (deleted when `value` is ...)."""
    if not path:
        return value
    copy = json.loads(json.dumps(data))
    parent = at(copy, path[:-1])
    if value is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copy


@st.composite
def mutations(draw, data) -> bytes:
    places = paths(data)
    kind = draw(
        st.sampled_from(["value", "nasty", "raw", "delete", "extra key", "truncate", "bytes"])
    )
    place = draw(st.sampled_from(places))
    if kind == "value":
        return json.dumps(replaced(data, place, draw(json_values))).encode()
    if kind == "nasty":
        return json.dumps(replaced(data, place, draw(st.sampled_from(NASTY_VALUES)))).encode()
    if kind == "raw":
        text = json.dumps(replaced(data, place, PLACEHOLDER)).encode()
        return text.replace(json.dumps(PLACEHOLDER).encode(), draw(st.sampled_from(RAW_TOKENS)))
    if kind == "delete" and place:
        return json.dumps(replaced(data, place, ...)).encode()
    if kind == "extra key":
        place = draw(st.sampled_from([p for p in places if isinstance(at(data, p), dict)]))
        key = draw(st.text(max_size=10))
        return json.dumps(replaced(data, (*place, key), draw(json_values))).encode()
    raw = bytearray(json.dumps(data).encode())
    if kind == "truncate":
        return bytes(raw[: draw(st.integers(0, len(raw) - 1))])
    for _ in range(draw(st.integers(1, 8))):  # flip bytes
        flipped = draw(st.integers(0, len(raw) - 1))
        raw[flipped] = draw(st.integers(0, 255))
    return bytes(raw)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in TABLES)


def outcome(error: ExchangeError) -> str:
    """The kind of refusal, for the statistics of the long run."""
    return "refused: " + re.split(r"[:(]", str(error))[0].strip()


@settings(FUZZ)
@given(data=st.data())
def test_a_mutated_file_imports_whole_or_is_refused_whole(exported, data):
    raw = data.draw(mutations(exported), label="file")
    before = counts()
    try:
        imported = import_workspace(read_json(raw), slug="fuzz-copy")
    except ExchangeError as error:
        event(outcome(error))
        assert counts() == before, "a refused file left rows behind"
        return
    event("imported")
    export_workspace(imported.workspace)  # what imported can be written again
    imported.workspace.delete()  # the next example starts from the same database


def test_the_default_run_is_short():
    # The suite's own budget; the long run is the documented command above.
    assert os.environ.get("TRUENORTH_FUZZ") == "long" or FUZZ.max_examples <= 100
