import json

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from truenorth.checkins.overlaps import warnings as overlap_warnings
from truenorth.checkins.views import TICK_SEND_ANYWAY, nothing_sent
from truenorth.decisions.backbrief import made_and_mailed, sent_message
from truenorth.refusals import labelled_problems, post_only, read_only, refused, wants_json
from truenorth.sending import in_quotes
from truenorth.updates import actions, audiences, backbrief, delivery, notice, rules
from truenorth.updates.forms import NewUpdateForm, TextsForm
from truenorth.updates.models import Audience, Update
from truenorth.updates.tasks import send_update
from truenorth.workspaces.access import PARTNER_VISIBLE, WRITE, workspace_view
from truenorth.workspaces.background import DONE, FAILED, outcome, tell_queued
from truenorth.workspaces.first_run import who_sets_mail
from truenorth.workspaces.mailserver import mail_server_problem


def visible(membership):
    """The updates this login may know of: published ones, and drafts for editors. Partners do
    not find one whose partners' version was withdrawn, as if it had never been published."""
    updates = membership.workspace.updates.all()
    if not membership.can_write:
        updates = updates.filter(published_at__isnull=False)
    if not membership.can_read_internal:
        updates = updates.filter(withdrawn_from_partners_at__isnull=True)
    return updates


def get_update(membership, number: int) -> Update:
    """One update this login may read; a draft is none of a reader's business (404)."""
    update = visible(membership).filter(number=number).first()
    if update is None:
        raise Http404("No such update")
    return update


def audiences_for(membership) -> list[Audience]:
    """The versions this login may read: partners read only theirs."""
    return list(Audience) if membership.can_read_internal else [Audience.PARTNERS]


def get_version(membership, number: int, audience: str):
    """(update, version) for one audience; a partner asking for another audience's version, or
    a draft, learns nothing, not even that it exists."""
    if audience not in Audience.values or audience not in audiences_for(membership):
        raise Http404("No such version")
    update = get_update(membership, number)
    found = audiences.version(update, audience)
    if not membership.can_read_results:  # as on a check-in's page and a ritual's agenda
        found = audiences.without_results(found)
    return update, found


def links(slug: str, update: Update, audience: str) -> dict:
    args = [slug, update.number, audience]
    return {
        "audience": audience,
        "label": Audience(audience).label,
        "page": reverse("update_version", args=args),
        "markdown": reverse("update_version_markdown", args=args),
        "json": reverse("update_version_json", args=args),
    }


def summary(update: Update, membership) -> dict:
    slug = membership.workspace.slug
    data = {
        "number": update.number,
        "title": update.title,
        "period_start": update.period_start.isoformat(),
        "period_end": update.period_end.isoformat(),
        "published": update.is_published,
        "published_at": update.published_at.isoformat() if update.published_at else None,
        "versions": [links(slug, update, a) for a in audiences_for(membership)],
    }
    if membership.can_read_internal:
        data["page"] = reverse("update", args=[slug, update.number])
        data["withdrawn_from_partners"] = withdrawal(update)
    return data


def withdrawal(update: Update) -> dict | None:
    """When and by whom the partners' version was withdrawn, or None."""
    if not update.is_withdrawn_from_partners:
        return None
    by = update.withdrawn_from_partners_by
    return {
        "at": update.withdrawn_from_partners_at.isoformat(),
        "by": by.username if by else None,
        "said": actions.withdrawn_words(update),
    }


def new_form(membership, data=None) -> NewUpdateForm:
    return NewUpdateForm(data, today=timezone.localdate())


def list_context(membership, form=None) -> dict:
    updates = [{"update": u, **summary(u, membership)} for u in visible(membership)]
    context = {
        "published": [u for u in updates if u["published"]],
        "drafts": [u for u in updates if not u["published"]],
        "internal": membership.can_read_internal,
    }
    if membership.can_write:
        context["form"] = form or new_form(membership)
    return context


@workspace_view(PARTNER_VISIBLE)
@read_only
def update_list(request, membership):
    return render(request, "updates/list.html", list_context(membership))


