"""The workspace file's format: every field with the bounds the database and the pages hold.

A file that passes these models cannot break a page: texts fit their columns and contain only
characters a database stores, numbers fit their columns and the pages' arithmetic, links are
http(s), dates are in years a calendar page can show, lists have a ceiling. Limits on text are
read from the Django model fields, so a column made wider here needs no second edit.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import date, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from truenorth.claims.models import Claim, Verdict
from truenorth.decisions.models import Comment, Decision, Kind, KindBy
from truenorth.decisions.models import Status as DecisionStatus
from truenorth.feedback.models import FeedbackItem
from truenorth.feedback.models import Kind as FeedbackKind
from truenorth.feedback.models import Source as FeedbackSource
from truenorth.glossary.models import Definition, Term
from truenorth.rituals.models import Kind as RitualKind
from truenorth.rituals.models import Occurrence, Ritual
from truenorth.rituals.recurrence import BadRule, check_rule
from truenorth.roadmap.models import (
    Initiative,
    InitiativeChange,
    InitiativeMilestone,
    RoadmapStatusMapping,
    Status,
    Visibility,
)
from truenorth.roadmap.models import Source as RoadmapSource
from truenorth.sending import in_quotes
from truenorth.strategy.forms import exactly, implausible_value, in_goal_unit, measured_in
from truenorth.strategy.models import Goal, GoalMeasurement, Vision
from truenorth.updates.models import Update
from truenorth.work.imports import MAX_POINTS
from truenorth.work.models import LinkedBy, Source, TrackerMapping, WorkItem, WorkItemChange
from truenorth.workspaces.models import (
    MAX_ANONYMITY_THRESHOLD,
    MIN_ANONYMITY_THRESHOLD,
    Function,
    Person,
    Role,
    Team,
    WaitingInvitation,
    Workspace,
    valid_time_zone,
)

FORMAT = "truenorth.workspace"
# Version 2 adds work items' tracker fields, history and decided suggestions, tracker mappings
# and claims; every new key has a default, so a version 1 file still imports. Goals' names came
# later, with a default too, so a file written before them still imports. Version 3 adds the
# workspace's time zone and sender, active people with their manager and role, archived teams,
# imported initiatives' source keys, milestones and the roadmap's status mapping, all with
# defaults. Version 4 names logins by email and role only: an import invites them, it never
# matches a username (older files' usernames are read and ignored). Version 5 adds when a goal or
# an initiative was archived (absent or null: active) and each goal's measurements (absent:
# none), so a version 4 file still imports. Version 6 adds the glossary: terms with their owner,
# related terms and each function's definition (absent: none); and the decision log: decisions
# with their links and comments (absent: none). Version 7 adds the workspace's support notice days
# (absent: the default), published and draft updates with their frozen facts, and rituals with
# their occurrences' notes, decisions and ratings (absent: none). Version 8 adds customer
# feedback: each item with its source and key there, account and who heard it (absent: none).
# Version 9 adds need links: an editor's word on whether a goal or an initiative addresses a
# feedback item (absent: none, so a version 8 file still imports).
VERSION = 9
READABLE_VERSIONS = (1, 2, 3, 4, 5, 6, 7, 8, 9)

# Text columns without a length (TextField) hold this much from a file: far more than any
# vision or claim needs, little enough that a page of them stays a page.
LONG_TEXT = 20_000
# Lists: the workspace's own objects, the history of one object, the short lists inside one.
MANY = 1_000_000
HISTORY = 10_000
FEW = 100
# Years a date may have: a roadmap's timeline and the overruns page count days between dates.
FIRST_YEAR, LAST_YEAR = 1900, 2200
# Ranks, positions and version numbers: far above any real workspace, far below any overflow.
MAX_NUMBER = 1_000_000
MAX_SCORE = 100  # the fidelity scale's 0–100
# An update's facts or an agenda, as JSON: a month of a large workspace's facts is ~100 kB.
MAX_JSON = 2_000_000


def clean_text(value: str) -> str:
    """Refuse what a database cannot store: NUL (PostgreSQL) and lone surrogates (both)."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate (\\ud800–\\udfff), which is not text") from None
    return value


