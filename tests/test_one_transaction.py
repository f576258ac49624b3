"""The suite's watch on each request's writes (tests/one_transaction.py) catches a request that
writes in pieces, and lets one that writes in one transaction pass."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from tests import one_transaction
from truenorth.workspaces.models import Team, Workspace


def two_teams(names: str) -> HttpResponse:
    workspace = Workspace.objects.get()
    for name in names.split():
        Team.objects.create(workspace=workspace, name=name)
    return HttpResponse("done")


def in_pieces(request):
    return two_teams("Ledger Payables")


def whole(request):
    with transaction.atomic():
        return two_teams("Treasury Tax")


urlpatterns = [path("pieces/", in_pieces), path("whole/", whole)]


@pytest.mark.urls("tests.test_one_transaction")
def test_a_request_that_writes_in_pieces_is_caught(client, workspace):
    client.get("/pieces/")
    caught = list(one_transaction.split)
    one_transaction.split.clear()  # else this test fails too, as every test that writes so
    assert caught == [
        "GET /pieces/ wrote workspaces_team, workspaces_dataversion, workspaces_team, "
        "workspaces_dataversion in pieces"
    ]
    client.get("/whole/")
    assert one_transaction.split == []
    assert Team.objects.count() == 4
