"""Rituals in the workspace file: each with its attendees, and the occurrences something
happened to (notes, decisions, ratings), out and in. Calendar feeds are secrets of this server
and stay with it: the importing server's people make their own."""

from truenorth.exchange.schema import OccurrenceIn, RitualIn
from truenorth.rituals.models import Attendance, Occurrence, Ritual

PLAIN = set(RitualIn.model_fields) - {"owner", "people", "teams", "occurrences"}
OCCURRENCE_PLAIN = set(OccurrenceIn.model_fields) - {"decisions", "attendances"}


def rituals_out(workspace) -> list[dict]:
    rituals = (
        workspace.rituals.order_by("number")
        .select_related("owner")
        .prefetch_related(
            "people", "teams", "occurrences__decisions", "occurrences__attendances__person"
        )
    )
    return [
        dict(
            {name: getattr(ritual, name) for name in PLAIN},
            owner=ritual.owner.email if ritual.owner_id else None,
            people=[p.email for p in ritual.people.all()],
            teams=[t.name for t in ritual.teams.all()],
            occurrences=[occurrence_out(o) for o in ritual.occurrences.all()],
        )
        for ritual in rituals
    ]


def occurrence_out(occurrence: Occurrence) -> dict:
    return dict(
        {name: getattr(occurrence, name) for name in OCCURRENCE_PLAIN},
        decisions=sorted(d.number for d in occurrence.decisions.all()),
        # Who came, never what each said of it: nobody reads another's "worth it?", the owner
        # who exports included, so the ratings stay on the server that collected them.
        attendances=[
            dict(person=a.person.email, attended=a.attended)
            for a in sorted(occurrence.attendances.all(), key=lambda a: a.person.email)
        ],
    )


def import_rituals(workspace, rows: list[RitualIn], people: dict, teams: dict) -> None:
    """References were checked when the file was read."""
    decisions = {d.number: d for d in workspace.decisions.all()}
    for row in rows:
        values = row.model_dump(include=PLAIN)
        created_at = values.pop("created_at")
        ritual = Ritual.objects.create(
            workspace=workspace, owner=people[row.owner] if row.owner else None, **values
        )
        if created_at is not None:  # auto_now_add set it on insert
            Ritual.objects.filter(pk=ritual.pk).update(created_at=created_at)
        ritual.people.set(people[email] for email in row.people)
        ritual.teams.set(teams[name] for name in row.teams)
        for o in row.occurrences:
            occurrence = Occurrence.objects.create(
                ritual=ritual, **o.model_dump(include=OCCURRENCE_PLAIN)
            )
            occurrence.decisions.set(decisions[number] for number in o.decisions)
            Attendance.objects.bulk_create(
                Attendance(
                    occurrence=occurrence,
                    person=people[a.person],
                    **a.model_dump(exclude={"person"}),
                )
                for a in o.attendances
            )