def text(model, field: str) -> Any:
    """A string as long as `model.field` holds (LONG_TEXT for a text column), and not empty
    where the model says it may not be blank."""
    column = model._meta.get_field(field)
    limit = column.max_length or LONG_TEXT
    return Annotated[
        str,
        Field(min_length=0 if column.blank else 1, max_length=limit),
        AfterValidator(clean_text),
    ]


def django_check(validator) -> AfterValidator:
    """A Django validator as a pydantic one: its message becomes the field's error."""

    def check(value: str) -> str:
        if value:
            try:
                validator(value)
            except DjangoValidationError as error:
                raise ValueError(" ".join(str(m) for m in error.messages)) from None
        return value

    return AfterValidator(check)


def sane_year(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"year {value.year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return value


def decimal_of(model, field: str, most: Decimal | None = None) -> Any:
    """A number that `model.field` (a DecimalField) holds, zero or more (and at most `most`)."""
    column = model._meta.get_field(field)
    return Annotated[
        Decimal,
        Field(
            ge=0,
            le=most,
            max_digits=column.max_digits,
            decimal_places=column.decimal_places,
            allow_inf_nan=False,
        ),
    ]


Email = Annotated[
    str,
    Field(min_length=1, max_length=Person._meta.get_field("email").max_length),
    AfterValidator(clean_text),
    django_check(validate_email),
]
Link = Annotated[
    str,
    Field(max_length=WorkItem._meta.get_field("url").max_length),
    AfterValidator(clean_text),
    django_check(URLValidator(schemes=["http", "https"])),
]
Username = text(get_user_model(), "username")
# An invitation's address becomes the new login's username.
InvitedEmail = Annotated[
    Email, Field(max_length=WaitingInvitation._meta.get_field("email").max_length)
]
Day = Annotated[date, AfterValidator(sane_year)]
Moment = Annotated[AwareDatetime, AfterValidator(sane_year)]
Number = Annotated[int, Field(ge=0, le=MAX_NUMBER)]
Ref = Annotated[int, Field(ge=1, le=MAX_NUMBER)]  # a file-local reference to a goal or initiative
Score = Annotated[float, Field(ge=0, le=MAX_SCORE, allow_inf_nan=False)]
Points = decimal_of(WorkItem, "points", most=MAX_POINTS)
Weeks = decimal_of(Initiative, "estimate_weeks")


# The kind of value a goal or a need is about, as an editor confirmed it ("" when unconfirmed).
ValueKind = Literal["", "functional", "psychological"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkspaceIn(Strict):
    name: text(Workspace, "name")
    slug: text(Workspace, "slug")
    anonymity_threshold: Annotated[
        int, Field(ge=MIN_ANONYMITY_THRESHOLD, le=MAX_ANONYMITY_THRESHOLD)
    ]
    time_zone: text(Workspace, "time_zone") | None = None  # None: the importing server's
    sender_address: Email | Literal[""] = ""
    support_notice_days: Annotated[int, Field(ge=0, le=365)] = Workspace._meta.get_field(
        "support_notice_days"
    ).default


class TeamIn(Strict):
    name: text(Team, "name")
    parent: text(Team, "name") | None = None
    archived: bool = False


class PersonIn(Strict):
    name: text(Person, "name")
    email: Email
    function: Function
    team: text(Team, "name") | None = None
    title: text(Person, "title") = ""
    active: bool = True
    manager: Email | None = None
    role: Role | Literal[""] = ""


class MembershipIn(Strict):
    """Someone who could log in: imported as an invitation an owner sends, never as a login."""

    username: Username | None = None  # written before version 4; never read
    email: InvitedEmail | Literal[""] = ""  # "": none known, not invited
    role: Role
    person: Email | None = None


class VisionIn(Strict):
    number: Ref
    statement: text(Vision, "statement")
    destination: text(Vision, "destination")
    measures_of_progress: text(Vision, "measures_of_progress")
    target_user: text(Vision, "target_user")
    user_benefit: text(Vision, "user_benefit")
    business_outcome: text(Vision, "business_outcome")
    horizon: text(Vision, "horizon")
    created_at: Moment
    created_by: Username | None = None


class GoalMeasurementIn(Strict):
    measured_on: Day
    value: Annotated[float, Field(allow_inf_nan=False)]
    unit: text(GoalMeasurement, "unit") = ""
    is_target: bool = False


class GoalIn(Strict):
    ref: Ref
    title: text(Goal, "title")
    why: text(Goal, "why")
    why_now: text(Goal, "why_now")
    metric: text(Goal, "metric")
    target: text(Goal, "target")
    rank: Number
    period: text(Goal, "period")
    # The short names people use for the goal: each no longer than its title may be.
    names: Annotated[list[text(Goal, "title")], Field(max_length=FEW)] = []
    value: ValueKind = ""  # an editor's word: functional or psychological value
    archived_at: Moment | None = None
    # Its metric measured over time, and its target as a value by a date (is_target).
    measurements: Annotated[list[GoalMeasurementIn], Field(max_length=MANY)] = []

    @field_validator("measurements")
    @classmethod
    def one_measurement_a_day(cls, measurements):
        keys = (f"{'target' if m.is_target else 'value'} of {m.measured_on}" for m in measurements)
        refuse_duplicates(keys, "the goal's")
        return measurements

    @model_validator(mode="after")
    def measurements_as_the_page_takes_them(self):
        """What the goal card's form refuses: a value in another unit than the goal's, or one
        more likely a typo (below zero in %, over 1,000%, beyond ±10^12). A row without a unit
        was recorded before the goal had one, as the form allows. The check against the target
        is left out: a reading may predate the target it is now far from."""
        unit = measured_in(self.measurements)
        for m in self.measurements:
            why = (m.unit and in_goal_unit(m.value, m.unit, unit)) or implausible_value(
                m.value, m.unit
            )
            if why:
                what = "target" if m.is_target else "measurement"
                raise ValueError(
                    f"goal {in_quotes(self.title)}, {what} of {m.measured_on} "
                    f"({exactly(m.value, m.unit)}): {why}"
                )
        return self


class ChangeIn(Strict):
    field: InitiativeChange.Field
    old_value: text(InitiativeChange, "old_value")
    new_value: text(InitiativeChange, "new_value")
    changed_at: Moment
    changed_by: Username | None = None


class MilestoneChangeIn(Strict):
    old_target: Day | None = None
    new_target: Day | None = None
    changed_at: Moment
    changed_by: Username | None = None


class MilestoneIn(Strict):
    name: text(InitiativeMilestone, "name")
    target_date: Day | None = None
    done_on: Day | None = None
    position: Number = 0
    changes: Annotated[list[MilestoneChangeIn], Field(max_length=HISTORY)] = []


class InitiativeIn(Strict):
    ref: Ref
    key: text(Initiative, "key") = ""
    title: text(Initiative, "title")
    problem: text(Initiative, "problem") = ""
    goal: Ref | None = None
    team: text(Team, "name") | None = None
    status: Status
    visibility: Visibility
    target_date: Day | None = None
    actual_date: Day | None = None
    estimate_weeks: Weeks | None = None
    spent_weeks: Weeks | None = None
    source: RoadmapSource = RoadmapSource.TYPED
    source_key: text(Initiative, "source_key") = ""
    changes: Annotated[list[ChangeIn], Field(max_length=HISTORY)] = []
    milestones: Annotated[list[MilestoneIn], Field(max_length=FEW)] = []
    archived_at: Moment | None = None


class OneTarget(Strict):
    """Points at an initiative or a goal (their file-local refs), never both, never neither."""

    initiative: Ref | None = None
    goal: Ref | None = None

    @model_validator(mode="after")
    def exactly_one_target(self):
        if (self.initiative is None) == (self.goal is None):
            raise ValueError("needs exactly one target: an initiative or a goal")
        return self


class WorkItemChangeIn(Strict):
    field: WorkItemChange.Field
    old_value: text(WorkItemChange, "old_value") = ""
    new_value: text(WorkItemChange, "new_value") = ""
    changed_at: Moment


class DecidedSuggestionIn(OneTarget):
    score: Score
    decision: Literal["accepted", "rejected"]
    decided_at: Moment | None = None
    decided_by: Username | None = None


class WorkItemIn(Strict):
    source: Source
    key: text(WorkItem, "external_key")
    title: text(WorkItem, "title")
    status: text(WorkItem, "status") = ""
    points: Points | None = None
    created_on: Day | None = None
    resolved_on: Day | None = None
    url: Link = ""
    due_on: Day | None = None
    kind: text(WorkItem, "kind") = ""
    project: text(WorkItem, "project") = ""
    parent_key: text(WorkItem, "parent_key") = ""
    # A label is what a tracker mapping's value matches.
    labels: Annotated[list[text(TrackerMapping, "value")], Field(max_length=FEW)] = []
    team: text(Team, "name") | None = None
    initiative: Ref | None = None
    goal: Ref | None = None
    linked_by: LinkedBy | Literal[""] = ""
    changes: Annotated[list[WorkItemChangeIn], Field(max_length=HISTORY)] = []
    suggestions: Annotated[list[DecidedSuggestionIn], Field(max_length=FEW)] = []

    @field_validator("suggestions")
    @classmethod
    def one_decision_per_target(cls, suggestions):
        refuse_duplicates((target_name(s) for s in suggestions), "a suggestion for")
        return suggestions


class TrackerMappingIn(OneTarget):
    source: Source | Literal[""] = ""
    field: TrackerMapping.Field
    value: text(TrackerMapping, "value")


class RunnerUpIn(Strict):
    initiative: Ref
    title: text(Initiative, "title")
    status: Status
    score: Score


class ClaimIn(Strict):
    said_on: Day
    account: text(Claim, "account")
    said_by: Email | None = None  # a person, by email
    said_by_name: text(Claim, "said_by_name") = ""  # or someone who is not a person here
    text: text(Claim, "text")
    source: text(Claim, "source") = ""
    created_at: Moment | None = None
    created_by: Username | None = None
    verdict: Verdict | Literal[""] = ""
    initiative: Ref | None = None
    initiative_title: text(Claim, "initiative_title") = ""
    initiative_status: Status | Literal[""] = ""
    target_date: Day | None = None
    # The initiative as it stood on the day the claim was said, so "date moved since said" holds.
    said_status: Status | Literal[""] = ""
    said_target_date: Day | None = None
    score: Score | None = None
    matched: bool = False
    runners_up: Annotated[list[RunnerUpIn], Field(max_length=FEW)] = []
    checked_at: Moment | None = None


class DefinitionIn(Strict):
    """A function's own definition of a term, as an editor wrote it."""

    function: Function
    text: text(Definition, "text")
    created_at: Moment | None = None
    updated_at: Moment | None = None


class TermIn(Strict):
    """A glossary term. Its readings from check-ins stay with their check-ins, and its
    divergence is measured again on the importing server."""

    name: text(Term, "name")
    canonical_definition: text(Term, "canonical_definition")
    owner: Email | None = None  # a person, by email
    related: Annotated[list[text(Term, "name")], Field(max_length=FEW)] = []
    definitions: Annotated[list[DefinitionIn], Field(max_length=len(Function))] = []
    created_at: Moment | None = None
    updated_at: Moment | None = None
    archived_at: Moment | None = None

    @field_validator("definitions")
    @classmethod
    def one_definition_per_function(cls, definitions):
        refuse_duplicates((d.function.value for d in definitions), "a definition for")
        return definitions


class OptionIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=300), AfterValidator(clean_text)]
    pros: Annotated[str, Field(max_length=LONG_TEXT), AfterValidator(clean_text)] = ""
    cons: Annotated[str, Field(max_length=LONG_TEXT), AfterValidator(clean_text)] = ""