@workspace_view(PARTNER_VISIBLE)
@read_only
def list_json(request, membership):
    return JsonResponse({"updates": [summary(u, membership) for u in visible(membership)]})


def form_errors(form) -> str:
    return "; ".join(labelled_problems(form, "Period"))


@post_only
@workspace_view(WRITE)
def new_update(request, membership):
    as_json = wants_json(request)
    data = request.POST
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return JsonResponse({"error": "The body is not a JSON object."}, status=400)
    form = new_form(membership, data)
    if not form.is_valid():
        if as_json:
            return JsonResponse({"error": form_errors(form), "errors": form.errors}, status=400)
        messages.error(request, f"No draft opened: {form_errors(form)}")
        return render(request, "updates/list.html", list_context(membership, form), status=400)
    period = form.cleaned_data
    try:
        update = actions.open_draft(
            membership.workspace, period["start"], period["end"], period["title"], by=request.user
        )
    except ValueError as refusal:  # the action's own checks, should the form miss one
        return refused(request, str(refusal))
    if as_json:
        return JsonResponse(summary(update, membership), status=201)
    messages.success(request, f"Update {update.number} opened as a draft, its facts gathered.")
    for warning in rules.overlap_warnings(update):
        messages.warning(request, warning)
    return redirect("update", membership.workspace.slug, update.number)


# The gathered facts an editor checks before writing (updates.facts.gather), in page order.
FACT_COUNTS = {
    "shipped": "Shipped in the period",
    "status_changes": "Status changes",
    "date_changes": "Dates moved",
    "upcoming": "Committed, due later",
    "overdue": "Committed, overdue",
    "not_promised": "Exploring or planned (not promises)",
    "decided": "Decisions made",
    "open_decisions": "Decisions still open",
    "checkins": "Check-ins with results new in the period",
}


def facts_summary(facts: dict) -> list[tuple[str, int]]:
    """(what, how many) of each kind of gathered fact, for the editor to see what was found."""
    rows = [(label, len(facts[key])) for key, label in FACT_COUNTS.items() if key in facts]
    over = facts.get("over_promises") or {}
    if "count" in over:
        rows.append(("Claims that went further than the roadmap", over["count"]))
    none = facts.get("no_capability") or {}
    if "count" in none:
        rows.append(("Claims of what nothing on the roadmap does", none["count"]))
    return rows


def jargon_groups(update: Update) -> list[tuple[str, list[dict]]]:
    """Each word an audience may not know once, under the audiences it holds for: "Every
    version", "Every internal version" (they all open with the narrative), or "Partners"."""
    audiences: dict[str, list[str]] = {}
    words: dict[str, dict] = {}
    for audience in Audience:
        for word in rules.jargon(update, audience):
            key = repr(sorted(word.items()))
            words[key] = word
            audiences.setdefault(key, []).append(audience.value)
    groups: dict[str, list[dict]] = {}
    for key in sorted(words, key=lambda key: -len(audiences[key])):  # the widest first
        groups.setdefault(audiences_label(audiences[key]), []).append(words[key])
    return list(groups.items())


def audiences_label(audiences: list[str]) -> str:
    if len(audiences) == len(Audience):
        return "Every version"
    if set(audiences) == set(Audience.values) - {Audience.PARTNERS}:
        return "Every internal version"
    return ", ".join(str(Audience(a).label) for a in audiences)


def update_context(update: Update, membership, texts=None, refused=None) -> dict:
    slug = membership.workspace.slug
    context: dict = {
        "update": update,
        "versions": [links(slug, update, a) for a in Audience],
    }
    if update.is_published:
        context["heard_late"] = notice.of_update(update)
        context.update(sending_context(update, membership))
        context["backbriefs"] = backbrief.page_rows(update, membership)
        context["backbrief_question"] = backbrief.QUESTION
        if update.is_withdrawn_from_partners:
            context["withdrawn"] = actions.withdrawn_words(update)
        context["unshared_since"] = rules.unshared_since(update)
    else:
        context.update(
            {
                "facts": facts_summary(update.facts or {}),
                "texts_form": texts or TextsForm(instance=update),
                "problems": rules.problems(update),
                "warnings": rules.warnings(update),
                "refused": refused or [],
                "facts_seen": actions.stamp(update),
                "early": timezone.localdate() <= update.period_end,
                "jargon": jargon_groups(update),
                "gathered_before_changes": actions.gathered_before_changes(update),
            }
        )
    return context


