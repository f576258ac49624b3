from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from truenorth.analysis import promises
from truenorth.analysis.matching import MATCH_SCORE
from truenorth.charts import day
from truenorth.claims.wording import NOT_PROMISED_VERDICT, says_live_now, vague_words
from truenorth.roadmap.models import COMMITTED, Initiative, InitiativeChange, Status
from truenorth.sending import in_quotes
from truenorth.workspaces.models import BehindFigures, Person, Workspace

# Characters: what one claim can sensibly be. A longer one is most often a quote left open in a
# CSV, or a paste of a whole document; the form, the API and the import refuse it alike.
MAX_CLAIM_TEXT = 2000
# A claim's initiative_status when the initiative it was matched to has been archived.
ARCHIVED = "archived"


def to_account(claims, name: str):
    """The claims to the account `name` is, whatever its case and spacing: "northwind dental"
    is "Northwind Dental". The one rule of the account filter: the claims page and an
    account's page, the CSV export, the API and the CLI."""
    return claims.filter(account__iexact=" ".join(name.split()))


def narrowed(claims, verdict: str = "", moved: bool = False):
    """The claims of one verdict (or of any), and with `moved` only those whose date the
    customer heard has moved since: the list's filters on the claims page, the CSV export, the
    API and the CLI."""
    if verdict:
        claims = claims.filter(verdict=verdict)
    return claims.filter(DATE_MOVED_SINCE_SAID) if moved else claims


def in_periods(claims, filters: dict):
    """The claims of the list's period filters (FilterForm's cleaned data), each bound
    optional: `moved_from`/`moved_to` those on an initiative whose target date moved in that
    period, said by its end; `shipped_from`/`shipped_to` those on an initiative that shipped
    in it. With ?verdict=committed&moved=1 and ?verdict=said_early they are the claims the
    executives' update counts for its period (updates.facts.customer_dates_moved, said_early)."""
    moved_from, moved_to = filters.get("moved_from"), filters.get("moved_to")
    if moved_from or moved_to:
        claims = date_moved_between(claims, moved_from, moved_to)
    shipped_from, shipped_to = filters.get("shipped_from"), filters.get("shipped_to")
    if shipped_from:
        claims = claims.filter(initiative__actual_date__gte=shipped_from)
    if shipped_to:
        claims = claims.filter(initiative__actual_date__lte=shipped_to)
    return claims


def date_moved_between(claims, start, end):
    """The claims on an initiative, not archived, whose target date changed on a day from
    `start` to `end` (in the server's time zone, as an update's period counts it; either bound
    may be None), said by `end`: a claim said after the period heard the moved date."""
    changes = InitiativeChange.objects.filter(
        field=InitiativeChange.Field.TARGET_DATE, initiative__archived_at__isnull=True
    )
    if start:
        changes = changes.filter(changed_at__date__gte=start)
    if end:
        changes = changes.filter(changed_at__date__lte=end)
        claims = claims.filter(said_on__lte=end)
    return claims.filter(initiative__in=changes.values("initiative"))


def spelling(names) -> str:
    """How an account is shown: the spelling most of its records give (the first on a tie)."""
    return Counter(names).most_common(1)[0][0]


class Verdict(models.TextChoices):
    AVAILABLE = promises.AVAILABLE, "Available"
    COMMITTED = promises.COMMITTED, "Committed"
    OVER_PROMISE = promises.OVER_PROMISE, "Over-promise"
    # Said to be live while it was not, shipped since: an over-promise when said, not one now.
    SAID_EARLY = "said_early", "Said live before it shipped"
    NO_CAPABILITY = promises.NO_CAPABILITY, "No such capability"
    NOT_PROMISED = NOT_PROMISED_VERDICT, "Said as not promised"