class CommentIn(Strict):
    author: Email | None = None  # a person, by email
    text: text(Comment, "text")
    kind: Kind = Kind.UNSORTED
    kind_by: KindBy = KindBy.UNSORTED
    kind_confidence: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None
    disagree_and_commit: bool = False
    created_at: Moment | None = None


People = Annotated[list[Email], Field(max_length=HISTORY)]
Refs = Annotated[list[Ref], Field(max_length=HISTORY)]


class DecisionIn(Strict):
    """A decision record; its number is kept, so "decision 12" means the same after an import."""

    number: Ref
    title: text(Decision, "title")
    question: text(Decision, "question")
    context: text(Decision, "context") = ""
    category: text(Decision, "category") = ""
    options: Annotated[list[OptionIn], Field(max_length=FEW)] = []
    outcome: text(Decision, "outcome") = ""
    rationale: text(Decision, "rationale") = ""
    consequences: text(Decision, "consequences") = ""
    owner: Email | None = None
    deciders: People = []
    consulted: People = []
    informed: People = []
    status: DecisionStatus = DecisionStatus.PROPOSED
    raised_on: Day
    decided_on: Day | None = None
    closed_on: Day | None = None
    reversed_because: text(Decision, "reversed_because") = ""
    goals: Refs = []
    initiatives: Refs = []
    blocks: Refs = []
    supersedes: Ref | None = None  # a decision's number
    shared_with_partners: bool = False
    created_at: Moment | None = None
    comments: Annotated[list[CommentIn], Field(max_length=HISTORY)] = []


