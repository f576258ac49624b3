"""Rituals' pages and their JSON twins: the list, one ritual, one occurrence, the calendar feeds
a person subscribes to, and the feed itself (no login: a calendar application cannot log in, so
the secret in its URL is the only key, and an unknown or revoked one gets the same 404)."""

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from truenorth import charts
from truenorth.refusals import labelled_problems, post_only, posted, read_only, refused
from truenorth.rituals import actions, agenda, cadence, calendar, health, recurrence
from truenorth.rituals import summary as ritual_summary
from truenorth.rituals.forms import DecisionForm, NotesForm, RitualForm
from truenorth.rituals.models import CalendarFeed, Kind, Occurrence, Ritual
from truenorth.rituals.recurrence import BadRule
from truenorth.rituals.tasks import send_ritual_summary
from truenorth.workspaces.access import INTERNAL, WRITE, workspace_view
from truenorth.workspaces.background import DONE, FAILED, outcome

RECENT = 8  # past occurrences a ritual's page shows
UPCOMING = 4
FEED_MAX_AGE = 60 * 60  # seconds a calendar may keep the feed: its REFRESH-INTERVAL too

# What good looks like, said next to a ritual's health: the test the assessment applies.
GOOD = (
    "A ritual is worth keeping while most of those who come find it worth it and most of those "
    "invited come; when either falls across its last sessions, reshape its agenda or cancel it."
)


def get_ritual(membership, number: int) -> Ritual:
    ritual = (
        Ritual.objects.filter(workspace=membership.workspace, number=number)
        .select_related("owner", "workspace")
        .first()
    )
    if ritual is None:
        raise Http404("No such ritual")
    return ritual


def parse_day(text: str) -> date:
    try:
        found = date.fromisoformat(text)
    except ValueError:
        raise Http404("Not a date") from None
    if not 1900 <= found.year <= 2999:  # no ritual meets then; and 9999-12-31 + 1 day overflows
        raise Http404("No such day")
    return found


def get_occurrence(membership, number: int, day: str) -> tuple[Ritual, datetime, Occurrence | None]:
    """(ritual, its start on that local day, the row if something happened to it); a day with
    no session, by the rule or recorded, is not a page (404)."""
    ritual = get_ritual(membership, number)
    starts_at = actions.session_on(ritual, parse_day(day))
    if starts_at is None:
        raise Http404("The ritual does not meet that day")
    return ritual, starts_at, actions.occurrence(ritual, starts_at)


def day_of(ritual: Ritual, starts_at: datetime) -> str:
    return recurrence.local(ritual, starts_at).date().isoformat()


def occurrence_url(ritual: Ritual, starts_at: datetime) -> str:
    slug = ritual.workspace.slug
    return reverse("ritual_occurrence", args=[slug, ritual.number, day_of(ritual, starts_at)])


def assessment(ritual: Ritual, now: datetime) -> dict:
    found = health.assess(ritual, now)
    return {
        "level": found.level,
        "suggestion": found.suggestion,
        "verdict": found.verdict,
        "worth_it": found.worth_it,
        "worth_it_before": found.worth_it_before,
        "attendance": found.attendance,
        "attendance_before": found.attendance_before,
        "signs": found.signs,
        "ratings_left_out": found.left_out,
        "left_out_note": found.left_out_note,
        "ratings_never_shown": health.never_shown_note(found.attendees or 0, found.threshold),
    }


def summary(ritual: Ritual, now: datetime, people: int | None = None) -> dict:
    """A ritual as the list and the JSON twins show it."""
    upcoming = actions.next_session(ritual, now)
    slug = ritual.workspace.slug
    return {
        "number": ritual.number,
        "name": ritual.name,
        "kind": ritual.kind,
        "kind_label": Kind(ritual.kind).label,
        "cadence": cadence.of(ritual),
        "rrule": ritual.rrule,
        "next": recurrence.local(ritual, upcoming).isoformat() if upcoming else None,
        "next_page": occurrence_url(ritual, upcoming) if upcoming else None,
        "owner": ritual.owner.name if ritual.owner else None,
        "attendees": len(actions.attendees(ritual)) if people is None else people,
        "ended_on": ritual.ended_on.isoformat() if ritual.ended_on else None,
        "health": assessment(ritual, now),
        "page": reverse("ritual", args=[slug, ritual.number]),
    }