# What each verdict tells the person who made the claim.
VERDICT_MEANING = {
    Verdict.AVAILABLE: "Shipped: the customer can use it now.",
    Verdict.COMMITTED: "Committed on the roadmap, by its target date.",
    Verdict.OVER_PROMISE: (
        "More than the roadmap says: a planned or explored item promised, something said to be "
        "live before it ships, or a commitment relied on after it was taken back."
    ),
    Verdict.NO_CAPABILITY: "Nothing on the roadmap does this (or it was dropped).",
    Verdict.NOT_PROMISED: "Only planned or being explored, and the claim says it is not promised.",
    Verdict.SAID_EARLY: (
        "Said to be live before it shipped; it has shipped since. Nothing to correct with the "
        "customer now, but it was not true when said."
    ),
}


# No such capability said of one claim with no match: it names nothing dropped or archived, so
# the tile's "(or it was dropped)" would hedge what is known.
NOTHING_DOES_IT = "Nothing on the roadmap does this."
# No such capability of a claim with no match that names no capability either ("big
# improvements", "everything you need"): the roadmap cannot say, its speaker can.
TOO_VAGUE = (
    "Too vague to check against the roadmap: it names no capability ({quoted}). Ask the speaker "
    "what exactly was promised."
)
# With no match, the nearest initiative: the claims page links its title, the CSV writes it.
NEAREST = "No match. Nearest: {title} (score {score}, below the cut)"


def drops_of(changes):
    """The changes that dropped an initiative."""
    return changes.filter(field=InitiativeChange.Field.STATUS, new_value=Status.DROPPED)


def with_drops(claims):
    """Claims with their initiatives' drops fetched in one query, for a list that says when
    each dropped one was dropped (Claim.dropped_on)."""
    drops = Prefetch("initiative__changes", drops_of(InitiativeChange.objects), to_attr="drops")
    return claims.prefetch_related(drops)


# Why a claim is an over-promise, from its initiative's status now and when it was said.
LIVE_NOW = "live_now"  # said to be live now; committed or being built, not shipped
TAKEN_BACK = "taken_back"  # committed when said, only planned or explored now
READ_AS_PROMISE = "read_as_promise"  # only planned or explored: the roadmap read as a promise


# An initiative's status as a verdict's words say it: "it is now only planned".
STATUS_WORDS = {
    Status.EXPLORING: "being explored",
    Status.PLANNED: "planned",
    Status.COMMITTED: "committed (not shipped)",
    Status.IN_PROGRESS: "being built",
}


# What good looks like for each verdict's share of the checked claims, as the claims page says.
VERDICT_GOOD = {
    Verdict.AVAILABLE: "higher is better: what the customer can use now",
    Verdict.COMMITTED: "good while the dates hold",
    Verdict.OVER_PROMISE: "lower is better; good is none",
    Verdict.NO_CAPABILITY: "lower is better; good is none",
    Verdict.NOT_PROMISED: "honest: nothing to correct",
    Verdict.SAID_EARLY: "lower is better: each was an over-promise when said",
}

# A committed claim whose date the customer heard has moved since: its initiative, committed
# then and now, has a later target date or none (Claim.moved_since_said's "date moved").
DATE_MOVED_SINCE_SAID = Q(
    matched=True,
    said_status__in=COMMITTED,
    initiative_status__in=COMMITTED,
    said_target_date__isnull=False,
) & (Q(target_date__isnull=True) | Q(target_date__gt=F("said_target_date")))