def small_json(value: dict) -> dict:
    """A JSON object the pages read back (an update's facts, an agenda): bounded in size."""
    if len(json.dumps(value, ensure_ascii=False)) > MAX_JSON:
        raise ValueError(f"is longer than {MAX_JSON:,} characters as JSON")
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(small_json)]


class UpdateIn(Strict):
    """An update with the facts it was gathered with: a published one reads the same after an
    import. Its sendings and back-briefs are this server's history and stay here."""

    number: Ref
    title: text(Update, "title")
    period_start: Day
    period_end: Day
    narrative: text(Update, "narrative") = ""
    partner_note: text(Update, "partner_note") = ""
    facts: JsonObject = {}
    gathered_at: Moment | None = None
    published_at: Moment | None = None
    created_at: Moment | None = None


class FeedbackIn(Strict):
    """What a customer said, with the key its source gave it, so a re-import updates it."""

    source: FeedbackSource
    source_key: text(FeedbackItem, "source_key")
    kind: FeedbackKind = FeedbackKind.NEED
    title: text(FeedbackItem, "title") = ""
    text: text(FeedbackItem, "text")
    account: text(FeedbackItem, "account") = ""
    segment: text(FeedbackItem, "segment") = ""
    account_value: decimal_of(FeedbackItem, "account_value") | None = None
    received_on: Day
    heard_by: Email | None = None  # a person, by email
    competitor: text(FeedbackItem, "competitor") = ""
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    url: Annotated[Link, Field(max_length=FeedbackItem._meta.get_field("url").max_length)] = ""
    value: ValueKind = ""  # an editor's word: functional or psychological value
    created_at: Moment | None = None
    created_by: Username | None = None


