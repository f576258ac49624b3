import re
import zoneinfo
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.debug import sensitive_post_parameters
from django_tasks import TaskResultStatus

from truenorth.analysis.fidelity import UNDERSTANDS
from truenorth.checkins.actions import (
    NotCompanyWide,
    Sent,
    add_question,
    addresses_changed_after_sending,
    checkin_url,
    closing_in_words,
    delivery,
    hand_out_links,
    invitation_for,
    newcomers,
    nobody_due,
    pin_to_dashboard,
    response_for,
    sending_refused,
    submit_response_when_free,
    without_link,
)
from truenorth.checkins.forms import (
    PRIORITY_LIMIT,
    AnswerForm,
    CheckInForm,
    DatesForm,
    QuestionForm,
)
from truenorth.checkins.measure import (
    NotOpenYet,
    alike_and_readings,
    close_checkin,
    current_report,
    heatmap,
    part_coverage,
    release_state,
    vision_source,
)
from truenorth.checkins.models import (
    BACK_BRIEF,
    CLOSED_UNSENT,
    TOKEN_SECRET_LENGTH,
    CheckIn,
    Delivery,
    Invitation,
    Report,
    Response,
    Role,
    token_checkin_id,
)
from truenorth.checkins.overlaps import (
    closing_refused,
    if_closed_now,
    never_publishable,
    never_published_words,
    publication_refused,
    publication_refused_shown,
    refused_for_good,
    refused_while_open,
)
from truenorth.checkins.overlaps import warnings as overlap_warnings
from truenorth.checkins.tasks import analyze_checkin, queue_links
from truenorth.exports import csv_response
from truenorth.refusals import form_status, post_only, posted, read_only, refused
from truenorth.sending import in_quotes
from truenorth.workspaces import first_run, progress, workers
from truenorth.workspaces.access import INTERNAL, RESULTS, WRITE, workspace_view
from truenorth.workspaces.figures import cached, compressed, expanded
from truenorth.workspaces.mailserver import mail_server_problem, reaching_nobody

# The personal link's token, once posted, lives in this signed cookie for a working day.
LINK_COOKIE = "checkin_link"
LINK_SALT = "truenorth.checkins.link"
LINK_MAX_AGE = 8 * 60 * 60  # a working day: long answers are not lost to an expired cookie
# The answer form's fields: q<position>, and q<position>_<box> for a priorities question's boxes.
ANSWER_FIELD = re.compile(r"q\d+(_\d+)?")


# A page of the personal link is padded to a multiple of this many bytes. It shows the answers
# saved, so its size would otherwise be a fixed frame plus their length: a log of sizes beside
# the time and address of each visit, or anyone watching the encrypted traffic, could match a
# visit to the answer of that length (docs/privacy.md).
LINK_PAGE_BYTES = 32 * 1024


def link_page(view):
    """A page of the personal link: never cached, its address sent to no other site (it holds
    no token, but which check-in page someone came from is nobody else's business), and its
    size telling nothing of the answers on it."""

    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        patch_cache_control(response, no_transform=True)  # a proxy's compression undoes padding
        return padded(response)

    return wrapped