class Claim(BehindFigures):
    """Something said to a customer, with the roadmap's verdict on it and that verdict's evidence.

    The verdict is stored, not computed per page view, so the page is fast and the evidence as it
    stood at `checked_at` is kept; claims.actions re-checks it.
    """

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="claims")
    said_on = models.DateField("said on")
    account = models.CharField("customer account", max_length=200)
    said_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    said_by_name = models.CharField(
        "said by (not in truenorth)",
        max_length=200,
        blank=True,
        help_text="The name of someone who is not a person in this workspace.",
    )
    text = models.TextField("what was said")
    source = models.CharField(
        max_length=100, blank=True, help_text="Sales call, deck, email, RFP answer…"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The verdict and its evidence, as of checked_at (blank until checked).
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    initiative = models.ForeignKey(
        Initiative,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The best matching initiative; with no match, the nearest one below the cut.",
    )
    initiative_title = models.CharField(max_length=300, blank=True)
    initiative_status = models.CharField(max_length=12, blank=True)
    target_date = models.DateField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True, help_text="0–100 on the fidelity scale.")
    matched = models.BooleanField(
        default=False, help_text="Whether the initiative scored at least the match cut."
    )
    runners_up = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # The matched initiative as it stood when the claim was said (from its history), so a date
    # that moved since, or a commitment taken back, shows against what the customer heard.
    said_status = models.CharField(max_length=12, blank=True)
    said_target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-said_on", "-id"]
        indexes = [models.Index(fields=["workspace", "account"])]

    def __str__(self) -> str:
        return f"{self.account}, {self.said_on}: {self.text[:60]}"

    @property
    def speaker(self) -> str:
        return self.said_by.name if self.said_by_id else self.said_by_name

    @property
    def verdict_meaning(self) -> str:
        """What the verdict tells its speaker, from the matched initiative's status: an
        over-promise on an item being built is not one on an item only planned."""
        if not self.verdict:
            return "Not checked yet."
        if self.verdict == Verdict.OVER_PROMISE and self.matched:
            return self.over_promise_meaning
        if self.verdict == Verdict.SAID_EARLY:
            return self.said_early_meaning
        if self.verdict == Verdict.NO_CAPABILITY and self.was_archived:
            return (
                f"{self.archived_note[0].upper()}{self.archived_note[1:]}: it is off the roadmap."
            )
        if self.verdict == Verdict.NO_CAPABILITY and self.was_dropped:
            title = in_quotes(self.initiative_title)
            return f"It was on the roadmap as {title} and was {self.dropped_on}."
        if self.verdict == Verdict.NO_CAPABILITY and not self.matched:
            if vague := vague_words(self.text):
                return TOO_VAGUE.format(quoted=", ".join(f"“{words}”" for words in vague))
            return NOTHING_DOES_IT
        if self.verdict == Verdict.COMMITTED and self.matched:
            due = f"by {day(self.target_date)}" if self.target_date else "with no target date yet"
            return f"Committed on the roadmap, {due}."
        return VERDICT_MEANING[Verdict(self.verdict)]

    @property
    def reason(self) -> str:
        """Why the claim needs correcting, for the two verdicts that do (an over-promise, no
        such capability), or why it was wrong when said (said live before it shipped); blank for
        the others, whose verdict says enough."""
        if self.verdict in (Verdict.OVER_PROMISE, Verdict.NO_CAPABILITY, Verdict.SAID_EARLY):
            return self.verdict_meaning
        return ""

    @property
    def said_live_before_it_shipped(self) -> bool:
        """Whether the claim said its initiative was live on a day it was not shipped (its
        status then, from its history, as recorded by the check)."""
        return (
            self.matched
            and self.said_status not in ("", Status.SHIPPED)
            and says_live_now(self.text)
        )

    @property
    def said_early_meaning(self) -> str:
        """ "Said live before it shipped — shipped since: when said it was being built, due 8
        Oct 2026. …", from the initiative's status and date on the day it was said."""
        then = STATUS_WORDS.get(self.said_status) or self.said_status.replace("_", " ")
        due = f", due {day(self.said_target_date)}" if self.said_target_date else ""
        return (
            f"Said live before it shipped — shipped since: when said it was {then}{due}. "
            "Nothing to correct with the customer now, but the claim was not true when made."
        )

    @property
    def over_promise_kind(self) -> str:
        """LIVE_NOW, TAKEN_BACK or READ_AS_PROMISE, by the matched initiative's status."""
        if self.initiative_status in COMMITTED:  # the claim says it is live (claims.wording)
            return LIVE_NOW
        if self.said_status in COMMITTED:
            return TAKEN_BACK
        return READ_AS_PROMISE

    @property
    def over_promise_meaning(self) -> str:
        now = STATUS_WORDS.get(self.initiative_status, self.status_label.lower())
        kind = self.over_promise_kind
        if kind == LIVE_NOW:
            due = f", due {day(self.target_date)}" if self.target_date else ""
            return f"Not live yet: the claim says it is available now; it is {now}{due}."
        if kind == TAKEN_BACK:
            return (
                f"Taken back since said: it was committed when said, it is now only {now} — "
                "tell the customer."
            )
        return f"Only {now}: the roadmap was read as a promise."

    @property
    def archived_note(self) -> str:
        """ "its initiative RM-06 was archived on 12 May 2026"; blank unless it was."""
        if not self.was_archived or self.initiative is None:
            return ""
        initiative = self.initiative
        name = initiative.key or f"{in_quotes(initiative.title)}"
        on = (
            f" on {day(timezone.localdate(initiative.archived_at))}"
            if initiative.archived_at
            else ""
        )
        return f"its initiative {name} was archived{on}"

    @property
    def dropped_on(self) -> str:
        """ "dropped on 14 Sep 2026", the last drop in its history up to the check; "dropped"
        where none is kept (an initiative created dropped, or deleted since)."""
        if self.initiative is None:
            return "dropped"
        drops = getattr(self.initiative, "drops", None)  # prefetched by a list: with_drops
        if drops is None:
            drops = list(drops_of(self.initiative.changes.all()))
        if self.checked_at:
            drops = [d for d in drops if d.changed_at <= self.checked_at]
        last = max(drops, key=lambda d: (d.changed_at, d.pk), default=None)
        return f"dropped on {day(timezone.localdate(last.changed_at))}" if last else "dropped"

    @property
    def nearest_note(self) -> str:
        """ "No match. Nearest: Bank feeds (score 28, below the cut)"; blank with a match."""
        if self.matched or not self.initiative_title or self.score is None:
            return ""
        return NEAREST.format(title=self.initiative_title, score=f"{self.score:.0f}")

    @property
    def verdict_evidence(self) -> str:
        """ "Over-promise: Supplier portal (exploring, score 61 of 100; a match needs 35)", as a
        message or the CLI says it."""
        if not self.verdict:
            return "Not checked yet"
        said = self.get_verdict_display()
        if not self.initiative_title:
            return said
        below = "" if self.matched else "nearest, below the cut: "
        score = ""
        if self.score is not None:
            # A claim that names its initiative outright ("RM-14") is its match at any score.
            needs = f"a match needs {MATCH_SCORE:g}"
            if self.matched and self.score < MATCH_SCORE:
                needs = f"the claim names it ({needs})"
            score = f", score {self.score:.0f} of 100; {needs}"
        return f"{said}: {below}{self.initiative_title} ({self.status_label.lower()}{score})"

    @property
    def status_label(self) -> str:
        """The initiative's status when checked, in words."""
        if self.initiative_status == ARCHIVED:
            return "Archived"
        return Status(self.initiative_status).label if self.initiative_status else "—"

    @property
    def close_alternatives(self) -> list[dict]:
        """The runners-up, each with its status when checked in words and what follows its
        title: "(in progress, score 45)", as the page and the CSV write it."""
        labels = dict(Status.choices)
        found = []
        for other in self.runners_up:
            label = labels.get(other["status"], "—")
            said = f"({label.lower()}, score {other['score']:.0f})"
            found.append({**other, "status_label": label, "said": said})
        return found

    @property
    def moved_since_said(self) -> str:
        """ "date moved since said: was 29 Jan 2027, now 20 Mar 2027", or "no longer committed
        since said: …"; blank when what the customer heard still holds (or shipped)."""
        if not self.matched or self.said_status not in COMMITTED:
            return ""
        if self.initiative_status not in COMMITTED | {Status.SHIPPED}:
            return f"no longer committed since said: was {self.said_status.replace('_', ' ')}, now {self.status_label.lower()}"
        was, now = self.said_target_date, self.target_date
        if self.initiative_status in COMMITTED and was and (now is None or now > was):
            return f"date moved since said: was {day(was)}, now {day(now) if now else 'no date'}"
        return ""

    @property
    def was_dropped(self) -> bool:
        return self.matched and self.initiative_status == "dropped"

    @property
    def was_archived(self) -> bool:
        return self.matched and self.initiative_status == ARCHIVED