def rituals_of(membership):
    return Ritual.objects.filter(workspace=membership.workspace).select_related(
        "owner", "workspace"
    )


@workspace_view(INTERNAL)
@read_only
def ritual_list(request, membership):
    now = timezone.now()
    rows = [{"ritual": r, **summary(r, now)} for r in rituals_of(membership)]
    context = {
        "current": [r for r in rows if r["next"]],
        "ended": [r for r in rows if not r["next"]],
        "can_write": membership.can_write,
        "kinds": [(k.value, k.label) for k in Kind],
    }
    return render(request, "rituals/list.html", context)


@workspace_view(INTERNAL)
@read_only
def list_json(request, membership):
    now = timezone.now()
    return JsonResponse({"rituals": [summary(r, now) for r in rituals_of(membership)]})


def form_errors(form) -> str:
    return "; ".join(labelled_problems(form, "Ritual"))


def save_form(request, membership, ritual: Ritual | None):
    """Create or edit from the form; its problems come back on the form with a 400."""
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in Kind.values else {}
    form = RitualForm(
        posted(request), instance=ritual, workspace=membership.workspace, initial=initial
    )
    context = {"form": form, "ritual": ritual}
    if request.method != "POST":
        return render(request, "rituals/edit.html", context)
    if not form.is_valid():
        messages.error(request, f"Not saved: {form_errors(form)}")
        return render(request, "rituals/edit.html", context, status=400)
    saved = form.save()
    people, teams = form.cleaned_data["people"], form.cleaned_data["teams"]
    try:
        if ritual is None:
            saved = actions.create_ritual(saved, people, teams, by=request.user)
        else:
            saved = actions.save_ritual(saved, people, teams)
    except (BadRule, actions.BadEnd) as bad:  # the form checks both first; this is the last word
        form.add_error(None, str(bad))
        return render(request, "rituals/edit.html", context, status=400)
    messages.success(request, f"Ritual {saved.number} saved: {cadence.of(saved)}.")
    threshold = membership.workspace.anonymity_threshold
    if few := health.never_shown_note(len(actions.attendees(saved)), threshold):
        messages.warning(request, few)  # a note: a small ritual is worth holding all the same
    return redirect("ritual", membership.workspace.slug, saved.number)


@workspace_view(WRITE)
def new_ritual(request, membership):
    return save_form(request, membership, None)


@workspace_view(WRITE)
def edit_ritual(request, membership, ritual_number):
    return save_form(request, membership, get_ritual(membership, ritual_number))


def occurrence_rows(
    ritual: Ritual, instants: list[datetime], people: int, now: datetime
) -> list[dict]:
    """Each start with what happened to it: status, worth-it share (once its ratings have
    closed) and attendance share."""
    threshold = ritual.workspace.anonymity_threshold
    found = {
        row.starts_at: row
        for row in Occurrence.objects.filter(ritual=ritual, starts_at__in=instants)
        .prefetch_related("attendances")
        .order_by()
    }
    rows = []
    for instant in instants:
        row = found.get(instant)
        marks = list(row.attendances.all()) if row else []
        yes, rated = health.ratings_of(marks)
        came = [m for m in marks if m.attended]
        status = row.status if row else Occurrence.Status.SCHEDULED
        rows.append(
            {
                "day": day_of(ritual, instant),
                "starts": recurrence.local(ritual, instant).isoformat(),
                "status": status,
                "worth_it": yes / rated if health.shown(rated, threshold, instant, now) else None,
                "ratings": rated,
                "ratings_close": None
                if health.ratings_closed(instant, now)
                else recurrence.local(ritual, health.ratings_close(instant)).isoformat(),
                "attendance": len(came) / people
                if people and row and row.status == "held"
                else None,
                "page": occurrence_url(ritual, instant),
            }
        )
    return rows


def ritual_data(ritual: Ritual, now: datetime) -> dict:
    people = actions.attendees(ritual)
    coming = actions.coming_sessions(ritual, now, 400)
    data = summary(ritual, now, len(people))
    data.update(
        {
            "purpose": ritual.purpose,
            "time_zone": ritual.time_zone,
            "start_time": ritual.start_time.strftime("%H:%M"),
            "duration_minutes": ritual.duration_minutes,
            "location": ritual.location,
            "people": [p.name for p in people],
            "teams": [t.name for t in ritual.teams.all()],
            "functions": ritual.function_labels,
            "recent": occurrence_rows(
                ritual, actions.past_sessions(ritual, now, RECENT)[::-1], len(people), now
            ),
            "upcoming": [
                {"day": day_of(ritual, s), "page": occurrence_url(ritual, s)}
                for s in coming[:UPCOMING]
            ],
        }
    )
    return data