def padded(response):
    """The response with blanks after its HTML up to a multiple of LINK_PAGE_BYTES."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return response
    short = -len(response.content) % LINK_PAGE_BYTES
    if short:
        response.content += b" " * short
    return response


@link_page
@ensure_csrf_cookie
def answer(request):
    """The personal link: no login, one response per person, editable until the close.

    The emailed link is /c/#<token>. Browsers never send what follows '#', so this page's script
    posts it to open_answer, which keeps it in a cookie; no request line, so no log, holds it.
    Without the cookie, the page asks for the link, which also works without JavaScript.
    """
    token = request.get_signed_cookie(LINK_COOKIE, None, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    if token is None:
        context = {"expired": request.method == "POST", "carried": carried_answers(request)}
        return render(request, "checkins/open.html", context)
    invitation = invitation_for(token)
    if invitation is None:
        return link_not_found(request)
    return answer_page_in_its_time_zone(request, invitation, token)


def answer_page_in_its_time_zone(request, invitation, token: str):
    # Its dates read in the workspace's time zone, as on its pages and in its emails.
    with timezone.override(zoneinfo.ZoneInfo(invitation.checkin.workspace.time_zone)):
        return answer_page(request, invitation, token)


def carried_answers(request) -> list[tuple[str, str]]:
    """The answer fields of a post whose link cookie had expired, to carry through opening the
    link again: a page left open past LINK_MAX_AGE loses nothing that was typed on it."""
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name in request.POST
        if ANSWER_FIELD.fullmatch(name)
        for value in request.POST.getlist(name)
    ]


def answer_page(request, invitation, token: str):
    checkin = invitation.checkin
    context = {
        "checkin": checkin,
        "workspace_name": checkin.workspace.name,
        "closes": closing_in_words(checkin),
    }
    if not checkin.is_open():
        context["answered_before"] = response_for(checkin, token) is not None
        context["unsaved"] = unsaved_answers(request, checkin)
        # 409: what was posted came too late to be saved (the page shows it back).
        status = 409 if request.method == "POST" else 200
        return render(request, "checkins/closed.html", context, status=status)
    questions = checkin.questions.all()
    previous = response_for(checkin, token)
    form = AnswerForm(posted(request), questions=questions, initial=initial_answers(previous))
    saved = busy = False
    if request.method == "POST" and form.is_valid():
        if submit_response_when_free(invitation, token, form.answers()):
            # Shown by a GET: a phone's pull-to-refresh then sends nothing again.
            return redirect(reverse("answer") + "?saved=1")
        busy = True
    saved = request.method == "GET" and "saved" in request.GET and previous is not None
    context.update(form=form, saved=saved, busy=busy, answered_before=previous is not None)
    context["priority_limit"] = PRIORITY_LIMIT
    context["never_published"] = never_published_words(checkin)
    # 503: the answers were not saved, and the form holds them to send again; 400: the form
    # says what needs a look, like every form that refuses what was posted.
    status = 503 if busy else form_status(form)
    return render(request, "checkins/answer.html", context, status=status)


def unsaved_answers(request, checkin) -> list[dict]:
    """What was just posted to a check-in that has closed since its page was opened, question
    by question, for the closed page to show back: typed on a page left open, it is not lost."""
    if request.method != "POST":
        return []
    form = AnswerForm(request.POST, questions=checkin.questions.all())
    shown = []
    for field in form:
        value = field.value()
        if isinstance(value, list):  # the priorities' boxes, one a line as they are saved
            value = "\n".join(box.strip() for box in value if box and box.strip())
        elif value and hasattr(field.field, "scale_ends"):
            value = "{} (1 = {}, 5 = {})".format(value, *field.field.scale_ends)
        if value:
            shown.append({"id": f"unsaved-{field.name}", "prompt": field.label, "text": value})
    return shown


@link_page
@post_only
@sensitive_post_parameters("link")  # an error report must not carry the token into a log
def open_answer(request):
    """Check a personal link (or its token), sent in the body, and keep it in a short cookie."""
    token = request.POST.get("link", "").strip().rpartition("#")[2].strip()
    invitation = invitation_for(token)
    if invitation is None:
        said = {"not_found": True, "cut_short": cut_short(token)}
        # A link mistyped, or replaced since, must not forget the one this browser holds.
        held = request.get_signed_cookie(LINK_COOKIE, None, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        if held is not None and invitation_for(held) is not None:
            return render(request, "checkins/open.html", {**said, "held": True}, status=404)
        return link_not_found(request, said)
    if carried_answers(request):  # answers posted after the cookie expired: save them now
        response = answer_page_in_its_time_zone(request, invitation, token)
    else:
        response = redirect("answer")
    response.set_signed_cookie(
        LINK_COOKIE,
        token,
        salt=LINK_SALT,
        max_age=LINK_MAX_AGE,
        path=reverse("answer"),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


def cut_short(token: str) -> bool:
    """Whether the text is the start of a check-in's token: a link a mail client broke, or a
    copy that missed its end (models.new_token: 32 characters after the dot)."""
    checkin_id = token_checkin_id(token)
    if checkin_id is None or len(token.partition(".")[2]) >= TOKEN_SECRET_LENGTH:
        return False
    return CheckIn.objects.filter(pk=checkin_id).exists()


def link_not_found(request, said: dict | None = None):
    """The page for a link that opens nothing; the cookie goes, as it holds no working link."""
    said = said or {"not_found": True}
    response = render(request, "checkins/open.html", said, status=404)
    response.delete_cookie(LINK_COOKIE, path=reverse("answer"), samesite="Strict")
    return response


def initial_answers(response) -> dict:
    if response is None:
        return {}
    return {
        f"q{a.question.position}": a.value if a.value is not None else a.text
        for a in response.answers.select_related("question")
    }


@workspace_view(INTERNAL)
@read_only
def checkins(request, membership):
    items = list(listed_checkins(membership))
    # Links queued for a worker, or going out: "Sending queued" rather than "Invited 0".
    sending = progress.under_way("sending", [c.pk for c in items if c.is_open()])
    refused_open = refused_while_open(items)
    for checkin in items:
        checkin.listed_stage = stage_for(membership, checkin, refused_open)
        checkin.sending = SENDING_LISTED.get(sending_state(sending.get(checkin.pk)), "")
    context = {"checkins": items, "mine": open_invitations(membership)}
    return render(request, "checkins/list.html", context)


SENDING_LISTED = {"queued": "Sending queued", "sending": "Sending now"}


def listed_checkins(membership):
    """The workspace's check-ins; with how many were invited and answered only for those who
    read results. A member is not told: in a team of five, watching the count of answers
    rise tells who has not answered yet, and participation is for those who run check-ins."""
    withheld = Report.objects.filter(checkin=OuterRef("pk"), data__suppressed=True)
    items = membership.workspace.checkins.annotate(
        closed_without_results=Exists(withheld), never_asked=NEVER_ASKED
    )
    if not membership.can_read_results:
        return items
    # Counted apart: one join of invitations and responses would pair every invitation with
    # every response (25 million rows for a pulse of 5,000).
    return items.annotate(
        invited=count_per_checkin(INVITED), answered=count_per_checkin(Response.objects)
    )


# CheckIn.never_asked for a list: no invitation, sent or tried, and no answer.
NEVER_ASKED = ExpressionWrapper(
    ~Q(Exists(Invitation.objects.filter(checkin=OuterRef("pk"))))
    & ~Q(Exists(Response.objects.filter(checkin=OuterRef("pk")))),
    output_field=BooleanField(),
)

# A closed check-in's stage when it can never be published beside the check-ins near it.
REFUSED = "Closed, not published: its figures would give a few people's answers away"
# An open one's, sent to people a few apart from those of a check-in published near it.
OPEN_REFUSED = "Open — can never be published"


def stage_for(membership, checkin, refused_open: set[int]) -> str:
    return listed_stage(checkin, membership.can_read_results, refused_open)


def listed_stage(checkin, reads_results: bool, refused_open: set[int] | None = None) -> str:
    """Where a check-in stands, in the list's words. Those who read no results read "Closed"
    whether or not its results are published: they could not open them. One whose publication
    is refused says so: "results not published" would promise results that will not come, and
    plain "Open" a round worth answering and reminding. `refused_open` holds the open ones
    refused for good (overlaps.refused_while_open), worked out once for a whole list; without
    it, this one is asked."""
    if not (reads_results or checkin.is_open() or checkin.opens_later()):
        return "Closed"
    if refused_listed(checkin):
        return REFUSED
    if checkin.stage == "Open" and checkin.pk in (
        refused_while_open([checkin]) if refused_open is None else refused_open
    ):
        return OPEN_REFUSED
    return checkin.stage


def refused_listed(checkin) -> bool:
    """Whether its results can never be published beside the check-ins published near it.
    Only a closed, unpublished one that asked someone is audited (cached: once per change of
    the workspace's data, overlaps.publication_refused_shown); a list tells every other one
    apart by its dates and annotations, so it runs no audit per check-in."""
    if release_state(checkin) != "closed" or checkin.never_asked:
        return False
    return bool(publication_refused_shown(checkin))


def open_invitations(membership):
    """The open check-ins that ask this login's person and sent them a link: what a member can
    do on the list is answer (its results are for those who read results)."""
    if membership.person_id is None:
        return Invitation.objects.none()
    now = timezone.now()
    return (
        Invitation.objects.filter(person_id=membership.person_id, status__in=HOLDS_A_LINK)
        .filter(checkin__opens_at__lte=now, checkin__closes_at__gt=now)
        .select_related("checkin")
        .order_by("checkin__closes_at")
    )


HOLDS_A_LINK = [Delivery.SENT, Delivery.HANDED_OUT]


# A person whose invitation failed was not invited: they hold no link.
INVITED = Invitation.objects.exclude(status=Delivery.FAILED)


def count_per_checkin(rows) -> Coalesce:
    rows = rows.filter(checkin=OuterRef("pk")).order_by().values("checkin")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@workspace_view(INTERNAL)
@read_only
def checkins_csv(request, membership):
    """The check-in list as a spreadsheet: the same rows and counts as the page, no answers."""
    items = list(listed_checkins(membership).order_by("-opens_at", "pk"))
    refused_open = refused_while_open(items)
    # "attribution" was "answers" until 2026-12, in the same place: "anonymous" beside
    # "answered 35" read as a count of answers (docs/daily-work.md).
    header = ["check-in", "stage", "opens", "closes", "attribution"]
    counted = membership.can_read_results
    if counted:
        header += ["invited", "answered"]
    rows = (
        [
            c.title,
            stage_for(membership, c, refused_open),
            local_minute(c.opens_at),
            local_minute(c.closes_at),
            "anonymous" if c.anonymous else "attributed",
            *([c.invited, c.answered] if counted else []),
        ]
        for c in items
    )
    return csv_response(f"{membership.workspace.slug}-checkins.csv", header, rows)


def too_few_to_show(asked: int, threshold: int) -> str:
    """The warning for a check-in that asks fewer people than any result can be shown for."""
    return (
        f"It asks {asked} {'person' if asked == 1 else 'people'}, fewer than the anonymity "
        f"threshold of {threshold}: even if all answer, no result can be shown. Ask more people "
        "(a larger audience) before sending it."
    )


def before_sending(checkin) -> list[str]:
    """What to fix in its audience while it can be, as the page, the API and the command line
    say it: too few people to show anything; and a check-in near in time asking almost the same
    people (overlaps), but where, sent as it is, it could never be published, the words for that
    (never_published_once_sent) in place of the overlaps: "only the first of the two to be
    published can be" would promise a publication that never comes."""
    asked, threshold = checkin.audience().count(), checkin.threshold
    too_few = [too_few_to_show(asked, threshold)] if asked < threshold else []
    never = never_published_once_sent(checkin, "invitations")
    return too_few + ([never] if never else overlap_warnings(checkin))


def unsent_warnings(checkin, never: str) -> list[str]:
    """What its page says before its first send: `never`, why sent as it is it could never be
    published (no other overlap matters then: it would never be published beside anything), else
    the overlaps to fix in its audience; and what its answers could not be compared with."""
    return ([never] if never else overlap_warnings(checkin)) + nothing_to_compare(checkin)


def nothing_to_compare(checkin) -> list[str]:
    """What its answers cannot be compared with yet: no vision published, or no goals, while it
    asks people to restate the vision or name the priorities."""
    roles = set(checkin.questions.values_list("role", flat=True))
    workspace, missing = checkin.workspace, []
    if Role.VISION in roles and not workspace.visions.exists():
        missing.append(
            "There is no published vision yet: answers to “what is our vision” will have "
            "nothing to be compared with. Publish the vision before sending it."
        )
    if Role.PRIORITIES in roles and not workspace.goals.exists():
        missing.append(
            "There are no goals yet: answers naming the top priorities will have nothing to be "
            "compared with. Write the goals before sending it."
        )
    return missing


def local_minute(moment) -> str:
    """A time as the workspace reads it (its time zone is active), to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@workspace_view(WRITE)
def new_checkin(request, membership):
    workspace = membership.workspace
    form = CheckInForm(posted(request), workspace=workspace)
    if request.method == "POST" and form.is_valid():
        closes_at = form.cleaned_data["closes_at"]
        asked = local_minute(closes_at)  # what the page asks about, in its hidden field
        if closes_at <= timezone.now() and request.POST.get("confirmed") != asked:
            context = {"form": form, "closed_already": asked}
            return render(request, "checkins/new.html", context)
        checkin = form.create(by=request.user)
        # Its page says what to fix before sending (too few asked, overlaps, nothing to
        # compare with) until the first send: said here too, each showed twice.
        messages.success(
            request, f"Created {in_quotes(checkin.title)}. Send the invitations when ready."
        )
        return redirect("checkin", workspace.slug, checkin.pk)
    return render(request, "checkins/new.html", {"form": form}, status=form_status(form))


@workspace_view(WRITE)
def new_question(request, membership, checkin_id):
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    form = QuestionForm(posted(request), checkin=shown)
    if request.method == "POST" and form.is_valid():
        if shown.responses.exists():
            messages.error(request, "People have answered already; questions can no longer change.")
        else:
            add_question(form.instance)
            messages.success(request, "Added the question.")
        return redirect("checkin", membership.workspace.slug, shown.pk)
    context = {"form": form, "checkin": shown}
    return render(request, "checkins/question_form.html", context, status=form_status(form))


@workspace_view(WRITE)
def change_dates(request, membership, checkin_id):
    """Move an unpublished check-in's closing, or its opening before it opens."""
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    form = DatesForm(posted(request), checkin=shown)
    if request.method == "POST" and form.is_valid() and form.save():
        messages.success(request, dates_in_words(shown))
        return redirect("checkin", membership.workspace.slug, shown.pk)
    context = {"form": form, "checkin": shown, "state": release_state(shown)}
    return render(request, "checkins/dates_form.html", context, status=form_status(form))


def dates_in_words(checkin) -> str:
    """The dates a check-in now keeps: its opening too while that can still move."""
    closes = date_format(timezone.localtime(checkin.closes_at), "DATETIME_FORMAT")
    if not checkin.opens_later():
        return f"It now closes {closes}."
    opens = date_format(timezone.localtime(checkin.opens_at), "DATETIME_FORMAT")
    return f"It now opens {opens} and closes {closes}."


# What the check-in page's sending buttons ask for: (reminder, new_links, noun).
SENDS = {
    "invitations": (False, False, "invitation"),
    "reminders": (True, False, "reminder"),
    "new_links": (True, True, "reminder with a new link"),
}


@post_only
@workspace_view(WRITE)
def send(request, membership, checkin_id):
    """Send invitations (retrying those that failed), reminders, or with what=links, hand an
    editor a CSV of links, after making sure a mail server answers; nobody is marked otherwise."""
    checkin = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    what = request.POST.get("what", "invitations")
    if what not in SENDS and what not in HANDED_OUT:
        return refused(request, "Say what to send: invitations, reminders or new_links.")
    if not checkin.is_open():
        messages.error(request, not_open_message(checkin))
        return redirect("checkin", membership.workspace.slug, checkin.pk)
    if why := sending_refused(checkin):
        messages.error(request, why)
        return redirect("checkin", membership.workspace.slug, checkin.pk)
    if unconfirmed := never_published_unconfirmed(request, checkin, what):
        return refused(request, unconfirmed, status=409)
    if what in HANDED_OUT:
        return links_csv(request, checkin, replacing=what == "new_links_csv")
    reminder, new_links, noun = SENDS[what]
    if why := nobody_due(checkin, reminder, new_links):  # a page left open since, say
        messages.info(request, why)
        return redirect("checkin", membership.workspace.slug, checkin.pk)
    if new_links and (why := new_links_reach_nobody(checkin)):  # a page left open since, say
        messages.error(request, why)
        return redirect("checkin", membership.workspace.slug, checkin.pk)
    problem = mail_server_problem()
    if problem:
        return no_mail_page(request, checkin, problem)
    queued = []
    transaction.on_commit(lambda: queued.append(queue_links(checkin.pk, reminder, new_links)))
    # Inline tasks have finished by now. A worker's have not: the page then says they are
    # queued, and follows them until they are sent (dashboard.html, #sending).
    result = queued[0] if queued and queued[0].is_finished else None
    if result is None:
        return redirect("checkin", membership.workspace.slug, checkin.pk)
    if result.status == TaskResultStatus.FAILED:
        messages.error(request, "Sending stopped on an error; the counts below say who got theirs.")
    else:
        outcome = Sent(**result.return_value)
        tell = messages.error if outcome.failed else messages.success
        tell(request, outcome.summary(noun) + (" The reasons are below." if outcome.failed else ""))
    return redirect("checkin", membership.workspace.slug, checkin.pk)


SEND_ANYWAY = "Send anyway: its results will never be shown"
TICK_SEND_ANYWAY = f"tick “{SEND_ANYWAY}”"


def never_published_once_sent(checkin, what: str) -> str:
    """Why sending it now takes a confirmation ('' when it takes none): it is its first send
    (invitations, or links handed out), and sent as it is it could never be published
    (overlaps.never_publishable). Its people would be asked, and promised results, for answers
    nobody will ever read. The page, the API and the command line ask it alike, each with its
    own way to confirm (nothing_sent)."""
    if what not in ("invitations", "links") or not checkin.asked_nobody():
        return ""
    return never_publishable(checkin)


def nothing_sent(why: str, to_confirm: str) -> str:
    """The refusal of a send that needs confirming (never_published_once_sent), and how to."""
    return f"Nothing was sent. {why} To send it all the same, {to_confirm}."


def never_published_unconfirmed(request, checkin, what: str) -> str:
    """Why its first send is refused ('' when it may go): never_published_once_sent, and "Send
    anyway" was not ticked."""
    if request.POST.get("anyway") == "on":
        return ""
    why = never_published_once_sent(checkin, what)
    return nothing_sent(why, TICK_SEND_ANYWAY) if why else ""


# The CSV downloads of links for an editor to hand out: to those who hold none, or new links
# for everyone who has not answered (replacing theirs) where no email reaches anyone.
HANDED_OUT = ("links", "new_links_csv")


def new_links_reach_nobody(checkin) -> str:
    """Why "Remind with new links" must not mail now ('' when it may): this server's emails
    reach nobody, so the new links would be in its log alone, and the links people hold, handed
    out or not, would stop opening. The page, the API and the command line refuse alike."""
    nowhere = reaching_nobody()
    if not nowhere:
        return ""
    instead = (
        "An anonymous check-in's links go only by email: the links people hold keep working."
        if checkin.anonymous
        else "Download the new links (CSV) on its page to hand out instead."
    )
    return (
        f"No new links were sent: this server sends emails to {nowhere}, so new links would "
        "reach nobody, and the links people hold would stop working. Nothing was changed. "
        + instead
    )


def not_open_message(checkin) -> str:
    if checkin.opens_later():
        opens = date_format(timezone.localtime(checkin.opens_at), "DATETIME_FORMAT")
        return f"The check-in opens {opens}: links can be sent from then. None were sent."
    return "The check-in is not open, so no links were sent."


def no_mail_page(request, checkin, problem: str | None, status: int = 200):
    """Why nothing was sent, and who can set the mail server: the administrators by name, or,
    while the server has none, how one is made (an owner is not one, and had been told only to
    ask "an administrator")."""
    context = {
        "checkin": checkin,
        "problem": problem,
        "administrators": first_run.administrators_in_words(),
    }
    return render(request, "checkins/no_mail.html", context, status=status)


@never_cache
def links_csv(request, checkin, replacing: bool = False):
    """Everyone's link who holds none yet, for the editor to pass on (attributed only); with
    `replacing`, a new link for everyone who has not answered (hand_out_links)."""
    if checkin.anonymous:
        return no_mail_page(request, checkin, None, status=403)
    links = hand_out_links(checkin, replacing=replacing)
    rows = [(link.person.name, link.person.email, checkin_url(link.token)) for link in links]
    name = f"checkin-{checkin.pk}-{'new-links' if replacing else 'links'}.csv"
    return csv_response(name, ["name", "email", "link"], rows)


@workspace_view(RESULTS)
@read_only
def checkin(request, membership, checkin_id):
    """The check-in's dashboard, for editors: every figure with the number of answers behind it."""
    workspace = membership.workspace
    # The report's data (the whole analysis, large for a big pulse) is read only when what the
    # page shows of it is made, once per change of the data, not on every request.
    checkins = workspace.checkins.select_related("report").defer("report__data")
    shown = get_object_or_404(checkins, pk=checkin_id)
    published = cached(workspace, f"checkin:{shown.pk}", lambda _: published_results(shown))
    if published:  # final: a published check-in has closed, and takes no answer or link again
        report, links, answered = published["head"], published["links"], published["answered"]
        asked = published["asked"]
    else:
        report, links, answered = None, delivery(shown), shown.responses.count()
        asked = what_it_asks(shown)
    invited = links["invited"]
    # Answers imported from another tool come with no invitation (actions.imported_answers).
    imported = answered if not any(links[status] for status in Delivery.values) else 0
    running = None if report else progress.current("analysis", shown.pk)
    sending = None if report else progress.current("sending", shown.pk)
    # Before its first send a check-in has no invitations: it says whom it will ask instead (a
    # back-brief's audience is whoever its send invites).
    never_sent = not (answered or links["tried"] or invited or links["failed"])
    never_sent = never_sent and shown.template != BACK_BRIEF
    # Closed before its first send (on its date, or early and published empty), it can no longer
    # be sent: whom it would ask, and the advice on its audience, are no longer true ("not sent
    # yet: 4 people to ask"), nor is "0 answered of 0 invited" the plain word for it.
    closed_unsent = never_sent and release_state(shown) != "open"
    unsent = never_sent and not report and not closed_unsent
    audience_size = shown.audience().count() if unsent else None
    sent = bool(invited) and not imported
    # Open, and asking (or, unsent, about to ask) people a few apart from those of a check-in
    # published near it: whatever answers come, it can never be published.
    never = never_publishable(shown) if release_state(shown) == "open" and not imported else ""
    context = {
        "closed_unsent": closed_unsent,
        "unsent": unsent,
        "audience_size": audience_size,
        "too_few": too_few_to_show(audience_size, shown.threshold)
        if audience_size is not None and audience_size < shown.threshold
        else "",
        "unsent_warnings": unsent_warnings(shown, never) if unsent else [],
        # Sending it as it is takes a tick of "Send anyway" (send), and once sent it offers
        # "Close now without publishing" (close_now).
        "send_needs_confirming": bool(unsent and never),
        "closes_unpublished": bool(sent and never and shown.is_open()),
        # Once sent, who was asked is settled: an open check-in whose publication would be
        # refused says so now, rather than offering reminders and a close that cannot publish.
        "publication_refused": refusal_shown(shown, sent=sent)
        or (if_closed_now(never) if sent and never else ""),
        "checkin": shown,
        "address_changes": addresses_changed_after_sending(shown) if shown.is_open() else [],
        "newcomers": newcomers(shown) if shown.is_open() and invited else 0,
        "reaching_nobody": reaching_nobody() if shown.is_open() and not imported else "",
        "without_link": without_link(shown) if shown.is_open() and not imported else 0,
        "state": release_state(shown),
        "report": report,
        "invited": invited,
        "answered": answered,
        "imported": imported,
        "rate": answered / invited if invited else None,
        "asked": asked,
        "delivery": links,
        "analysing": running,
        "sending": sending,
        "sending_state": sending_state(sending),
        # "Invitations", "Reminders with new links": what waits ("Invitations queued")
        "sending_what": sending["label"].removeprefix("Sending the ").capitalize()
        if sending
        else "",
        "analysis": analysis_state(report, running),
        "computed_at": shown.report.computed_at if report else None,
        "results": expanded(published["html"]) if published and published["html"] else None,
        "publishing_note": publishing_note(),
        "closing_publishes": closing_publishes() if release_state(shown) == "open" else "",
    }
    if shown.is_open() and not (report or imported or sending):
        context["waiting_notes"] = waiting_notes(
            links, context["reaching_nobody"], context["publication_refused"], shown.anonymous
        )
    return render(request, "checkins/dashboard.html", context)


def refusal_shown(checkin, sent: bool) -> str:
    """Why its results cannot be published: closed, the reason it keeps; open and sent (who
    was asked is settled), what closing it now would meet, worked out as the close would, so
    that the page says it rather than offer a close that is refused."""
    if release_state(checkin) == "closed":
        return publication_refused_shown(checkin)
    if not (checkin.is_open() and sent):  # not yet open, or published
        return ""
    why = publication_refused_shown(checkin)
    return if_closed_now(why) if why else ""


def waiting_notes(links: dict, nowhere: str, refused: str, anonymous: bool) -> dict[str, str]:
    """Why people who have not answered get no reminder now, by the id of the page's paragraph,
    naming only the controls it shows in that state. Where emails reach nobody a reminder
    reaches nobody either and "Remind with new links" is not offered: an attributed check-in
    offers "Download new links (CSV)" instead, and "Send reminders" is named only while its
    button is there for others."""
    reminds = not refused and (not nowhere or links["to_remind"])
    replaces = ""
    if links["holding"] and not nowhere:
        replaces = "“Remind with new links” replaces their links now"
    elif links["holding"] and not anonymous:
        replaces = "“Download new links (CSV)” replaces their links now"
    waits = {
        "reminded-lately": (
            "reminded within the last day",
            "“Send reminders” goes to each at most once a day",
        ),
        "invited-lately": (
            "invited (sent or handed their link) within the last day",
            "“Send reminders” goes to each a day after their invitation at the earliest",
        ),
    }
    notes = {}
    for key, (when, remind) in waits.items():
        n = links[key.replace("-", "_")]
        if not n:
            continue
        said = (
            "1 person who has not answered was"
            if n == 1
            else f"{n} people who have not answered were"
        )
        controls = "; ".join(part for part in (remind if reminds else "", replaces) if part)
        notes[key] = f"{said} {when}{': ' + controls if controls else ''}."
    return notes


def sending_state(sending: dict | None) -> str | None:
    """Where a send of links stands, for the page and its twin: "queued" while it waits for a
    worker, "sending" once one took it, None when nothing is being sent."""
    if sending is None:
        return None
    return "queued" if sending.get("waiting") else "sending"


def closing_publishes() -> str:
    """When "Close now and publish the results" publishes them, said before the press: inline
    at once; under the database queue once a worker has analysed them, and while none runs
    (the box then says so below), when one does."""
    if not workers.queued_for_workers():
        return "its results are published at once, for good"
    if workers.none_running():
        return "its results are published when a worker runs, for good"
    return "its results are published once a worker has analysed them, for good"


def publishing_note() -> str:
    """What the page says once a publish button is pressed. Without workers the analysis runs
    inside that request, and the page waits for it."""
    if settings.TASKS["default"]["BACKEND"] == settings.TASK_BACKENDS["inline"]:
        return (
            "Publishing: the language model reads every answer first. This can take a minute "
            "or more, the first time longer; keep this page open."
        )
    return "Handing the analysis to a worker…"


def what_it_asks(checkin) -> dict:
    """Whom the check-in asks, and its questions, as its dashboard says them."""
    questions = checkin.questions.select_related("source_vision")
    return {
        "company_wide": checkin.company_wide,
        "audience": checkin.audience_words(),
        "questions": [
            {
                "prompt": q.prompt,
                "kind": q.get_kind_display(),
                "compared_with": ""
                if q.source_kind == "none"
                else q.source_label() or q.get_source_kind_display().lower(),
                "optional": not q.required,
            }
            for q in questions
        ],
    }


def published_results(checkin) -> dict | None:
    """What the dashboard shows of the published report, None before it is published: its head
    (whether it is suppressed; how many answered, under which threshold), its results' HTML,
    compressed (None when suppressed), the final tallies of links and answers, and what it
    asked of whom (`what_it_asks`). Published results are final; the workspace's threshold is
    all that changes them, and a change of it is a change of the data."""
    report = current_report(checkin)
    if report is None:
        return None
    data = report.data
    head = {key: data.get(key) for key in ("suppressed", "respondents", "threshold")}
    # Final too: the tallies, as it takes no answer or link again; its questions, which cannot
    # change once answered; whom it asked (a change of its audience saves the check-in, a
    # change of the data).
    final = {
        "links": delivery(checkin),
        "answered": checkin.responses.count(),
        "asked": what_it_asks(checkin),
    }
    if head["suppressed"]:
        return {"head": head, "html": None, **final}
    results = {
        "report": data,
        "computed_at": report.computed_at,
        "heatmaps": [heatmap(data, d) for d in ("function", "team")],
        # Its columns are the pulse's figures, read from the vision question: a check-in with
        # none (a back-brief) gives its breakdowns in its part-by-part table instead, and the
        # section had said "no answer came with one" below that table's hidden groups.
        "by_group_applies": any(q["role"] == "vision" for q in data.get("questions", [])),
        "vision_source": vision_source(data),
        "part_tables": part_tables(data),
        "alike_and_readings": alike_and_readings(data.get("trend") or {}),
        "understands": UNDERSTANDS,
        "workspace": checkin.workspace,  # the charts link to its goals
    }
    html = compressed(render_to_string("checkins/results.html", results))
    return {"head": head, "html": html, **final}


@post_only
@workspace_view(WRITE)
def run_analysis(request, membership, checkin_id):
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    state = release_state(shown)
    if state == "open":
        messages.error(request, "Results appear when the check-in closes; close it first.")
    elif state == "final":
        messages.error(request, "These results are final; they are not computed again.")
    else:
        publish(request, shown)
    return redirect("checkin", membership.workspace.slug, shown.pk)


def publish(request, checkin) -> None:
    """Start publishing its results, unless they would be subtracted from another check-in's."""
    refused_because = publication_refused(checkin)
    if refused_because:
        messages.error(request, refused_for_good(checkin, refused_because))
    else:
        tell_analysis(request, start_analysis(checkin), checkin)


def too_few_answered(data: dict) -> str:
    if not data["respondents"]:
        return "nobody answered, so nothing is shown."
    people = "person" if data["respondents"] == 1 else "people"
    return (
        f"only {data['respondents']} {people} answered, fewer than the anonymity threshold of "
        f"{data['threshold']}, so nothing is shown."
    )


# The label of an analysis queued and not yet picked up by a worker (progress.current).
QUEUED = "Waiting for a worker"


def start_analysis(checkin) -> str:
    """Queue the analysis; "done" or "failed" when it ran inline, "queued" when a worker will.

    The progress record is written first, so the page says "queued" from the start instead of
    offering to publish again; the task replaces it when it starts and removes it when done."""
    progress.started("analysis", checkin.pk, QUEUED)
    result = analyze_checkin.enqueue(checkin.pk)
    if not result.is_finished:
        return "queued"
    return "failed" if result.status == TaskResultStatus.FAILED else "done"


def tell_analysis(request, outcome: str, checkin) -> None:
    # Read afresh: the analysis that just ran finalised another copy of the check-in.
    report = current_report(CheckIn.objects.get(pk=checkin.pk)) if outcome == "done" else None
    if outcome != "failed" and checkin.asked_nobody():
        # Neither results to wait for nor "nobody answered": nobody was asked.
        messages.info(request, CLOSED_UNSENT)
    elif report is not None and report.data.get("suppressed"):
        # "Published" would promise results where there are none to show.
        messages.info(request, f"Closed without results: {too_few_answered(report.data)}")
    elif outcome == "done":
        messages.success(request, "Analysed: the results are published on this page.")
    elif outcome == "failed":
        messages.error(request, "The analysis stopped on an error; nothing was published.")
    else:
        messages.info(request, "Queued: this page follows the analysis and shows the results.")


def analysis_state(report, running: dict | None) -> str | None:
    """Where the analysis stands: "queued", "running", "done" (a report), or None (not asked)."""
    if report is not None:
        return "done"
    if running is None:
        return None
    return "queued" if running["label"] == QUEUED else "running"


@post_only
@workspace_view(WRITE)
def close_now(request, membership, checkin_id):
    """Close an open check-in early and publish its results; with publish=no, one that can
    never be published, without publishing (close_unpublished)."""
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    publish = request.POST.get("publish", "yes")
    if publish not in ("yes", "no"):
        return refused(
            request, "Say publish=no to close it without publishing; leave it out to publish."
        )
    if release_state(shown) != "open":
        messages.error(request, "The check-in is already closed.")
        return redirect("checkin", membership.workspace.slug, shown.pk)
    if publish == "no" and not shown.asked_nobody():  # never sent: closing publishes nothing
        return close_unpublished(request, shown)
    # Closing is for good: one whose results could not be published is left taking answers.
    if why := closing_refused(shown):
        also = (
            f" “{CLOSE_UNPUBLISHED}” on its page closes it now." if never_publishable(shown) else ""
        )
        messages.error(request, f"{why} So it was left open; it closes on its closing date.{also}")
        return redirect("checkin", membership.workspace.slug, shown.pk)
    try:
        refused_at_close = close_checkin(shown)  # kept, should another have been published since
    except NotOpenYet as refusal:
        messages.error(request, str(refusal))
    else:
        if not shown.asked_nobody():  # else publishing says the one thing there is to say
            messages.success(request, "Closed; no more answers are taken.")
        if refused_at_close:
            messages.error(request, refused_at_close)
        else:
            tell_analysis(request, start_analysis(shown), shown)
    return redirect("checkin", membership.workspace.slug, shown.pk)


CLOSE_UNPUBLISHED = "Close now without publishing"


def close_unpublished(request, checkin):
    """Close a sent check-in that can never be published, whatever answers come (overlaps.
    never_publishable): no more answers are taken, no reminder can go out, its links open a
    page saying it has closed, and why it is not published is kept (close_checkin). Left to
    its date, it went on asking and reminding people for answers nobody would read. One that
    could be published after all (the check-in beside it is gone) is left open."""
    if not never_publishable(checkin):
        messages.error(
            request,
            f"{in_quotes(checkin.title)} can be published after all, so it was left open: "
            "“Close now and publish the results” on its page closes it.",
        )
        return redirect("checkin", checkin.workspace.slug, checkin.pk)
    try:
        close_checkin(checkin)
    except NotOpenYet as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            f"Closed {in_quotes(checkin.title)} without publishing: no more answers are taken, "
            f"nobody is reminded, and its links say it has closed; {answers_kept(checkin)}.",
        )
    return redirect("checkin", checkin.workspace.slug, checkin.pk)