def sending_context(update: Update, membership) -> dict:
    """The Send form's preview (how many people get each version) and the past sendings."""
    people = delivery.recipients(membership.workspace)
    webhook = membership.workspace.slack_webhook_url
    reach = delivery.email_reach(update, people)
    return {
        "can_send": membership.can_write,
        "preview": [(Audience(a).label, n) for a, n in reach],
        # The Send button's confirmation: who gets an email, and the count it was shown, which
        # the send compares with the count then (send_reach_problem).
        "emailing": sum(n for _, n in reach),
        "emailing_words": delivery.reach_words(reach),
        "emailing_by": ", ".join(f"{Audience(a).label} {n}" for a, n in reach if n),
        "skipped": people,
        "webhook_host": delivery.webhook_host(webhook),
        "sendings": update.sendings.select_related("by"),
        "last_sent": (last := delivery.sent_before(update)) and delivery.sent_words(last),
    }


def partners_version(membership, number: int, name: str):
    """An update's own page is for the organisation: a partner who opens it is sent to its
    partners' version while that is shared with them (published, not withdrawn). Of any other
    number they learn nothing, not even whether a draft of it exists (get_update's 404)."""
    update = get_update(membership, number)
    return redirect(name, membership.workspace.slug, update.number, Audience.PARTNERS)


@workspace_view(PARTNER_VISIBLE)
@read_only
def update_page(request, membership, update_number):
    if not membership.can_read_internal:
        return partners_version(membership, update_number, "update_version")
    update = get_update(membership, update_number)
    return render(request, "updates/update.html", update_context(update, membership))


@workspace_view(PARTNER_VISIBLE)
@read_only
def update_json(request, membership, update_number):
    if not membership.can_read_internal:
        return partners_version(membership, update_number, "update_version_json")
    update = get_update(membership, update_number)
    data = summary(update, membership)
    data["gathered_at"] = update.gathered_at.isoformat() if update.gathered_at else None
    data["back_briefs"] = backbrief.published_json(update, membership)
    return JsonResponse({**data, **state_details(update)})


def state_details(update: Update) -> dict:
    """A draft's texts, rule problems, warnings and jargon; a published update's sendings and what
    customer success heard too late (as the page shows it). The JSON twin's and the API's."""
    if not update.is_published:
        return {
            "narrative": update.narrative,
            "partner_note": update.partner_note,
            "problems": rules.problems(update),
            "warnings": rules.warnings(update),
            "jargon": {a: rules.jargon(update, a) for a in Audience.values},
            "gathered_before_changes": actions.gathered_before_changes(update),
        }
    rows = update.sendings.select_related("by")
    return {
        "sendings": [delivery.sending_json(row) for row in rows],
        "heard_late": notice.of_update(update).as_dict(),
        "withdrawn_from_partners": withdrawal(update),
    }


@post_only
@workspace_view(WRITE)
def save_texts(request, membership, update_number):
    update = get_update(membership, update_number)
    if update.is_published:
        return refused(request, "A published update cannot be edited.")
    form = TextsForm(request.POST, instance=Update.objects.get(pk=update.pk))
    if not form.is_valid():
        messages.error(request, f"Not saved: {form_errors(form)}")
        context = update_context(update, membership, texts=form)
        return render(request, "updates/update.html", context, status=400)
    data = form.cleaned_data
    try:
        actions.save_texts(update, data["narrative"], data["partner_note"], data["title"])
    except ValueError as refusal:  # published meanwhile
        return refused(request, str(refusal))
    messages.success(request, "Texts saved.")
    return redirect("update", membership.workspace.slug, update.number)