NAMED_SHOWN = 5  # people invited by name the header names; the rest are counted


def named_people(ritual: Ritual) -> str:
    """ "Ana, Ben and 3 more": those invited by name, besides its teams and functions."""
    names = list(ritual.people.filter(active=True).order_by("name").values_list("name", flat=True))
    if len(names) <= NAMED_SHOWN:
        return ", ".join(names)
    return f"{', '.join(names[:NAMED_SHOWN])} and {len(names) - NAMED_SHOWN} more"


@workspace_view(INTERNAL)
@read_only
def ritual_page(request, membership, ritual_number):
    ritual = get_ritual(membership, ritual_number)
    data = ritual_data(ritual, timezone.now())
    held = [r for r in data["recent"] if r["status"] == "held"][::-1]
    # No link in the chart's figures: each session's day links to its page once, in the table
    # of recent sessions under it, not a second time among the same figures. Each bar is named
    # by its day as every page writes one ("3 Nov 2026"), as that table names it.
    chart = charts.bars(
        [
            charts.Bar(
                date_format(date.fromisoformat(r["day"])),
                r["worth_it"],
                note=f"{r['ratings']} rated",
            )
            for r in held
            if r["worth_it"] is not None
        ],
        title="Worth it, session by session",
        header=("Session", "Worth it", "Ratings"),
        empty_message="No session rated yet.",
    )
    context = {
        "ritual": ritual,
        "data": data,
        "named": named_people(ritual),
        "good": GOOD,
        "chart": chart,
        "can_write": membership.can_write,
        "today": timezone.localdate(),
    }
    return render(request, "rituals/ritual.html", context)


@workspace_view(INTERNAL)
@read_only
def ritual_json(request, membership, ritual_number):
    ritual = get_ritual(membership, ritual_number)
    data = ritual_data(ritual, timezone.now())
    data["health"]["what_good_looks_like"] = GOOD
    return JsonResponse(data)


@post_only
@workspace_view(WRITE)
def end(request, membership, ritual_number):
    ritual = get_ritual(membership, ritual_number)
    try:
        on = date.fromisoformat(request.POST.get("on") or timezone.localdate().isoformat())
    except ValueError:
        return refused(request, "Give the day it ends on as YYYY-MM-DD.")
    try:
        actions.end_ritual(ritual, on)
    except actions.BadEnd as bad:
        return refused(request, str(bad))
    messages.success(
        request,
        f"{ritual.name} ends on {on:%-d %B %Y}: no session on that day or after; "
        "the sessions held before stay.",
    )
    return redirect("ritual", membership.workspace.slug, ritual.number)


# --- One occurrence ---


def occurrence_data(ritual, starts_at, row, membership) -> dict:
    people = actions.attendees(ritual)
    marks = {m.person_id: m for m in row.attendances.all()} if row else {}
    me = membership.person_id
    if actions.rated_before_link(membership, marks.get(me)):
        me = None  # their rating is not the login's to read or change
    data = {
        "ritual": ritual.number,
        "name": ritual.name,
        "day": day_of(ritual, starts_at),
        "starts": recurrence.local(ritual, starts_at).isoformat(),
        "status": row.status if row else Occurrence.Status.SCHEDULED,
        "notes": row.notes if row else "",
        "agenda": agenda.for_occurrence(
            ritual, starts_at, row, results=membership.can_read_results
        ),
        "attendees": [
            {
                "id": p.pk,  # a person's id, as a program names who came (`attended`)
                "name": p.name,
                "attended": marks[p.pk].attended if p.pk in marks else None,
                # Each says "worth it?" to the ritual, not to the room: only their own shows.
                "worth_it": marks[p.pk].worth_it if p.pk in marks and p.pk == me else None,
            }
            for p in people
        ],
        "decisions": [
            {
                "number": d.number,
                "title": d.title,
                "page": reverse("decision", args=[ritual.workspace.slug, d.number]),
            }
            for d in (row.decisions.all() if row else [])
        ],
        # In the workspace's time zone, as the page reads its day from it ("Sent 2026-01-12.").
        "summary_sent_at": (
            timezone.localtime(row.summary_sent_at).isoformat()
            if row and row.summary_sent_at
            else None
        ),
        "my_rating": marks[me].worth_it if me in marks else None,
        "can_rate": me is not None and any(p.pk == me for p in people),
        "ratings_close": recurrence.local(ritual, health.ratings_close(starts_at)).isoformat(),
        "ratings_open": not health.ratings_closed(starts_at, timezone.now()),
        "ratings_never_shown": health.never_shown_note(
            len(people), ritual.workspace.anonymity_threshold
        ),
    }
    return data