class NeedLinkIn(OneTarget):
    """An editor's word on whether a goal or an initiative addresses one feedback item's need.
    The item is named as the file's feedback names it, by its source and key there."""

    source: FeedbackSource
    source_key: text(FeedbackItem, "source_key")
    accepted: bool
    decided_by: Username | None = None  # attribution only, as created_by
    decided_at: Moment | None = None

    @property
    def item(self) -> str:
        return feedback_name(self)


def feedback_name(item: FeedbackIn | NeedLinkIn) -> str:
    """A feedback item as a need link and the messages name it: "zendesk 4812"."""
    return f"{item.source.value} {item.source_key}"


class AttendanceIn(Strict):
    person: Email
    attended: bool = True
    worth_it: bool | None = None
    rated_at: Moment | None = None


class OccurrenceIn(Strict):
    starts_at: Moment
    status: Occurrence.Status = Occurrence.Status.SCHEDULED
    agenda: JsonObject = {}
    notes: text(Occurrence, "notes") = ""
    decisions: Refs = []  # decisions' numbers
    summary_sent_at: Moment | None = None
    attendances: Annotated[list[AttendanceIn], Field(max_length=HISTORY)] = []

    @field_validator("attendances")
    @classmethod
    def one_attendance_per_person(cls, attendances):
        refuse_duplicates((a.person for a in attendances), "attendance of")
        return attendances


