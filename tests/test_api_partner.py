"""A partner's token reads nothing internal through any operation of /api/v1/, and a member's
token no check-in results. The operations come from the API's own schema, so a resource added
later is covered without touching this file; what is internal comes from the database."""

import itertools
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from truenorth.api.models import ApiToken
from truenorth.checkins.models import CheckIn
from truenorth.decisions.models import Decision
from truenorth.glossary.models import Term
from truenorth.rituals.models import Ritual
from truenorth.roadmap.models import SHARED_OUTSIDE, Initiative
from truenorth.strategy.models import Goal
from truenorth.updates.models import Update
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import Membership, Person, Team

pytestmark = pytest.mark.django_db

SCHEMA = "/api/v1/openapi.json"
PARAM = re.compile(r"{(\w+)}")
# Operations that read check-in results, which a member may not read (as on the pages).
RESULTS = re.compile(r"/(report|results)\b")


def operations(client) -> list[tuple[str, dict]]:
    schema = client.get(SCHEMA).json()
    return [
        (path, spec["get"])
        for path, spec in sorted(schema["paths"].items())
        if "get" in spec and path != SCHEMA
    ]


def ids_of(workspace) -> list[int]:
    """Ids and numbers of the workspace's objects, internal ones first: whatever an `{id}` or
    `{number}` names, these include the internal objects a partner must not reach."""
    internal = Initiative.objects.filter(workspace=workspace).exclude(visibility__in=SHARED_OUTSIDE)
    unshared = Decision.objects.filter(workspace=workspace, shared_with_partners=False)
    drafts = Update.objects.filter(workspace=workspace, published_at__isnull=True)
    found = [
        *internal.values_list("pk", flat=True),
        *unshared.values_list("number", flat=True),
        *unshared.values_list("pk", flat=True),
        *drafts.values_list("number", flat=True),
        *Goal.all_objects.filter(workspace=workspace).values_list("pk", flat=True),
        *CheckIn.objects.filter(workspace=workspace).values_list("pk", flat=True),
        *Ritual.objects.filter(workspace=workspace).values_list("number", flat=True),
        *Term.all_objects.filter(workspace=workspace).values_list("pk", flat=True),
        *Person.objects.filter(workspace=workspace).values_list("pk", flat=True)[:20],
        *Team.objects.filter(workspace=workspace).values_list("pk", flat=True),
        *WorkItem.objects.filter(workspace=workspace).values_list("pk", flat=True)[:20],
        *Initiative.objects.filter(workspace=workspace).values_list("pk", flat=True),
        *Decision.objects.filter(workspace=workspace).values_list("number", flat=True),
        *Update.objects.filter(workspace=workspace).values_list("number", flat=True),
    ]
    return list(dict.fromkeys(found))


def values_for(name: str, spec: dict, workspace, ids: list[int]) -> list[str]:
    """What to try for one path parameter, from its schema and the demo."""
    schema = spec.get("schema", {})
    if name == "slug":
        return [workspace.slug]
    if "enum" in schema:
        return [str(v) for v in schema["enum"]]
    if schema.get("format") == "date":
        today = timezone.localdate()
        return [(today + timedelta(days=n)).isoformat() for n in range(-14, 15)]
    if schema.get("type") == "integer":
        return [str(i) for i in ids]
    return ["1"]


def urls(path: str, operation: dict, workspace, ids: list[int]) -> list[str]:
    params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
    names = PARAM.findall(path)
    numeric = [n for n in names if params[n].get("schema", {}).get("type") == "integer"]
    # Two ids in one path: fewer of each, so the product stays small.
    few = ids if len(numeric) < 2 else ids[:15]
    choices = [values_for(n, params[n], workspace, few) for n in names]
    found = []
    for values in itertools.product(*choices):
        url = path
        for name, value in zip(names, values, strict=True):
            url = url.replace("{" + name + "}", value)
        found.append(url)
    return found


def secrets_of(workspace, partner: Person) -> list[str]:
    """What no answer to a partner may hold: internal initiatives' titles, goals' titles,
    unshared decisions' titles, and every other person's name and email. A secret that is part
    of something shared with partners (a shared title containing an internal one) is left out:
    it would be found in what they may read."""
    internal = Initiative.objects.filter(workspace=workspace).exclude(visibility__in=SHARED_OUTSIDE)
    unshared = Decision.objects.filter(workspace=workspace, shared_with_partners=False)
    people = Person.objects.filter(workspace=workspace).exclude(pk=partner.pk)
    secrets = [
        *internal.values_list("title", flat=True),
        *Goal.all_objects.filter(workspace=workspace).values_list("title", flat=True),
        *unshared.values_list("title", flat=True),
        *people.values_list("name", flat=True),
        *people.exclude(email="").values_list("email", flat=True),
    ]
    shared_titles = [
        *Initiative.objects.filter(workspace=workspace, visibility__in=SHARED_OUTSIDE).values_list(
            "title", flat=True
        ),
        *Decision.objects.filter(workspace=workspace, shared_with_partners=True).values_list(
            "title", flat=True
        ),
    ]
    return [
        s for s in set(secrets) if len(s) >= 4 and not any(s in shown for shown in shared_titles)
    ]


def bearer(workspace, role: str) -> tuple[dict, Membership]:
    member = Membership.objects.select_related("person").get(workspace=workspace, role=role)
    token = ApiToken.issue(member.user, f"{role} test")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}, member


def test_a_partner_token_reads_nothing_internal_through_any_operation(client, built_demo):
    headers, partner = bearer(built_demo, "partner")
    secrets = secrets_of(built_demo, partner.person)
    assert len(secrets) > 20, "the demo has internal initiatives, goals and people"
    ids = ids_of(built_demo)
    called = answered = 0
    internal_ids = set(
        Initiative.objects.filter(workspace=built_demo)
        .exclude(visibility__in=SHARED_OUTSIDE)
        .values_list("pk", flat=True)
    )
    for path, operation in operations(client):
        for url in urls(path, operation, built_demo, ids):
            response = client.get(url, **headers)
            called += 1
            assert response.status_code < 500, (url, response.content[:500])
            if response.status_code != 200:
                continue
            answered += 1
            body = response.content.decode()
            leaked = [s for s in secrets if s in body]
            assert not leaked, f"{url} shows a partner {leaked[:3]}"
            if "/initiatives/" in path:
                pk = int(url.rstrip("/").rsplit("/", 1)[-1])
                assert pk not in internal_ids, f"{url} answered a partner"
    assert called > 100 and answered > 3, (called, answered)


def test_a_member_token_reads_no_check_in_results(client, built_demo):
    headers, _ = bearer(built_demo, "member")
    results = [(p, o) for p, o in operations(client) if RESULTS.search(p)]
    if not results:
        pytest.skip("no check-in results operation in the schema yet")
    checkins = list(CheckIn.objects.filter(workspace=built_demo).values_list("pk", flat=True))
    for path, operation in results:
        for url in urls(path, operation, built_demo, checkins):
            response = client.get(url, **headers)
            assert response.status_code == 403, (url, response.status_code)