def texts_sent(request, membership, update: Update, not_done: str):
    """The text boxes a button of the update's page sent with it (None when it sent none), or
    the page again, refused with them as typed, when they are not valid."""
    if "narrative" not in request.POST:
        return None, None
    texts = TextsForm(request.POST, instance=Update.objects.get(pk=update.pk))
    if texts.is_valid():
        return texts, None
    messages.error(request, f"{not_done}: {form_errors(texts)}")
    context = update_context(update, membership, texts=texts)
    return texts, render(request, "updates/update.html", context, status=400)


@post_only
@workspace_view(WRITE)
def gather_again(request, membership, update_number):
    """Gather a draft's facts again; the page's button sends the text boxes as they stand,
    saved with it, so what was typed is not lost."""
    update = get_update(membership, update_number)
    if update.is_published:
        messages.info(request, "A published update keeps the facts it was published with.")
        return redirect("update", membership.workspace.slug, update.number)
    texts, invalid = texts_sent(request, membership, update, "Not gathered")
    if invalid:
        return invalid
    try:
        with transaction.atomic():
            if texts is not None:
                actions.save_texts(update, **texts.cleaned_data)
            actions.refresh(update)
    except ValueError as refusal:  # published meanwhile
        return refused(request, str(refusal))
    said = " and texts saved" if texts is not None else ""
    messages.success(request, f"Facts gathered again from live data{said}.")
    return redirect("update", membership.workspace.slug, update.number)


@post_only
@workspace_view(WRITE)
def publish(request, membership, update_number):
    update = get_update(membership, update_number)
    if update.is_published:
        messages.info(request, f"Update {update.number} was already published.")
        return redirect("update", membership.workspace.slug, update.number)
    # The page's Publish button sends the text boxes as they stand: published with them, so a
    # fix typed since the last save is neither lost nor left out.
    texts, invalid = texts_sent(request, membership, update, "Not published")
    if invalid:
        return invalid
    try:
        with transaction.atomic():  # the texts and the publishing, or neither
            if texts is not None:
                actions.save_texts(update, **texts.cleaned_data)
                update.refresh_from_db()
            actions.publish(
                update,
                by=request.user,
                before_period_end=request.POST.get("before_period_end") == "on",
                facts_seen=request.POST.get("facts_seen"),
            )
    except ValueError as refusal:  # published meanwhile
        return refused(request, str(refusal))
    except actions.PublishRefused as unpublishable:
        messages.error(request, "Not published: fix what is listed below, then publish again.")
        update.refresh_from_db()
        context = update_context(update, membership, texts=texts, refused=unpublishable.problems)
        return render(request, "updates/update.html", context, status=400)
    except actions.NeedsConfirmation as unconfirmed:
        # The texts typed stay in their boxes; the facts shown are gathered now (the refusal
        # undid the texts and the facts with them), so publishing again publishes what is read.
        messages.error(request, f"Not published: {missing_confirmation(update, unconfirmed)}")
        update.refresh_from_db()
        actions.refresh(update)
        context = update_context(update, membership, texts=texts, refused=unconfirmed.problems)
        return render(request, "updates/update.html", context, status=409)
    messages.success(request, f"Update {update.number} published to every audience.")
    return redirect("update", membership.workspace.slug, update.number)


def missing_confirmation(update: Update, unconfirmed: actions.NeedsConfirmation) -> str:
    """Which confirmation the publish lacked, as the page asks for it."""
    if actions.FACTS_CHANGED in unconfirmed.problems:
        return "the facts changed since you read them. Read them below, then publish again."
    return (
        "the period has not ended. Tick “Publish before the period ends” "
        f"({update.period_end.day} {update.period_end:%B %Y}), then publish again, or publish "
        "after it ends."
    )


@post_only
@workspace_view(WRITE)
def delete_draft(request, membership, update_number):
    update = get_update(membership, update_number)
    try:
        actions.delete_draft(update)
    except ValueError as refusal:  # published, here or meanwhile
        return refused(request, str(refusal))
    messages.success(request, f"Deleted the draft {in_quotes(update.title)}.")
    return redirect("updates", membership.workspace.slug)