def recurrence_rule(value: str) -> str:
    try:
        return check_rule(value)
    except BadRule as error:
        raise ValueError(str(error)) from None


class RitualIn(Strict):
    """A ritual; its calendar feeds are secrets of this server and stay here."""

    number: Ref
    name: text(Ritual, "name")
    kind: RitualKind = RitualKind.OTHER
    purpose: text(Ritual, "purpose")
    owner: Email | None = None
    people: People = []
    teams: Annotated[list[text(Team, "name")], Field(max_length=HISTORY)] = []
    functions: Annotated[list[Function], Field(max_length=len(Function))] = []
    first_date: Day
    start_time: time
    duration_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 60
    time_zone: Annotated[text(Ritual, "time_zone"), django_check(valid_time_zone)]
    rrule: Annotated[text(Ritual, "rrule"), AfterValidator(recurrence_rule)]
    location: text(Ritual, "location") = ""
    ended_on: Day | None = None
    created_at: Moment | None = None
    occurrences: Annotated[list[OccurrenceIn], Field(max_length=HISTORY)] = []

    @field_validator("occurrences")
    @classmethod
    def one_occurrence_per_start(cls, occurrences):
        refuse_duplicates((o.starts_at.isoformat() for o in occurrences), "occurrence at")
        return occurrences


class StatusMappingIn(Strict):
    source_status: text(RoadmapStatusMapping, "source_status")
    status: Status


def rows(model: type[BaseModel], most: int = MANY) -> Any:
    return Annotated[list[model], Field(max_length=most)]


