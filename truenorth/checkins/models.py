"""Back-brief check-ins: questions sent to an audience, answered through personal links.

Anonymous check-ins keep no link from an answer to a person. The invitation stores only a keyed
hash of the personal token, and the response is found by a second, different one, so only someone
holding the link can connect the two. The hashes are keyed by the server's secret and the
check-in's own key, so the database alone cannot test a guessed token. The response keeps its
author's function and team for the breakdowns while the check-in is open, and once its results
are published only groups the report shows, in combinations no fewer than the threshold share
(measure.keep_only_shown_groups); never who they are.
"""

import secrets
import textwrap
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from truenorth.sending import in_quotes
from truenorth.strategy.models import Goal, Vision
from truenorth.workspaces.models import BehindFigures, Function, Person, Team, Workspace


class Role(models.TextChoices):
    """What a question asks, which decides how its answers are measured."""

    VISION = "vision", "The vision in your own words"
    PRIORITIES = "priorities", "The top priorities in your own words"
    PURPOSE = "purpose", "Why your current work matters"
    DIRECTION = "direction", "Agreement with the direction (1–5)"
    COMMENT = "comment", "Comment"
    OPEN = "open", "Open question"


class Kind(models.TextChoices):
    TEXT = "text"
    SCALE = "scale", "1–5 scale"


class SourceKind(models.TextChoices):
    NONE = "none", "Nothing"
    VISION = "vision", "The vision in force when the check-in opens"
    GOAL = "goal", "A goal"
    TEXT = "text", "Text written here"
    # A decision's back-brief: its parts (what was decided, why, what it means) are pinned when
    # the back-brief is sent (truenorth.decisions.backbrief) and its title kept in source_text.
    DECISION = "decision", "A decision"
    # An update's back-brief: the version's narrative and sections, pinned when it is sent
    # (truenorth.updates.backbrief), its title kept in source_text.
    UPDATE = "update", "An update"


# The template of an Alignment pulse, the check-in of the check-ins page (actions.ALIGNMENT_PULSE).
PULSE = "alignment_pulse"
# The template of a decision's back-brief: it asks the people it was sent to (its invitations,
# made when it is created), not functions or teams, and it never stands for the company.
BACK_BRIEF = "back_brief"
# A check-in of its own asking what glossary terms mean (truenorth.glossary.actions): its
# questions are the terms', so no pulse's figures, trend or dashboard place come from it.
TERM_QUESTIONS = "glossary"
# The templates that are not an alignment pulse: the dashboard, trends and the latest-pulse
# lines of updates and agendas pass them over.
NOT_PULSES = (BACK_BRIEF, TERM_QUESTIONS)
# What its page, the API and the command line say of a check-in closed before its first send.
CLOSED_UNSENT = "Closed without being sent: nobody was asked."


def new_token_key() -> str:
    return secrets.token_hex(32)