@post_only
@workspace_view(WRITE)
def withdraw_from_partners(request, membership, update_number):
    """Take back the partners' version of a published update, as its page's button asks."""
    update = get_update(membership, update_number)
    try:
        actions.withdraw_from_partners(update, by=request.user)
    except actions.AlreadyWithdrawn as refusal:
        return refused(request, str(refusal), status=409)
    except ValueError as refusal:  # a draft
        return refused(request, str(refusal))
    messages.success(
        request,
        f"Update {update.number} withdrawn from partners: they no longer find it. What was "
        "emailed or posted to Slack before stays where it went.",
    )
    return redirect("update", membership.workspace.slug, update.number)


@workspace_view(PARTNER_VISIBLE)
@read_only
def version_page(request, membership, update_number, audience):
    update, found = get_version(membership, update_number, audience)
    slug = membership.workspace.slug
    context = {
        "update": update,
        "version": found,
        "here": links(slug, update, audience),
        "others": [links(slug, update, a) for a in audiences_for(membership)],
        "internal": membership.can_read_internal,
    }
    if audience == Audience.PARTNERS and update.is_withdrawn_from_partners:
        context["withdrawn"] = actions.withdrawn_words(update)
    if membership.can_write and not update.is_published:
        context["jargon"] = rules.jargon(update, audience)
    if audience == Audience.SUPPORT and membership.can_read_internal:
        context["heard_late"] = notice.of_update(update)
    if membership.can_read_internal and audience != Audience.PARTNERS:
        context["backbrief"] = backbrief.latest(update, audience)
        context["backbrief_question"] = backbrief.QUESTION
    return render(request, "updates/version.html", context)


@workspace_view(PARTNER_VISIBLE)
@read_only
def version_markdown(request, membership, update_number, audience):
    update, found = get_version(membership, update_number, audience)
    # Read away from the site, as an email is: its links carry the site's address.
    text = audiences.markdown(delivery.with_absolute_links(found))
    if not update.is_published:
        text = text.rstrip("\n") + "\n\n_Draft: not published yet._\n"
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    filename = f"update-{update.number:03d}-{audience}.md"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@workspace_view(PARTNER_VISIBLE)
@read_only
def version_json(request, membership, update_number, audience):
    update, found = get_version(membership, update_number, audience)
    data = {"update": update.number, "published": update.is_published}
    data.update(audiences.as_json(found))
    return JsonResponse(data)


@post_only
@workspace_view(WRITE)
def send(request, membership, update_number):
    """Send a published update by email and/or to the workspace's webhook, after commit."""
    update = get_update(membership, update_number)
    if not update.is_published:
        return refused(request, f"Update {update.number} is a draft: publish it before sending it.")
    channels = [c for c in delivery.CHANNELS if request.POST.get(c)]
    if not channels:
        return refused(request, "Choose how to send it: email, Slack or both.")
    if "slack" in channels and not membership.workspace.slack_webhook_url:
        return refused(
            request, "This workspace has no Slack webhook: an owner sets one in the settings."
        )
    if "slack" in channels and update.is_withdrawn_from_partners:
        return refused(request, delivery.WITHDRAWN_SLACK, status=409)
    last = delivery.sent_before(update, channels)
    if last is not None and request.POST.get("again") != "on":
        return refused(
            request,
            f"{delivery.sent_words(last)}: nothing was sent. To send it again to everyone, "
            "tick “Send it again”.",
            status=409,
        )
    if "email" in channels and (problem := send_reach_problem(update, request.POST)):
        messages.error(request, problem)
        context = {**update_context(update, membership), "confirm_send": True}
        return render(request, "updates/update.html", context, status=409)
    if "email" in channels and (problem := mail_server_problem("nothing was sent")):
        # Asked first: otherwise each audience's messages waited out their retries in the click.
        slack = " Slack alone can go now." if membership.workspace.slack_webhook_url else ""
        messages.error(request, f"{problem} {who_sets_mail(request.user)}{slack}")
        return redirect("update", membership.workspace.slug, update.number)
    queued = []
    transaction.on_commit(
        lambda: queued.append(send_update.enqueue(update.pk, channels, request.user.pk))
    )
    # Inline tasks have finished by now; a worker's have not, and the log below fills in.
    result = queued[0] if queued and queued[0].is_finished else None
    state, rows = outcome(result) if result else (None, None)
    if state == DONE:
        tell = messages.error if any(r["status"] == "failed" for r in rows) else messages.success
        tell(request, f"{sent_in_words(rows)}; see the log below.")
    elif state == FAILED:
        messages.error(request, "Sending stopped on an error; the log below says what went out.")
    else:
        tell_queued(request, "Sending in the background; the log below follows it.")
    return redirect("update", membership.workspace.slug, update.number)


