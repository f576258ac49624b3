"""Every importer, fed mutations of a valid file: it imports, or it refuses with its own error
and leaves the database as it was. Nothing else may escape.

The default run tries a fixed, small number of examples per importer, the same ones each time.
A longer, random run (docs/imports.md):

    TRUENORTH_FUZZ=long .venv/bin/pytest tests/test_import_fuzz.py -p no:xdist \
        --hypothesis-show-statistics

TRUENORTH_FUZZ_EXAMPLES sets the number of examples per importer of the long run (default 2000).
"""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_profile
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.imports import import_responses
from truenorth.checkins.models import Answer, Response
from truenorth.claims.imports import import_claims
from truenorth.claims.models import Claim
from truenorth.roadmap import imports as roadmap
from truenorth.roadmap.models import Initiative, InitiativeChange, RoadmapStatusMapping
from truenorth.tabular import ImportFailed
from truenorth.work.imports import import_work_items
from truenorth.work.models import WorkItem, WorkItemChange
from truenorth.workspaces.models import Person, Team
from truenorth.workspaces.people_import import import_people

FUZZ = fuzz_profile("import-fuzz", ci_examples=150)

TRACKERS = Path("tests/data/trackers")
SAMPLES = {
    "workitems-csv": Path("tests/data/workitems.csv").read_bytes(),
    "jira-csv": (TRACKERS / "jira.csv").read_bytes(),
    "linear-csv": (TRACKERS / "linear.csv").read_bytes(),
    "github-json": (TRACKERS / "github-rest.json").read_bytes(),
    "roadmap": b"key,title,problem,goal,status,partner visible,target date\n"
    b'R-1,Bank feeds,"Manual uploads,\nevery day",#1,committed,yes,2026-12-01\n'
    b"R-2,Auto-match,,,exploring,no,Q4 2026\n",
    "claims": b"date,account,said_by,text,source\n"
    b"2026-10-01,Northwind,editor@acme.test,Approvers approve invoices from Slack,call\n"
    b'2026-10-12,"Globex, Inc",Pat Outside,"Suppliers upload invoices, ""soon""",deck\n',
    "responses": b"email,function,team,vision,priorities,purpose,direction,comment\n"
    b"member@acme.test,,,Close in three days,Faster close,Sync matters,5,\n"
    b',sales,Platform,Cheapest AP tool,Win deals,Quota,4,"Love it,\nreally"\n',
    "people": b"Full Name,Work Email,Department,Team,Manager Email,Job Title,Role\n"
    b"Ada Lovelace,ada@acme.test,Engineering,Platform,grace@acme.test,Staff engineer,\n"
    b"Grace Hopper,grace@acme.test,Leadership,,,CTO,owner\n",
}
WORK_MAPPING = {
    "key": "Issue key",
    "title": "Summary",
    "status": "Status",
    "points": "Story Points",
    "created": "Created",
    "resolved": "Resolved",
    "url": "Link",
    "team": "Team",
    "initiative": "Epic",
}
# Every table an importer writes to: on a refusal, none of them may change.
TABLES = (
    WorkItem,
    WorkItemChange,
    Initiative,
    InitiativeChange,
    RoadmapStatusMapping,
    Claim,
    Response,
    Answer,
    Person,
    Team,
)


def stream_of(data: bytes | str):
    """As the pages and the CLI hand a file over: text read through a declared encoding."""
    if isinstance(data, str):
        return io.StringIO(data)
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def text_of(data: bytes | str) -> str:
    return roadmap.decode(data) if isinstance(data, bytes) else data


def run_importer(name: str, context: dict, data: bytes | str) -> None:
    workspace = context["workspace"]
    if name == "workitems-csv":
        import_work_items(workspace, stream_of(data), WORK_MAPPING)
    elif name in ("jira-csv", "linear-csv", "github-json"):
        import_work_items(workspace, stream_of(data), file_format=name)
    elif name == "auto":
        import_work_items(workspace, stream_of(data), file_format="auto")
    elif name == "roadmap":
        roadmap.import_roadmap(workspace, text_of(data), statuses={"Delivery": "in_progress"})
    elif name == "claims":
        import_claims(workspace, stream_of(data))
    elif name == "responses":
        import_responses(context["pulse"], stream_of(data))
    elif name == "people":
        import_people(workspace, stream_of(data))


# Mutations of a valid file


def position(draw, data: bytearray) -> int:
    return draw(st.integers(0, len(data)))


def insert(draw, data: bytearray, piece: bytes) -> bytearray:
    at = position(draw, data)
    return data[:at] + piece + data[at:]


def flip_byte(draw, data):
    if not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    data[at] = draw(st.integers(0, 255))
    return data


def add_quote(draw, data):
    return insert(draw, data, draw(st.sampled_from([b'"', b'""', b'"\n', b',"'])))


def truncate(draw, data):
    return data[: position(draw, data)]