def occurrence_context(request, membership, ritual, starts_at, row, notes=None, decision=None):
    data = occurrence_data(ritual, starts_at, row, membership)
    people = actions.attendees(ritual)
    if notes is None:
        # Before anything is recorded, everyone is ticked: fewer clicks for a full room.
        held = row is not None and row.status == Occurrence.Status.HELD
        came = [m.person_id for m in row.attendances.all() if m.attended] if held else []
        initial = {
            "notes": data["notes"],
            "attended": came if held else [p.pk for p in people],
            "stamp": actions.notes_stamp(row),
        }
        notes = NotesForm(initial=initial, attendees=people)
    return {
        "ritual": ritual,
        "data": data,
        "notes_form": notes,
        "decision_form": decision or DecisionForm(workspace=membership.workspace),
        "can_write": membership.can_write,
        "past": starts_at <= timezone.now(),
        # Notes, who came, a rating or a decision: a session with any of them was not empty.
        "recorded": row is not None and actions.recorded(ritual).filter(pk=row.pk).exists(),
    }


@workspace_view(INTERNAL)
@read_only
def occurrence_page(request, membership, ritual_number, day):
    ritual, starts_at, row = get_occurrence(membership, ritual_number, day)
    context = occurrence_context(request, membership, ritual, starts_at, row)
    return render(request, "rituals/occurrence.html", context)


@workspace_view(INTERNAL)
@read_only
def occurrence_json(request, membership, ritual_number, day):
    ritual, starts_at, row = get_occurrence(membership, ritual_number, day)
    return JsonResponse(occurrence_data(ritual, starts_at, row, membership))


def back_to(membership, ritual: Ritual, starts_at: datetime):
    return redirect(occurrence_url(ritual, starts_at))


def not_started(request, membership, ritual, starts_at, row, why):
    """The session's page again, saying why nothing was recorded (it offers no form until
    the session starts: this is a post from elsewhere)."""
    messages.error(request, str(why))
    context = occurrence_context(request, membership, ritual, starts_at, row)
    return render(request, "rituals/occurrence.html", context, status=400)


def typed(request, *names: str) -> bool:
    return any(request.POST.get(name, "").strip() for name in names)


def record_session(request, membership, ritual_number, day, pressed: str):
    """The session's one form: its notes and who came, and a decision, with a button for each.
    Whichever is pressed, whatever else was typed is kept too: notes typed before recording a
    decision are saved with it, and a decision typed before saving the notes is recorded."""
    ritual, starts_at, row = get_occurrence(membership, ritual_number, day)
    people = actions.attendees(ritual)
    with_notes = pressed == "notes" or typed(request, "notes")
    with_decision = pressed == "decision" or typed(
        request, "title", "question", "outcome", "rationale"
    )
    notes = NotesForm(request.POST, attendees=people)
    decision = DecisionForm(request.POST, workspace=membership.workspace)
    problems = [
        f"{what} not saved: {form_errors(form)}"
        for what, form, wanted in (
            ("Notes", notes, with_notes),
            ("Decision", decision, with_decision),
        )
        if wanted and not form.is_valid()
    ]
    if problems:
        messages.error(request, "; ".join(problems))
        if not with_decision:  # nothing typed in it: no "required" under each of its fields
            decision = DecisionForm(workspace=membership.workspace)
        context = occurrence_context(
            request, membership, ritual, starts_at, row, notes=notes, decision=decision
        )
        return render(request, "rituals/occurrence.html", context, status=400)
    said = []
    try:
        with transaction.atomic():
            found = actions.occurrence(ritual, starts_at, create=True)
            if with_notes:
                came = list(notes.cleaned_data["attended"])
                opened_on = notes.cleaned_data["stamp"] or actions.notes_stamp(None)
                actions.record_notes(found, notes.cleaned_data["notes"], came, opened_on)
                said.append("Notes saved; the session is marked held and its agenda kept.")
            if with_decision:
                data = decision.cleaned_data
                made = actions.record_decision(
                    found,
                    data["title"],
                    data["question"],
                    data["outcome"],
                    data["rationale"],
                    owner=data["owner"],
                    by=request.user,
                )
                said.append(f"Decision {made.number} recorded in the decision log.")
    except actions.NotStarted as early:
        return not_started(request, membership, ritual, starts_at, row, early)
    except actions.ChangedSince:
        if not with_decision:  # nothing typed in it: no "required" under each of its fields
            decision = DecisionForm(workspace=membership.workspace)
        return recorded_meanwhile(request, membership, ritual, starts_at, decision)
    messages.success(request, " ".join(said))
    return back_to(membership, ritual, starts_at)