def send_reach_problem(update: Update, posted) -> str:
    """Why an email send from the page waits: the page asks first how many people it emails
    ("emailing" is the count it showed), and a count that changed since is asked again. The
    API and the command line send without it: an explicit call is its own confirmation."""
    reach = delivery.email_reach(update)
    now = sum(n for _, n in reach)
    seen = posted.get("emailing", "")
    if seen == str(now):
        return ""
    if not seen.isdigit():
        return (
            f"Not sent: email would go to {delivery.reach_words(reach)}. Read who gets it "
            "under “Send…”, then send from there."
        )
    return (
        f"Not sent: email would now go to {delivery.reach_words(reach)}, not the {seen} the page "
        "showed. Read who gets it under “Send…”, then send again."
    )


def sent_in_words(rows: list[dict]) -> str:
    """What a send reached, in people: "Sent to 8 of 8 people in 4 audiences; posted to Slack"."""
    mailed = [r for r in rows if r["channel"] == "email"]
    said = []
    if mailed:
        delivered, meant = (sum(r[k] for r in mailed) for k in ("delivered", "recipients"))
        said.append(f"Sent to {delivered} of {meant} people in {len(mailed)} audiences")
    for row in rows:
        if row["channel"] == "slack":
            said.append("posted to Slack" if row["status"] == "sent" else "not posted to Slack")
    text = "; ".join(said)
    return text[:1].upper() + text[1:] if said else "Nothing was sent"


@post_only
@workspace_view(WRITE)
def send_back_brief(request, membership, update_number, audience):
    """Ask one internal audience what it heard of a published update: create the back-brief
    check-in and email its personal links once it is saved; nothing is created when no mail
    server answers. One that could never be published (backbrief.never_published) goes only
    with "Send anyway" ticked: without it, a 409 says why and nothing is made."""
    update = get_update(membership, update_number)
    # What no mail server can mend is said first: asking an absent one would only wait for it.
    if refusal := backbrief.cannot_ask(update, audience):
        return refused(request, refusal)
    # People asked for answers nobody will read: only when the editor says so, as for a check-in.
    never = backbrief.never_published(update, audience)
    if never and request.POST.get("anyway") != "on":
        return refused(request, nothing_sent(never, TICK_SEND_ANYWAY), status=409)
    problem = mail_server_problem()
    if problem:
        messages.error(request, f"{problem} {who_sets_mail(request.user)}")
        return redirect("update", membership.workspace.slug, update.number)
    anonymous = request.POST.get("attributed") != "on"
    try:
        found = made_and_mailed(
            lambda: backbrief.create_back_brief(update, audience, request.user, anonymous)
        )
    except backbrief.CannotAsk as refusal:  # asked meanwhile
        return refused(request, str(refusal))
    people = found.checkin.invitations.count()
    messages.success(request, sent_message(people))
    # As a check-in's creation warns; sent anyway, the update's page says why no reading will
    # come, and "only the first of the two to be published can be" would promise what never does.
    for warning in [] if never else overlap_warnings(found.checkin):
        messages.warning(request, warning)
    return redirect("update", membership.workspace.slug, update.number)