class WorkspaceFile(Strict):
    format: Literal["truenorth.workspace"]
    version: Literal[READABLE_VERSIONS]  # type: ignore[valid-type]  # checked first, by name
    workspace: WorkspaceIn
    teams: rows(TeamIn)
    people: rows(PersonIn)
    memberships: rows(MembershipIn)
    visions: rows(VisionIn)
    goals: rows(GoalIn)
    initiatives: rows(InitiativeIn)
    work_items: rows(WorkItemIn)
    tracker_mappings: rows(TrackerMappingIn) = []
    claims: rows(ClaimIn) = []
    roadmap_status_mappings: rows(StatusMappingIn) = []
    terms: rows(TermIn) = []
    decisions: rows(DecisionIn) = []
    updates: rows(UpdateIn) = []
    rituals: rows(RitualIn) = []
    feedback: rows(FeedbackIn) = []
    need_links: rows(NeedLinkIn) = []

    @field_validator("work_items")
    @classmethod
    def one_item_per_key(cls, items):
        refuse_duplicates((f"{i.source.value} {i.key}" for i in items), "work item")
        return items

    @field_validator("tracker_mappings")
    @classmethod
    def one_mapping_per_value(cls, mappings):
        keys = (f"{m.field.value} {m.value!r} ({m.source or 'any tracker'})" for m in mappings)
        refuse_duplicates(keys, "mapping for")
        return mappings

    @field_validator("terms")
    @classmethod
    def one_term_per_name(cls, terms):
        refuse_duplicates((t.name.lower() for t in terms), "term")  # as the database: any case
        return terms

    @field_validator("decisions")
    @classmethod
    def one_decision_per_number(cls, decisions):
        refuse_duplicates((str(d.number) for d in decisions), "decision")
        return decisions

    @field_validator("feedback")
    @classmethod
    def one_item_per_source_key(cls, items):
        refuse_duplicates((f"{i.source.value} {i.source_key!r}" for i in items), "feedback item")
        return items

    @field_validator("need_links")
    @classmethod
    def one_word_per_item_and_target(cls, links):
        names = (f"{link.item} and {target_name(link)}" for link in links)
        refuse_duplicates(names, "a need link for")
        return links

    @field_validator("updates", "rituals")
    @classmethod
    def one_per_number(cls, rows, info):
        refuse_duplicates((str(row.number) for row in rows), info.field_name.removesuffix("s"))
        return rows

    @model_validator(mode="after")
    def every_reference_is_defined(self):
        defined = {
            "team": {t.name for t in self.teams},
            "person": {p.email for p in self.people},
            "goal": {g.ref for g in self.goals},
            "initiative": {i.ref for i in self.initiatives},
            "term": {t.name.lower() for t in self.terms},
            "decision": {d.number for d in self.decisions},
            "feedback item": {feedback_name(f) for f in self.feedback},
        }
        undefined = [
            f"{path} refers to {kind} {key!r}, which the file does not define"
            for path, kind, key in references(self)
            if key is not None and key not in defined[kind]
        ]
        if undefined:
            raise ValueError("; ".join(undefined[:10]))
        return self

    @model_validator(mode="after")
    def people_and_teams_as_the_pages_keep_them(self):
        """What the people and team pages refuse, refused here too: an imported person who is
        their own manager, or a second "Leadership", could never be saved again afterwards."""
        problems = [
            *case_twins(
                ((f"teams.{n}.name", t.name) for n, t in enumerate(self.teams)), "team name"
            ),
            *case_twins(
                ((f"people.{n}.email", p.email) for n, p in enumerate(self.people)), "email"
            ),
            *loops(
                {p.email: p.manager for p in self.people},
                {p.email: f"people.{n}.manager" for n, p in enumerate(self.people)},
                "nobody is their own manager",
                "{} already reports to {}, directly or not",
            ),
            *loops(
                {t.name: t.parent for t in self.teams},
                {t.name: f"teams.{n}.parent" for n, t in enumerate(self.teams)},
                "no team is its own parent",
                "{} is {} or one of its sub-teams",
            ),
        ]
        if problems:
            raise ValueError("; ".join(problems[:10]))
        return self


def case_twins(paths_and_names: Iterable[tuple[str, str]], what: str) -> Iterator[str]:
    """Names the database keeps once whatever their case, as the pages compare them."""
    first: dict[str, str] = {}
    for path, name in paths_and_names:
        earlier = first.setdefault(name.casefold(), path)
        if earlier != path:
            yield f"{path}: {what} {name!r} is also at {earlier}; {what}s are unique whatever their case"


def loops(up: dict, paths: dict[str, str], own: str, around: str) -> Iterator[str]:
    """Rows whose chain upwards (a person's manager, a team's parent) comes back to them: each
    loop once, at the first row of the file in it."""
    reported: set[str] = set()
    for key, path in paths.items():
        chain = [key]
        while up.get(chain[-1]) is not None and up[chain[-1]] not in chain:
            chain.append(up[chain[-1]])
        if up.get(chain[-1]) != key or key in reported:
            continue
        reported.update(chain)
        problem = own if len(chain) == 1 else around.format(repr(up[key]), repr(key))
        yield f"{path}: {problem}"