NOTES_QUOTED = 300  # characters of the notes recorded meanwhile the refusal quotes


def recorded_meanwhile(request, membership, ritual, starts_at, decision):
    """Nothing saved: the session was recorded since the page was opened. The page again with
    what is recorded now, and the form as typed, stamped afresh: saving it again replaces what
    was recorded, knowingly."""
    row = actions.occurrence(ritual, starts_at)
    people = actions.attendees(ritual)
    marks = row.attendances.filter(attended=True).select_related("person") if row else []
    came = sorted(a.person.name for a in marks)
    notes = (row.notes if row else "").strip()
    quoted = notes[:NOTES_QUOTED] + ("…" if len(notes) > NOTES_QUOTED else "")
    messages.error(
        request,
        "Not saved: this session was recorded since you opened the page (by someone else, or "
        "in another tab). "
        f"Recorded meanwhile: notes “{quoted or 'none'}”; "
        f"{len(came)} of {len(people)} came{': ' + ', '.join(came) if came else ''}. "
        "What you typed is kept below: merge in what should stay and save again to replace it.",
    )
    typed_again = request.POST.copy()
    typed_again["stamp"] = actions.notes_stamp(row)
    notes_form = NotesForm(typed_again, attendees=people)
    context = occurrence_context(
        request, membership, ritual, starts_at, row, notes=notes_form, decision=decision
    )
    return render(request, "rituals/occurrence.html", context, status=409)


@post_only
@workspace_view(WRITE)
def save_notes(request, membership, ritual_number, day):
    return record_session(request, membership, ritual_number, day, "notes")


@post_only
@workspace_view(WRITE)
def add_decision(request, membership, ritual_number, day):
    return record_session(request, membership, ritual_number, day, "decision")


@post_only
@workspace_view(WRITE)
def skip(request, membership, ritual_number, day):
    ritual, starts_at, _ = get_occurrence(membership, ritual_number, day)
    try:
        actions.skip(ritual, starts_at)
    except actions.HeldAlready as held:
        return refused(request, str(held))
    messages.success(request, "Skipped: calendars that subscribe leave this date out.")
    return back_to(membership, ritual, starts_at)


@post_only
@workspace_view(WRITE)
def send_summary(request, membership, ritual_number, day):
    """Email the summary to the attendees who missed the session, after commit."""
    ritual, starts_at, row = get_occurrence(membership, ritual_number, day)
    if row is None or row.status != Occurrence.Status.HELD:
        return refused(
            request, "Record the notes of the session first: the summary is made of them."
        )
    if row.summary_sent_at is not None:
        sent = timezone.localdate(row.summary_sent_at)  # the workspace's day, not UTC's
        return refused(request, f"The summary went out on {sent:%-d %B %Y}; it is sent once.")
    if not ritual_summary.absentees(row):
        messages.error(request, ritual_summary.nobody_missed_it(row))
        return back_to(membership, ritual, starts_at)
    queued = []
    transaction.on_commit(lambda: queued.append(send_ritual_summary.enqueue(row.pk)))
    # Inline tasks have finished by now; a worker's have not.
    result = queued[0] if queued and queued[0].is_finished else None
    state, counts = outcome(result) if result else (None, None)
    if state == DONE:
        tell = messages.error if counts.get("error") else messages.success
        if not counts.get("recipients"):  # nothing was sent: the reason alone says why
            tell(request, counts.get("error") or "Nobody to send the summary to.")
            return back_to(membership, ritual, starts_at)
        words = f"Summary sent to {counts.get('sent', 0)} of {counts.get('recipients', 0)}"
        if counts.get("skipped"):
            words += f"; {counts['skipped']} without an email address"
        if counts.get("error"):
            words += f". {counts['error'].rstrip('.')}"
        tell(request, words + ".")
    elif state == FAILED:
        messages.error(request, "Sending the summary stopped on an error; nothing is marked sent.")
    else:
        messages.info(request, "Sending the summary in the background.")
    return back_to(membership, ritual, starts_at)