class CheckIn(BehindFigures):
    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="checkins")
    title = models.CharField(max_length=200)
    template = models.CharField(max_length=40, default=PULSE)
    audience_functions = models.JSONField(
        default=list, blank=True, help_text="Functions asked; empty means everyone."
    )
    audience_teams = models.ManyToManyField(Team, blank=True, related_name="+")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    anonymous = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the closed check-in's results were published and its answers' groups reduced:
    # from then on its report is final and is never recomputed (see docs/privacy.md).
    finalised_at = models.DateTimeField(null=True, blank=True)
    # Mixed into the key of its links' hashes, so one token hashes differently in each check-in.
    token_key = models.CharField(max_length=64, default=new_token_key, editable=False)
    # Chosen by an editor to feed the alignment dashboard's company figures, rather than the
    # latest company-wide check-in with results (dashboard/sources.py); one per workspace.
    pinned = models.BooleanField(default=False, editable=False)
    # The workspace's threshold when its first links went out: what its invitations promised
    # ("reported only in groups of at least N people"). None until then.
    promised_threshold = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Who its published figures sum over, per group (overlaps.freeze), as they were when it was
    # published: later moves, departures and erasures must not change whom later check-ins are
    # compared with. Person ids and made-up stand-ins only; no page, export or API shows it.
    people_when_published = models.JSONField(null=True, blank=True, editable=False)
    # The same for the people who answered it, in the groups they answered in: what its figures
    # really sum over, which erasing someone must not change either.
    answerers_when_published = models.JSONField(null=True, blank=True, editable=False)
    # Why publishing it was refused, and when, as first decided (overlaps.refused_for_good):
    # worked out again, the reason named the rounds published near it since, as if they had
    # caused it, and moved the date from which a new check-in is no longer compared.
    refused_because = models.TextField(blank=True, default="", editable=False)
    refused_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"], condition=models.Q(pinned=True), name="one_pinned_checkin"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def threshold(self) -> int:
        """The anonymity threshold its answers are read under: the one its people were promised,
        or the workspace's now when higher. A raise applies to every check-in; a lowering only
        to those whose links go out after it, never to answers given under a higher promise."""
        return max(self.promised_threshold or 0, self.workspace.anonymity_threshold)

    @property
    def too_few_asked(self) -> bool:
        """Sent to fewer people than its threshold: no result of it can ever be shown (a decision's
        back-brief to the two who decided, say), so nothing may promise one."""
        return 0 < self.invitations.count() < self.threshold

    def too_few_asked_words(self) -> str:
        """What its invitation and answer page tell a person when too few were asked: results
        are shown only from the threshold up, with names or without, so even an attributed
        check-in's show nothing."""
        asked = self.invitations.count()
        named = "anonymous" if self.anonymous else "attributed to you"
        people = "person was" if asked == 1 else "people were"
        return (
            f"Your answers are {named}. Only {asked} {people} asked, and results are shown only "
            f"for at least {self.threshold} people, with names or without, so no result of this "
            "check-in will be shown."
        )

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    def opens_later(self, at=None) -> bool:
        return (at or timezone.now()) < self.opens_at

    @property
    def stage(self) -> str:
        """Where it stands, in a list's words. One closed before its first send has no results
        because nobody was asked, published or not: it says so, not "without results"."""
        if self.finalised_at is None and self.opens_later():
            return "Not open yet"
        if self.finalised_at is None and self.is_open():
            return "Open"
        if self.never_asked:
            return "Closed without being sent"
        if self.finalised_at is not None:
            return "Closed without results" if self.closed_without_results else "Results published"
        return "Closed, results not published"

    @cached_property
    def never_asked(self) -> bool:
        """asked_nobody, kept: a list annotates it (checkins.views.listed_checkins) rather than
        ask each check-in."""
        return self.asked_nobody()

    @cached_property
    def closed_without_results(self) -> bool:
        """Published with too few answers to show anything: its report is withheld whole. A list
        annotates it (checkins.views.listed_checkins) rather than read each report."""
        report = Report.objects.filter(checkin=self).values_list("data__suppressed", flat=True)
        return bool(report.first())

    def asked_nobody(self) -> bool:
        """Never sent: nobody was sent or handed a link, or tried for one, and no answer came in
        (an imported answer holds no link). Closed so, it has no results because nobody was
        asked, not because too few answered."""
        return not (self.invitations.exists() or self.responses.exists())

    def without_results_words(self) -> str:
        """What the notification of its close says (notifications.events.results_ready); one
        that asked nobody is told of by no notification, and says so."""
        if self.asked_nobody():
            return CLOSED_UNSENT
        return (
            f"Closed without results: {in_quotes(self.title)} closed with too few answers to show "
            f"anything (its anonymity threshold is {self.threshold} people), so its page shows "
            "no result."
        )

    @cached_property
    def answered_by(self) -> dict[int, str] | None:
        """Who answered, each with their team's name, or None when some answers came without an
        invitation (imported), so only their numbers are known. Kept on the instance: trends
        ask it for every team (measure.know_who_answered fills it for many check-ins at once)."""
        invited = self.invitations.filter(responded=True)
        rows = invited.values_list("person_id", "answered_team", "person__team__name")
        return self.all_invited({p: answered_in(then, now) for p, then, now in rows})

    @cached_property
    def team_guessed(self) -> bool:
        """Whether someone answered before the team they answered in was kept on their
        invitation, so answered_by gives them their team of today: a guess."""
        return self.invitations.filter(responded=True, answered_team=None).exists()

    def all_invited(self, people: dict[int, str]) -> dict[int, str] | None:
        """`people` (those whose invitation was answered) when every response is theirs."""
        return people if len(people) == sum(self.answers_per_team.values()) else None

    @cached_property
    def answers_per_team(self) -> dict[str, int]:
        """How many responses each team gave ('' for people in no team), counted once."""
        counts = self.responses.order_by().values_list("team").annotate(n=models.Count("pk"))
        return dict(counts)

    @property
    def is_pulse(self) -> bool:
        """Whether its figures are the alignment's: not a back-brief nor a glossary check-in."""
        return self.template not in NOT_PULSES

    @property
    def company_wide(self) -> bool:
        """Asked of everyone in the workspace, not of chosen functions or teams (prefetch
        audience_teams when asking this of many)."""
        if self.template == BACK_BRIEF:
            return False
        return not self.audience_functions and not self.audience_teams.all()

    def audience_key(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """Whom it asked, as a trend compares it: its chosen functions and its chosen teams, in
        no order; both empty for everyone. Two check-ins asked alike when their keys are equal
        (Sales and Marketing both times, say), whoever was in those groups each time."""
        teams = sorted(team.pk for team in self.audience_teams.all())
        return tuple(sorted(set(self.audience_functions))), tuple(teams)

    def audience_words(self) -> str:
        """Whom it asked, in words: "everyone", "Sales", "Sales and the Platform team"."""
        if self.template == BACK_BRIEF:
            found = getattr(self, "update_backbrief", None)
            if found is not None:
                return (
                    f"the people who read update {found.update.number}'s {found.audience} version"
                )
            found = getattr(self, "decision_backbrief", None)
            return found.asked_words() if found is not None else "the people asked"
        labels = [Function(f).label for f in self.audience_functions if f in Function.values]
        labels += [f"the {team.name} team" for team in self.audience_teams.all()]
        if not labels:
            return "everyone"
        return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"

    def audience(self):
        """The people asked: everyone, or the chosen functions and teams. Someone deactivated
        is asked nothing more; the invitations and answers they already have stay."""
        people = self.workspace.people.filter(active=True).exclude(function=Function.PARTNER)
        if self.template == BACK_BRIEF:
            return people.filter(invitations__checkin=self)
        teams = list(self.audience_teams.all())
        if self.audience_functions or teams:
            chosen = models.Q(function__in=self.audience_functions) | models.Q(team__in=teams)
            people = people.filter(chosen)
        return people


def answered_in(then: str | None, now: str | None) -> str:
    """The team (or function) a person answered in: as recorded, else (answered before it was
    kept) their team of today, which measure.comparable checks against the answers' own
    labels."""
    return then if then is not None else (now or "")


class Question(models.Model):
    checkin = models.ForeignKey(CheckIn, models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    prompt = models.TextField()
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.OPEN)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(default=True)
    source_kind = models.CharField(
        max_length=10, choices=SourceKind.choices, default=SourceKind.NONE
    )
    source_goal = models.ForeignKey(Goal, models.SET_NULL, null=True, blank=True, related_name="+")
    source_text = models.TextField(blank=True)
    # The source as asked about, captured by sources.pin_source: the vision's version, and the
    # parts of the vision, the goal or the text (part name → text), so later edits move nothing.
    source_vision = models.ForeignKey(
        Vision, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    source_parts = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint("checkin", "position", name="unique_question_position")
        ]

    def __str__(self) -> str:
        return self.prompt

    def answer_fields(self, given) -> dict:
        """An answer's stored fields: a scale question keeps a number, any other the text."""
        if self.kind == Kind.SCALE:
            return {"text": "", "value": given}
        return {"text": given or "", "value": None}

    def source(self) -> str:
        """The text answers are compared with, as pinned when asked, or '' when there is none."""
        if self.source_kind == SourceKind.VISION:
            return self.source_vision.statement if self.source_vision else ""
        if self.source_kind == SourceKind.GOAL and self.source_parts:
            return f"{self.source_parts.get('what', '')}. {self.source_parts.get('why', '')}"
        if self.source_kind in (SourceKind.DECISION, SourceKind.UPDATE):
            return " ".join(self.parts().values())
        return self.source_text if self.source_kind == SourceKind.TEXT else ""

    def parts(self) -> dict[str, str]:
        """The source's parts as asked, in their natural order (PostgreSQL's jsonb keeps a
        dict's keys in an order of its own)."""
        from truenorth.checkins.sources import PART_ORDER

        rank = {name: n for n, name in enumerate(PART_ORDER)}
        return dict(sorted(self.source_parts.items(), key=lambda item: rank.get(item[0], 99)))

    def source_label(self) -> str:
        """What the answers are compared with, in a few words: "Vision v3", "Goal: …"."""
        if self.source_kind == SourceKind.VISION and self.source_vision:
            return f"Vision v{self.source_vision.number}"
        if self.source_kind == SourceKind.GOAL and self.source_parts:
            return f"Goal: {self.source_parts.get('what', '')}"
        if self.source_kind in (SourceKind.DECISION, SourceKind.UPDATE):
            return self.source_text
        if self.source_kind == SourceKind.TEXT and self.source_text.strip():
            return f"Text: “{textwrap.shorten(self.source_text, 60, placeholder='…')}”"
        return ""


TOKEN_SECRET_LENGTH = 32  # characters: 24 random bytes in URL-safe base64


def new_token(checkin: CheckIn) -> str:
    """A personal link's token: the check-in's number, so its hashes can be found, and a secret."""
    return f"{checkin.pk}.{secrets.token_urlsafe(24)}"


def token_checkin_id(token: str) -> int | None:
    """The check-in number a token starts with, or None when it is not a token at all."""
    number, dot, secret = token.partition(".")
    if not (dot and secret and number.isascii() and number.isdecimal() and len(number) < 19):
        return None
    return int(number)


def token_digest(checkin: CheckIn, purpose: str, token: str) -> str:
    """HMAC-SHA256 of a token, keyed by SECRET_KEY, the check-in's key and the purpose
    ("invitation" or "response"), so the two stored hashes of one token cannot be matched."""
    salt = f"truenorth.checkins.{purpose}.{checkin.token_key}"
    return salted_hmac(salt, token, algorithm="sha256").hexdigest()


def unused_ids(model, count: int) -> list[int]:
    """Random ids not yet taken in the model's table, for rows whose order must not tell the
    order they were written in."""
    while True:
        ids = [secrets.randbits(62) or 1 for _ in range(count)]
        if len(set(ids)) == count and not model.objects.filter(pk__in=ids).exists():
            return ids


class Delivery(models.TextChoices):
    """Whether a person holds a working link: only SENT and HANDED_OUT links are ever kept."""

    PENDING = "pending", "Not sent yet"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    HANDED_OUT = "handed_out", "Handed out by an editor"


class Invitation(models.Model):
    """One person's place in a check-in; the link's token itself is never stored.

    `status` says where their link stands. A PENDING or FAILED invitation's link is known never
    to have reached them, so sending issues a new one; a SENT or HANDED_OUT link is never
    replaced by sending again (actions.send_links).
    """

    checkin = models.ForeignKey(CheckIn, models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    responded = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)  # emailed, or handed out: its link given
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The team the person answered in, as their answers were labelled then; None: answered
    # before it was kept. A trend compares a team's people by it, not by their team of today:
    # someone who moved since would make two groups look the same that differ by them.
    answered_team = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001 (None: unknown)
    # Their function then, for the same reason: publication audits a check-in's function groups
    # against those of the check-ins near it (overlaps.people_by_group), and someone moved from
    # design to engineering between two was otherwise in both engineering groups, which then
    # looked alike while differing by exactly them.
    answered_function = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001 (None: unknown)
    # Why the last message to this person did not go out ('' after one that did).
    last_error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("checkin", "person", name="unique_invitation")]

    def __str__(self) -> str:
        return f"{self.person} in {self.checkin}"


class Response(models.Model):
    """One person's answers to one check-in.

    In an anonymous check-in, responses and answers get random ids and keep no time
    (actions.save_answers), so neither row order nor time matches a web server's log.
    """

    checkin = models.ForeignKey(CheckIn, models.CASCADE, related_name="responses")
    # Found again only through the personal link; different from the invitation's hash.
    key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Set only when the check-in is attributed.
    person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+")
    function = models.CharField(max_length=20, choices=Function.choices, blank=True)
    team = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, null=True, blank=True)  # attributed

    def __str__(self) -> str:
        return f"Response to {self.checkin}"


class Answer(models.Model):
    response = models.ForeignKey(Response, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("response", "question", name="unique_answer")]

    def __str__(self) -> str:
        return self.text if self.value is None else str(self.value)


class Report(BehindFigures):
    """The latest analysis of a check-in, with the anonymity threshold already applied."""

    checkin = models.OneToOneField(CheckIn, models.CASCADE, related_name="report")
    computed_at = models.DateTimeField()
    response_count = models.PositiveIntegerField()
    data = models.JSONField()

    def __str__(self) -> str:
        return f"Report on {self.checkin} ({self.response_count} responses)"
