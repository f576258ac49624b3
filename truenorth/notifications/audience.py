"""Who hears a notification by email.

By default (DEFAULTS):

- check-in opened or closing: the workspace's editors and owners (logins with a person);
- results ready: those who may read results: owners, editors and viewers with a person;
- decision made, or reversed: its owner, deciders, consulted and informed;
- over-promise found: sales and leadership;
- committed initiative slipped: leadership (executives hear early), the initiative's team's
  people in leadership or product, and whoever told a customer it was committed (a claim
  judged committed on it names them as said by);
- update published: everyone internal with a login: its notice is a link to the update's page,
  which only a login opens (the update itself reaches everyone when it is sent).

A Preference row overrides the default for its person and event, either way, except that an
event whose page only some logins open is told to those logins alone (READ_BY). Partners (a
partner's login, a person whose function or role is partner) never hear of any of these, and
nor do people who left (inactive) or have no email.
"""

from django.db.models import Q, QuerySet

from truenorth.notifications.models import Event, Notification, Preference
from truenorth.workspaces.models import Function, Person, Role, Workspace

STEERING = (Role.OWNER, Role.EDITOR)
RESULTS = (Role.OWNER, Role.EDITOR, Role.VIEWER)
INTERNAL_LOGINS = (Role.OWNER, Role.EDITOR, Role.MEMBER, Role.VIEWER)


# Events whose page only some roles open: nobody else hears of one, even having ticked it,
# since its link would lead a member to a 403 ("results ready"). Someone with no login may
# still ask for an update's notice, to be told before the update is sent.
READ_BY = {
    Event.CHECKIN_OPENED: RESULTS,
    Event.CHECKIN_CLOSING: RESULTS,
    Event.RESULTS_READY: RESULTS,
}
READERS_IN_WORDS = {RESULTS: "for logins that read check-in results (owners, editors, viewers)"}

# What a choice covers besides the event's notification (updates.delivery heeds it).
ALSO = {
    Event.UPDATE_PUBLISHED.value: "It covers the update itself too: with None, you get neither "
    "this notice nor the update when it is sent by email."
}


def internal_people(workspace: Workspace) -> QuerySet[Person]:
    """Active people with an email who are not partners."""
    partner_logins = workspace.memberships.filter(role=Role.PARTNER, person__isnull=False)
    partners = Q(function=Function.PARTNER) | Q(role=Role.PARTNER)
    partners |= Q(pk__in=partner_logins.values("person_id"))
    return workspace.people.filter(active=True).exclude(email="").exclude(partners)


def with_login(workspace: Workspace, roles) -> Q:
    logins = workspace.memberships.filter(role__in=roles, person__isnull=False)
    return Q(pk__in=logins.values("person_id"))


def by_default(notification: Notification) -> Q:
    """The people who hear this notification with no preference said."""
    workspace, event = notification.workspace, notification.event
    if event in (Event.CHECKIN_OPENED, Event.CHECKIN_CLOSING):
        return with_login(workspace, STEERING)
    if event == Event.RESULTS_READY:
        return with_login(workspace, RESULTS)
    if event in (Event.DECISION_MADE, Event.DECISION_REVERSED):
        return decision_people(notification)
    if event == Event.OVER_PROMISE:
        return Q(function__in=[Function.SALES, Function.LEADERSHIP])
    if event == Event.COMMITTED_SLIP:
        owners = Q(function__in=[Function.LEADERSHIP, Function.PRODUCT], team=notification.team)
        leaders = Q(function=Function.LEADERSHIP) | (owners if notification.team else Q(pk=None))
        return leaders | promised_by(notification)
    if event == Event.UPDATE_PUBLISHED:
        return with_login(workspace, INTERNAL_LOGINS)
    return Q(pk=None)


def decision_people(notification: Notification) -> Q:
    """The decision's owner, deciders, consulted and informed (its key holds its id)."""
    decision_id = notification.key.split(":")[1]
    decision = notification.workspace.decisions.filter(pk=decision_id).first()
    if decision is None:
        return Q(pk=None)
    ids = {decision.owner_id} - {None}
    for people in (decision.deciders, decision.consulted, decision.informed):
        ids.update(people.values_list("pk", flat=True))
    return Q(pk__in=ids)


def promised_by(notification: Notification) -> Q:
    """Those who told a customer the slipped initiative was committed (its key holds its id):
    they are the ones the customer will ask. Other sales people do not hear of every slip."""
    initiative_id = notification.key.split(":")[1]
    claims = notification.workspace.claims.filter(
        initiative_id=initiative_id, matched=True, verdict="committed"
    )
    return Q(pk__in=claims.exclude(said_by=None).values("said_by_id"))