def answers_kept(checkin) -> str:
    answered = checkin.responses.count()
    if not answered:
        return "nobody had answered"
    answers = "its answer stays" if answered == 1 else f"its {answered} answers stay"
    return f"{answers} unpublished, for good"


@post_only
@workspace_view(WRITE)
def pin(request, membership, checkin_id):
    """Pin the check-in as the source of the alignment dashboard's company figures (pin=1), or
    unpin it (pin=0)."""
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    choice = request.POST.get("pin")
    if choice not in ("0", "1"):
        return refused(request, "Say pin=1 to pin the check-in to the dashboard, pin=0 to unpin.")
    try:
        pin_to_dashboard(shown, pinned=choice == "1")
    except NotCompanyWide as refusal:
        messages.error(request, str(refusal))
    else:
        if choice == "1":
            messages.success(
                request, f"The alignment dashboard now shows {in_quotes(shown.title)}."
            )
        else:
            messages.success(
                request, "Unpinned: the dashboard shows the latest company-wide check-in."
            )
    return redirect("checkin", membership.workspace.slug, shown.pk)


def refusing_in_json(forbidden: str):
    """A JSON twin's refusals in JSON, as `refused` gives any JSON client: a role that may not
    read it (403, saying `forbidden`) or nothing at that address (404), rather than the HTML
    error page a script cannot read."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied:
                return refused(request, forbidden, 403)
            except Http404 as missing:
                return refused(request, str(missing) or "Nothing here.", 404)

        return wrapper

    return decorator


RESULTS_READERS = (
    "Your role in this workspace does not allow this: check-in results are read by its "
    "owners, editors and viewers."
)


@refusing_in_json(RESULTS_READERS)
@workspace_view(RESULTS)
@read_only
def report_json(request, membership, checkin_id):
    """The dashboard's JSON twin: the whole report, threshold applied."""
    shown = membership.workspace.checkins.filter(pk=checkin_id).first()
    if shown is None:
        raise Http404(f"This workspace has no check-in {checkin_id}.")
    status, body = report_twin(shown)
    return JsonResponse(body, status=status)


