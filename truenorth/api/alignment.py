"""The alignment dashboard's signals, for those who read check-in results (as its page): the
page's JSON twin (dashboard.views.alignment_twin), one object, not a list."""

from typing import Any

from django.http import Http404
from ninja import Field, Router, Schema

from truenorth.api.auth import ApiProblem
from truenorth.api.core import membership, responses
from truenorth.dashboard.views import alignment_twin
from truenorth.workspaces.access import RESULTS

router = Router(tags=["alignment"])


class AlignmentOut(Schema):
    """Each signal has its figure, trend, evidence and what it means in words."""

    threshold: int = Field(description="The fewest answers a group needs to be shown.")
    checkin: dict[str, Any] | None = Field(description="The check-in the company figures use.")
    source: dict[str, Any] | None
    groups: list[dict[str, Any]]
    individual: list[dict[str, Any]]
    team: list[dict[str, Any]]
    quiet_teams: list[str]
    say_do: dict[str, Any] | None
    open_decisions: list[dict[str, Any]]
    words_read_differently: list[dict[str, Any]] | None
    organisation: list[dict[str, Any]]
    market: list[dict[str, Any]]
    # The market level's detail (feedback.themes): null while no customer feedback is in.
    unaddressed_needs: list[dict[str, Any]] | None
    unasked_initiatives: list[dict[str, Any]] | None
    value_served: list[str] | None


@router.get("/workspaces/{slug}/alignment", response=responses(AlignmentOut))
def alignment(request, slug: str, team: str = "", sort: str = ""):
    """The four levels of alignment (individual, team, organisation, market) as the alignment
    dashboard shows them today; `team` narrows the team level to that team (404 if the page
    names no such team); `sort` (team.vision_fidelity, team.vision_coherence, work.orphans or
    roadmap.slipped) puts the teams furthest from good on that signal first, and teams with
    nothing to show on it last."""
    try:
        return alignment_twin(membership(request, slug, RESULTS).workspace, team, sort)
    except LookupError as missing:
        raise Http404(str(missing)) from None
    except ValueError as wrong:
        raise ApiProblem(400, "Invalid sort", str(wrong), "sort") from None