def recipients(notification: Notification) -> list[Person]:
    """Everyone who hears it by email: the default, less those who said no, plus those who
    said yes; never a partner, someone who left, or someone with no email."""
    event = notification.event
    choices = Preference.objects.filter(event=event, person__workspace=notification.workspace)
    said_yes = choices.filter(by_email=True).values("person_id")
    said_no = choices.filter(by_email=False).values("person_id")
    chosen = (by_default(notification) & ~Q(pk__in=said_no)) | Q(pk__in=said_yes)
    chosen &= readers(notification.workspace, event)
    return list(internal_people(notification.workspace).filter(chosen).order_by("name", "pk"))


def readers(workspace: Workspace, event: str) -> Q:
    """Who may hear of the event at all (READ_BY); everyone when its page is everyone's."""
    roles = READ_BY.get(event)
    return with_login(workspace, roles) if roles else Q()


def may_hear(person: Person, event: str) -> bool:
    """Whether the person's login opens the event's page; no query for an everyone's page."""
    roles = READ_BY.get(event)
    return (
        roles is None or person.workspace.memberships.filter(person=person, role__in=roles).exists()
    )


# What a person hears of, for each kind of event: every one, none, or those they are involved in
# (a decision they own, decide, are consulted on or informed of; a slip of their team's
# initiative, or one they told a customer of). No Preference row means the default.
ALL, NONE, INVOLVED = "all", "none", "involved"


def defaults(person: Person) -> dict[str, str]:
    """What the person hears of, each kind of event, with no choice saved: by_default, for one
    person rather than one notification."""
    workspace = person.workspace
    if not internal_people(workspace).filter(pk=person.pk).exists():
        return dict.fromkeys(Event.values, NONE)
    roles = set(workspace.memberships.filter(person=person).values_list("role", flat=True))
    hears = {
        Event.CHECKIN_OPENED: bool(roles & set(STEERING)),
        Event.CHECKIN_CLOSING: bool(roles & set(STEERING)),
        Event.RESULTS_READY: bool(roles & set(RESULTS)),
        Event.OVER_PROMISE: person.function in (Function.SALES, Function.LEADERSHIP),
        Event.UPDATE_PUBLISHED: bool(roles & set(INTERNAL_LOGINS)),
    }
    found = {event: ALL if hears.get(event) else NONE for event in Event.values}
    found[Event.DECISION_MADE] = found[Event.DECISION_REVERSED] = INVOLVED
    found[Event.COMMITTED_SLIP] = ALL if person.function == Function.LEADERSHIP else INVOLVED
    return found


def involved_in_words(person: Person, event: str) -> str:
    """Which events of this kind the person hears of by default, when it depends on them."""
    if event == Event.COMMITTED_SLIP:
        if person.team_id and person.function == Function.PRODUCT:
            return "Slips of your team's initiatives, and of those you told a customer of"
        return "Slips of initiatives you told a customer were committed"
    return "The decisions you own, decide, are consulted on or are informed of"


def options(person: Person, event: str, default: str) -> list[tuple[str, str]]:
    """The choices the person has for this kind of event, each in words, the default marked."""
    offered = [(ALL, "All"), (NONE, "None")]
    if default == INVOLVED:
        offered.insert(0, (INVOLVED, involved_in_words(person, event)))
    return [
        (value, f"{words} (default)" if value == default else words) for value, words in offered
    ]


def changed_in_words(person: Person, before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Each event whose choice changed, as the page says it once saved: "Decision made: none
    (was: the decisions you own, decide, are consulted on or are informed of)"."""

    def words(event: str, value: str) -> str:
        if value == INVOLVED:
            said = involved_in_words(person, event)
            return said[:1].lower() + said[1:]
        return value  # "all" or "none", as the page offers them

    return [
        f"{Event(event).label}: {words(event, after[event])} (was: {words(event, before[event])})"
        for event in Event.values
        if before[event] != after[event]
    ]


def choice(by_email: bool | None, default: str) -> str:
    """A Preference's by_email (None: no row) as a choice."""
    return default if by_email is None else ALL if by_email else NONE


def preferences(person: Person) -> dict[str, str]:
    """Each event: what the person hears of by email (ALL, NONE or INVOLVED), their choice or
    else the default; NONE where they may not hear of it (READ_BY)."""
    said = dict(person.notification_preferences.values_list("event", "by_email"))
    default, closed = defaults(person), closed_to(person)
    return {
        event: NONE if event in closed else choice(said.get(event), default[event])
        for event in Event.values
    }


def closed_to(person: Person) -> dict[str, str]:
    """The events the person cannot hear of, each with who can, in words."""
    return {
        event: READERS_IN_WORDS[READ_BY[event]] for event in READ_BY if not may_hear(person, event)
    }