def report_twin(shown) -> tuple[int, dict]:
    """The JSON twin's status and body (the API answers the same): 409 and why while there is
    no published report."""
    report = current_report(shown)
    if report is None:
        why = {
            "open": "the check-in is open; its results appear when it closes",
            "closed": "the check-in is closed and its results are not published yet: an editor "
            "publishes them on its page (Publish the results) or with "
            f"`truenorth analyze --checkin {shown.pk}`",
        }[release_state(shown)]
        running = progress.current("analysis", shown.pk)
        state = analysis_state(None, running)
        refused = publication_refused_shown(shown) if release_state(shown) == "closed" else ""
        if refused:
            why, state = refused, "refused"  # no analysis can publish it: say why, not how
        elif release_state(shown) == "open" and (
            closing := refusal_shown(shown, sent=shown.invitations.exists())
        ):
            why = f"{why}. {closing}"
        elif release_state(shown) == "closed" and state is None and shown.asked_nobody():
            why = "it closed without being sent: nobody was asked, so it has no results"
        elif state == "queued":
            why = "the analysis is queued; the results appear when a worker has done it"
            if no_worker := workers.none_running():
                why = f"{why}. {no_worker}"
        elif state == "running":
            why = "the analysis is running; the results appear when it is done"
        sending = sending_state(progress.current("sending", shown.pk))
        queued = state == "queued" or sending == "queued"
        body = {
            "error": why,
            "analysis": state or release_state(shown),
            "progress": running,
            # links queued for a worker ("queued"), or going out ("sending"); null otherwise
            "sending": sending,
            # why nothing queued will start, while something waits and no worker is running
            "no_worker": (queued and workers.none_running()) or None,
        }
        return 409, body
    in_words = {table["key"]: table["reading"] for table in part_tables(report.data)}
    tables = [heatmap(report.data, d) for d in ("function", "team")]
    return 200, {
        "checkin": shown.pk,
        "title": shown.title,
        "report": report.data,
        # what the page says of each question's part-coverage table, sentence by sentence
        "part_coverage_in_words": in_words,
        # what the page says under its function and team table: a group that reads the vision
        # alike but not as it says, and why the groups not shown are not
        "groups_in_words": {
            t["dimension"]: {"warnings": dict(t["warnings"]), "not_shown": t["hidden_in_words"]}
            for t in tables
        },
        # what the page says under its "Since …" table of each question's two figures of how
        # alike its answers are, by the question's role
        "since_in_words": alike_and_readings(report.data.get("trend") or {}),
    }


def part_tables(report: dict) -> list[dict]:
    """The "which parts people convey" table of each question restating a source."""
    tables = (part_coverage(q, report.get("threshold", 0)) for q in report.get("questions", []))
    return [table for table in tables if table is not None]
