"""Two check-ins asked at about the same time of audiences that differ by a few people.

Check-in A asks the Tiger team (3 people) and Sales (5), check-in B asks Sales only: each report
is safe on its own, but 8 × A's mean − 5 × B's mean is the Tiger team's answers. So a check-in
whose audience differs from a published one's by 1 to threshold − 1 people is never published
beside it (docs/privacy.md, Limits). Only check-ins near in time are compared: people's answers
move over weeks, and a quarterly pulse after a hire or two must still be publishable.
"""

from datetime import timedelta

from truenorth.checkins.models import BACK_BRIEF, CheckIn, Delivery

# Check-ins compared: those open at the same time, or within this long of each other. Answers
# given a month apart still restate much the same vision; a quarterly pulse is further apart.
NEAR = timedelta(days=30)


class WouldDisclose(Exception):
    """Publishing would let its figures be subtracted from another check-in's."""


def asked_people(checkin: CheckIn) -> set[int]:
    """The people it asked (its invitations that reached them or may yet), or before its first
    send the people it will ask."""
    invited = checkin.invitations.exclude(status=Delivery.FAILED).values_list("person_id")
    return {pk for (pk,) in invited} or set(checkin.audience().values_list("pk", flat=True))


def near_in_time(checkin: CheckIn):
    """The workspace's other check-ins open at the same time or within NEAR of it. A back-brief
    restates its own decision or update, which no other check-in asks about, so none is
    compared."""
    if checkin.template == BACK_BRIEF:
        return CheckIn.objects.none()
    return (
        checkin.workspace.checkins.exclude(pk=checkin.pk)
        .exclude(template=BACK_BRIEF)
        .filter(opens_at__lt=checkin.closes_at + NEAR, closes_at__gt=checkin.opens_at - NEAR)
        .order_by("opens_at", "pk")
    )


def too_close(checkin: CheckIn, published_only: bool = False) -> list[tuple[CheckIn, int]]:
    """The check-ins near in time whose audience differs from this one's by 1 to threshold − 1
    people, each with that number."""
    others = near_in_time(checkin)
    if published_only:
        others = others.filter(finalised_at__isnull=False)
    mine, found = asked_people(checkin), []
    for other in others:
        differ = len(mine ^ asked_people(other))
        if 0 < differ < max(checkin.threshold, other.threshold):
            found.append((other, differ))
    return found


def subtraction_in_words(other: CheckIn, differ: int) -> str:
    people = "1 person" if differ == 1 else f"{differ} people"
    whose = "that person's answers" if differ == 1 else f"those {differ} people's answers"
    return (
        f"its audience differs from “{other.title}” by {people}: publishing both would let "
        f"anyone subtract one from the other and read {whose}"
    )


def publication_refused(checkin: CheckIn) -> str:
    """Why its results cannot be published beside a published check-in, or ''."""
    for other, differ in too_close(checkin, published_only=True):
        return (
            f"“{checkin.title}” cannot be published: {subtraction_in_words(other, differ)}. "
            "Its answers stay unpublished."
        )
    return ""


def refuse_if_subtractable(checkin: CheckIn) -> None:
    """Raise WouldDisclose, naming the published check-in, when publishing this one beside it
    would give away a few people's answers."""
    if why := publication_refused(checkin):
        raise WouldDisclose(why)


def warnings(checkin: CheckIn) -> list[str]:
    """What to tell whoever chooses its audience, before it is sent: each check-in near in
    time whose audience differs from its own by a few people."""
    return [
        f"It{subtraction_in_words(other, differ)[2:]}, so only the first of the two "
        f"to be published can be. Ask the same people as “{other.title}”, or at least "
        f"{max(checkin.threshold, other.threshold)} more or fewer, before sending it."
        for other, differ in too_close(checkin)
    ]