@post_only
@workspace_view(INTERNAL)
def rate(request, membership, ritual_number, day):
    """One click: was this session worth it? For the attendees, whatever their role."""
    ritual, starts_at, row = get_occurrence(membership, ritual_number, day)
    answer = request.POST.get("worth_it")
    if answer not in ("yes", "no"):
        return refused(request, "Answer worth_it=yes or worth_it=no.")
    person = membership.person
    if person is None or person not in actions.attendees(ritual):
        return refused(request, "Only the ritual's attendees rate its sessions.")
    try:
        with transaction.atomic():
            found = actions.occurrence(ritual, starts_at, create=True)
            actions.rate(found, person, answer == "yes", by=membership)
    except (actions.NotStarted, actions.RatedBeforeLink, actions.RatingsClosed) as early:
        return refused(request, str(early))
    messages.success(request, "Thank you: your rating counts towards the ritual's health.")
    return back_to(membership, ritual, starts_at)


# --- Calendar feeds ---


def feed_rows(membership) -> list[dict]:
    feeds = CalendarFeed.objects.filter(workspace=membership.workspace, revoked_at=None)
    if not membership.can_write:
        feeds = feeds.filter(person_id=membership.person_id or 0)
    return [
        {
            "id": f.pk,
            "whose": f.person.name if f.person else "The whole workspace",
            "mine": f.person_id is not None and f.person_id == membership.person_id,
            "created_at": f.created_at,
            "last_read_at": f.last_read_at,
        }
        for f in feeds.select_related("person")
    ]


def calendar_context(membership, new_url: str = "", scope: str = "") -> dict:
    person = membership.person
    return {
        "feeds": feed_rows(membership),
        "can_write": membership.can_write,
        "has_person": person is not None,
        # A person's feed carries only their rituals: with none, it stays empty.
        "attends_none": person is not None
        and not calendar.attended_by(rituals_of(membership), person),
        "new_url": new_url,
        "new_scope": scope,
    }


@workspace_view(INTERNAL)
@read_only
def calendar_page(request, membership):
    return render(request, "rituals/calendar.html", calendar_context(membership))


@post_only
@workspace_view(INTERNAL)
def new_feed(request, membership):
    """A new secret feed URL, shown in this one answer and never again (only its hash is kept)."""
    scope = request.POST.get("scope")
    if scope == "workspace":
        if not membership.can_write:
            raise PermissionDenied("Only owners and editors make the workspace's feed.")
        person = None
    elif scope == "person":
        if membership.person is None:
            return refused(
                request,
                "Your login is not linked to a person of this workspace, so it has no rituals "
                "of its own; an owner links it on the People page.",
            )
        person = membership.person
    else:
        return refused(request, "Say whose feed: scope=person or scope=workspace.")
    feed, token = CalendarFeed.issue(membership.workspace, person, by=request.user)
    url = request.build_absolute_uri(calendar.feed_url(token))
    context = calendar_context(membership, new_url=url, scope=scope)
    return render(request, "rituals/calendar.html", context, status=201)


@post_only
@workspace_view(INTERNAL)
def revoke_feed(request, membership, feed_id):
    feed = CalendarFeed.objects.filter(
        workspace=membership.workspace, pk=feed_id, revoked_at=None
    ).first()
    mine = feed is not None and feed.person_id and feed.person_id == membership.person_id
    if feed is None or not (mine or membership.can_write):
        return refused(request, "No such feed of yours: it may be revoked already.")
    calendar.revoke(feed)
    messages.success(request, "Feed revoked: its URL answers nothing from now on.")
    return redirect("ritual_calendar", membership.workspace.slug)


@read_only
def calendar_feed(request, token):
    """The iCalendar file a calendar application subscribes to; no login, the token is the key."""
    feed = calendar.feed_for_token(token)
    if feed is None:  # unknown or revoked: the same words, so a guess learns nothing
        return HttpResponseNotFound("No such calendar.", content_type="text/plain; charset=utf-8")
    response = HttpResponse(calendar.ics(feed), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    response["Content-Disposition"] = 'inline; filename="rituals.ics"'
    return response