def references(file: WorkspaceFile) -> Iterator[tuple[str, str, object]]:
    """(path, kind, key) of every reference between the file's objects."""
    for n, team in enumerate(file.teams):
        yield f"teams.{n}.parent", "team", team.parent
    for n, person in enumerate(file.people):
        yield f"people.{n}.team", "team", person.team
        yield f"people.{n}.manager", "person", person.manager
    for n, login in enumerate(file.memberships):
        yield f"memberships.{n}.person", "person", login.person
    for n, initiative in enumerate(file.initiatives):
        yield f"initiatives.{n}.goal", "goal", initiative.goal
        yield f"initiatives.{n}.team", "team", initiative.team
    for n, item in enumerate(file.work_items):
        yield f"work_items.{n}.team", "team", item.team
        yield from targets(f"work_items.{n}", item)
        for m, suggestion in enumerate(item.suggestions):
            yield from targets(f"work_items.{n}.suggestions.{m}", suggestion)
    for n, mapping in enumerate(file.tracker_mappings):
        yield from targets(f"tracker_mappings.{n}", mapping)
    for n, claim in enumerate(file.claims):
        yield f"claims.{n}.said_by", "person", claim.said_by
        yield f"claims.{n}.initiative", "initiative", claim.initiative
        for m, runner_up in enumerate(claim.runners_up):
            yield f"claims.{n}.runners_up.{m}.initiative", "initiative", runner_up.initiative
    for n, term in enumerate(file.terms):
        yield f"terms.{n}.owner", "person", term.owner
        for m, name in enumerate(term.related):
            yield f"terms.{n}.related.{m}", "term", name.lower()
    for n, decision in enumerate(file.decisions):
        yield from decision_references(f"decisions.{n}", decision)
    for n, ritual in enumerate(file.rituals):
        yield from ritual_references(f"rituals.{n}", ritual)
    for n, item in enumerate(file.feedback):
        yield f"feedback.{n}.heard_by", "person", item.heard_by
    for n, link in enumerate(file.need_links):
        yield f"need_links.{n}", "feedback item", link.item
        yield from targets(f"need_links.{n}", link)


def ritual_references(path: str, ritual: RitualIn) -> Iterator[tuple[str, str, object]]:
    yield f"{path}.owner", "person", ritual.owner
    for m, email in enumerate(ritual.people):
        yield f"{path}.people.{m}", "person", email
    for m, team in enumerate(ritual.teams):
        yield f"{path}.teams.{m}", "team", team
    for m, occurrence in enumerate(ritual.occurrences):
        for k, number in enumerate(occurrence.decisions):
            yield f"{path}.occurrences.{m}.decisions.{k}", "decision", number
        for k, attendance in enumerate(occurrence.attendances):
            yield f"{path}.occurrences.{m}.attendances.{k}.person", "person", attendance.person


def decision_references(path: str, decision: DecisionIn) -> Iterator[tuple[str, str, object]]:
    yield f"{path}.owner", "person", decision.owner
    yield f"{path}.supersedes", "decision", decision.supersedes
    for role in ("deciders", "consulted", "informed"):
        for m, email in enumerate(getattr(decision, role)):
            yield f"{path}.{role}.{m}", "person", email
    for m, goal in enumerate(decision.goals):
        yield f"{path}.goals.{m}", "goal", goal
    for links in ("initiatives", "blocks"):
        for m, initiative in enumerate(getattr(decision, links)):
            yield f"{path}.{links}.{m}", "initiative", initiative
    for m, comment in enumerate(decision.comments):
        yield f"{path}.comments.{m}.author", "person", comment.author


def targets(path: str, linked) -> Iterator[tuple[str, str, object]]:
    yield f"{path}.initiative", "initiative", linked.initiative
    yield f"{path}.goal", "goal", linked.goal


def refuse_duplicates(keys: Iterable[str], what: str) -> None:
    """The database keeps one of each; say which one the file repeats."""
    seen = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{what} {key} appears more than once")
        seen.add(key)


def target_name(linked: OneTarget) -> str:
    return f"initiative {linked.initiative}" if linked.initiative else f"goal {linked.goal}"