def add_text(draw, data):
    return insert(draw, data, draw(st.text(max_size=12)).encode("utf-8", "surrogatepass"))


def add_oddity(draw, data):
    odd = [
        b"\x00",
        b"\xff",
        b"\xe9",
        b"\xed\xa0\x80",
        b"\r",
        b"\n",
        b",",
        b";",
        b"\t",
        b"\xef\xbb\xbf",
    ]
    return insert(draw, data, draw(st.sampled_from(odd)))


def add_huge_number(draw, data):
    digits = draw(st.integers(20, 6000))
    return insert(draw, data, draw(st.sampled_from([b"9", b"1", b"-1"])) * digits)


def add_long_field(draw, data):
    size = draw(st.sampled_from([301, 2_001, 70_000, 300_000]))
    return insert(draw, data, draw(st.sampled_from([b"x", b"\n", b"x\n", b" "])) * size)


def repeat_a_part(draw, data):
    at = position(draw, data)
    part = data[at : at + draw(st.integers(1, 80))]
    return data[:at] + part * draw(st.integers(2, 50)) + data[at:]


def reencode(draw, data):
    codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]))
    return bytearray(data.decode("utf-8", "replace").encode(codec, "replace"))


def random_bytes(draw, data):
    return bytearray(draw(st.binary(max_size=300)))


MUTATIONS = [
    flip_byte,
    add_quote,
    truncate,
    add_text,
    add_oddity,
    add_huge_number,
    add_long_field,
    repeat_a_part,
    reencode,
    random_bytes,
]


@st.composite
def mutated(draw, sample: bytes) -> bytes | str:
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 3))):
        data = draw(st.sampled_from(MUTATIONS))(draw, data)
    if draw(st.integers(0, 9)) == 0:
        # Text that no UTF-8 file can hold (a lone surrogate), as a Python caller could pass.
        text = bytes(data).decode("utf-8", "replace")
        at = draw(st.integers(0, len(text)))
        odd = draw(st.sampled_from(["\ud800", "\udfff", "\x00", "\u2028", "\x85"]))
        return text[:at] + odd + text[at:]
    return bytes(data)


# Random JSON for the JSON format

GITHUB_KEYS = [
    "number",
    "title",
    "state",
    "labels",
    "html_url",
    "url",
    "repository_url",
    "created_at",
    "closed_at",
    "createdAt",
    "milestone",
    "type",
    "pull_request",
    "items",
    "message",
    "name",
    "due_on",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["2025-11-21", "\ud800", "\x00", "9" * 5000]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(GITHUB_KEYS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)


@st.composite
def random_json(draw) -> bytes:
    shape = draw(st.integers(0, 3))
    if shape == 0:
        depth = draw(st.integers(100, 200_000))
        return draw(st.sampled_from([b"[", b'{"items":', b"[{}, "])) * depth
    if shape == 1:
        digits = draw(st.integers(4000, 20_000))
        return b'[{"number": ' + b"7" * digits + b', "title": "x"}]'
    items = st.dictionaries(st.sampled_from(GITHUB_KEYS), json_values, max_size=8)
    data = draw(st.lists(items, max_size=4) if shape == 2 else json_values)
    return json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


def inputs(name: str):
    if name == "github-json":
        return mutated(SAMPLES[name]) | random_json()
    if name == "auto":
        return st.one_of(*(mutated(SAMPLES[n]) for n in ("jira-csv", "linear-csv", "github-json")))
    return mutated(SAMPLES[name])


# The test


@pytest.fixture
def context(workspace, team, users, strategy):
    now = timezone.now()
    pulse = create_alignment_pulse(workspace, "Pulse", now - timedelta(days=9), now)
    return {"workspace": workspace, "pulse": pulse}


def counts() -> dict[str, int]:
    return {table.__name__: table.objects.count() for table in TABLES}


@pytest.mark.parametrize("name", [*SAMPLES, "auto"])
def test_an_importer_imports_or_refuses_with_its_own_error(name, context):
    outcomes = {"imported": 0, "refused": 0}

    @FUZZ
    @given(data=inputs(name))
    def imports_or_refuses(data):
        # Each example starts from the same database: its changes are rolled back after it.
        with transaction.atomic():
            before = counts()
            try:
                run_importer(name, context, data)
                outcomes["imported"] += 1
            except (ImportFailed, roadmap.ImportFailed):
                assert counts() == before, "a refused file changed the database"
                outcomes["refused"] += 1
            transaction.set_rollback(True)

    imports_or_refuses()
    # The long run's figures (pytest -s shows them): how many files each importer was fed.
    print(f"\nfuzz {name}: {sum(outcomes.values())} examples, {outcomes}")


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_imports(name, context):
    """The mutations start from files that import: a refusal is the mutation's doing."""
    before = counts()
    run_importer(name, context, SAMPLES[name])
    assert counts() != before
