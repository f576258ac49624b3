from collections import Counter

from django import urls
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from truenorth import charts
from truenorth.analysis import clarity, measures
from truenorth.decisions import actions, backbrief, export, partners, speed
from truenorth.decisions.forms import (
    CommentForm,
    DecideForm,
    DecisionForm,
    FilterForm,
    KindForm,
    OutcomeForm,
    ReverseForm,
    SupersedeForm,
)
from truenorth.decisions.models import STATUS_MEANING, Decision, Kind, Status
from truenorth.exports import csv_response
from truenorth.glossary.templatetags.glossary import find, known_terms
from truenorth.refusals import bad_filter, post_only, posted, read_only
from truenorth.roadmap.models import Status as InitiativeStatus
from truenorth.sending import in_quotes
from truenorth.workspaces.access import INTERNAL, PARTNER_VISIBLE, WRITE, workspace_view

CSV_COLUMNS = [
    "number",
    "title",
    "status",
    "kind",
    "owner",
    "raised_on",
    "decided_on",
    "days_taken_to_decide",
    "days_open",
    "blocks",
    "supersedes",
    "question",
    "outcome",
    "rationale",
    "closed_on",
    "reversed_because",
]

# Each kind's share of a decision's comments, as measures.py names it.
KIND_MEASURES = {
    Kind.QUESTION: "decisions.questions",
    Kind.OBJECTION: "decisions.objections",
    Kind.SUPPORT: "decisions.support",
}

# The decision's own text, where a reader may meet jargon, in the order the page shows it.
OWN_TEXT = {
    "title": "the title",
    "question": "the question",
    "context": "the context",
    "options": "the options",
    "outcome": "the decision",
    "rationale": "why",
    "consequences": "the trade-offs",
}

# What many comments of one kind say (seed 003: tell confusion from disagreement).
# A finding, for every reader; what to do about it (WHAT_TO_DO) is for those who can edit it.
KIND_READING = {
    Kind.QUESTION: "Many questions: the decision reads as unclear to those who commented.",
    Kind.OBJECTION: "Many objections: people understand it and disagree.",
    Kind.SUPPORT: "Mostly support: people understand and agree.",
}
# Each kind's many, for a reading that is too close to call.
KIND_PLURAL = {
    Kind.QUESTION: "questions",
    Kind.OBJECTION: "objections",
    Kind.SUPPORT: "comments in support",
}
# Each kind's count and share in plain words: (one, many, what its comments do, which way is
# better); "" where neither way is.
KIND_WORDS = {
    Kind.QUESTION: ("question", "questions", "ask one", "fewer is better"),
    Kind.OBJECTION: ("objection", "objections", "object", ""),
    Kind.SUPPORT: ("in support", "in support", "support it", "more is better"),
}
# What to do about it, which depends on whether it is still to be decided: "then decide" makes
# no sense once it is. A decision taken back or replaced needs nothing more.
WHAT_TO_DO = {
    (Status.PROPOSED, Kind.QUESTION): "Make it clearer before asking for agreement.",
    (Status.PROPOSED, Kind.OBJECTION): "Hear them out, then decide and explain.",
    (Status.DECIDED, Kind.QUESTION): "Make the record clearer (what was decided, why, what it "
    "means) and tell people again.",
    (Status.DECIDED, Kind.OBJECTION): "It is decided: explain why, and hear out what it "
    "missed; if that changes the answer, supersede it.",
}


def visible(membership):
    """The decisions this login may read: all of them inside the organisation, shared ones for
    partners."""
    decisions = membership.workspace.decisions.select_related("owner__team", "supersedes")
    if not membership.can_read_internal:
        decisions = decisions.filter(shared_with_partners=True)
    return decisions


def get_decision(membership, number: int) -> Decision:
    """One decision this login may read; a partner asking for an unshared one learns nothing."""
    decision = visible(membership).filter(number=number).first()
    if decision is None:
        raise Http404("No such decision")
    return decision


# The log's filters that only the organisation may use: a partner filtering a shared record by
# them would learn its owner, their team and the goals it serves, which their page leaves out.
INTERNAL_FILTERS = ("owner", "team", "goal")


def filtered(membership, data):
    """(decisions, form) for the log's filters; decisions is None when a filter is malformed
    or is one a partner may not use."""
    form = FilterForm(data)
    if not form.is_valid():
        return None, form
    if not membership.can_read_internal:
        for name in INTERNAL_FILTERS:
            if form.cleaned_data.get(name):
                form.add_error(name, f"Partners cannot filter by {name}.")
        if form.errors:
            return None, form
    decisions = visible(membership).prefetch_related("blocks")
    wanted = form.cleaned_data
    if wanted["status"]:
        decisions = decisions.filter(status=wanted["status"])
    if wanted["owner"]:
        decisions = decisions.filter(owner_id=wanted["owner"])
    if wanted["team"]:
        decisions = decisions.filter(owner__team_id=wanted["team"])
    if wanted["goal"]:
        decisions = decisions.filter(goals__id=wanted["goal"])
    return decisions, form


@workspace_view(PARTNER_VISIBLE)
@read_only
def decision_log(request, membership):
    decisions, form = filtered(membership, request.GET)
    if decisions is None:
        return bad_filter(request, form)
    workspace = membership.workspace
    rows = [(d, speed.latency_days(d)) for d in decisions]
    context = {
        "rows": rows,
        "form": form,
        "internal": membership.can_read_internal,
        "statuses": Status.choices,
        "owners": workspace.people.exclude(function="partner"),
        "teams": workspace.teams.filter(archived=False),
        "goals": workspace.goals.all(),
        "query": request.GET.urlencode(),
        "filtered": any(form.cleaned_data.values()),
    }
    return render(request, "decisions/log.html", context)


@workspace_view(PARTNER_VISIBLE)
@read_only
def log_json(request, membership):
    decisions, form = filtered(membership, request.GET)
    if decisions is None:
        return bad_filter(request, form)
    partner = not membership.can_read_internal
    rows = export.with_links(decisions)
    return JsonResponse({"decisions": [export.as_json(d, partner) for d in rows]})


@workspace_view(PARTNER_VISIBLE)
@read_only
def log_markdown(request, membership):
    decisions, form = filtered(membership, request.GET)
    if decisions is None:
        return bad_filter(request, form)
    partner = not membership.can_read_internal
    text = export.markdown_log(export.with_links(decisions), membership.workspace.name, partner)
    return markdown_response(text, "decisions.md")


# The columns a partner's CSV leaves out, as their page and JSON do: who owns a record and
# which of the organisation's initiatives it holds up.
INTERNAL_COLUMNS = ("owner", "blocks")


@workspace_view(PARTNER_VISIBLE)
@read_only
def log_csv(request, membership):
    decisions, form = filtered(membership, request.GET)
    if decisions is None:
        return bad_filter(request, form)
    partner = not membership.can_read_internal
    columns = [c for c in CSV_COLUMNS if not (partner and c in INTERNAL_COLUMNS)]
    rows = [csv_row(d, partner) for d in decisions]
    return csv_response("decisions.csv", columns, [[row[c] for c in columns] for row in rows])


def csv_row(d: Decision, partner: bool) -> dict:
    """One record's CSV row by column; a partner does not learn of an earlier unshared record."""
    earlier = d.supersedes if d.supersedes_id else None
    if earlier is not None and partner and not earlier.shared_with_partners:
        earlier = None
    return {
        "number": d.number,
        "title": d.title,
        "status": d.status,
        "kind": d.category,
        "owner": d.owner.name if d.owner_id else "",
        "raised_on": d.raised_on,
        "decided_on": d.decided_on,
        "days_taken_to_decide": speed.latency_days(d),
        "days_open": (timezone.localdate() - d.raised_on).days if d.is_open else None,
        "blocks": "; ".join(i.title for i in d.blocks.all()),
        "supersedes": earlier.number if earlier else None,
        "question": d.question,
        "outcome": d.outcome,
        "rationale": d.rationale,
        "closed_on": d.closed_on,
        "reversed_because": d.reversed_because,
    }


def markdown_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def own_text(decision: Decision) -> dict[str, str]:
    options = [o for o in decision.options if isinstance(o, dict)]
    said = " ".join(str(o.get(k) or "") for o in options for k in ("name", "pros", "cons"))
    fields = {name: getattr(decision, name) for name in OWN_TEXT if name != "options"}
    return {name: said if name == "options" else fields[name] for name in OWN_TEXT}


def jargon(decision: Decision, membership) -> list[dict]:
    """The acronyms in the decision's own text, each once, with its glossary entry when the
    workspace has one (the vision's clarity rule: analysis.clarity.jargon)."""
    terms = known_terms(membership)
    slug = membership.workspace.slug
    found = []
    for finding in clarity.jargon(own_text(decision)):
        term = find(finding.phrase, terms)
        found.append(
            {
                "word": finding.phrase,
                "where": OWN_TEXT[finding.where],
                "term_url": urls.reverse("term", args=[slug, term]) if term is not None else None,
            }
        )
    return found


@workspace_view(PARTNER_VISIBLE)
@read_only
def decision_page(request, membership, number):
    decision = get_decision(membership, number)
    return render(request, "decisions/decision.html", page_context(request, membership, decision))


def shown_again(request, membership, decision, refused_form: dict) -> HttpResponse:
    """The decision's page again, the refused form as it was typed with its errors: a 400 that
    loses nothing (a rationale or a comment can be long). The form opens with what is wrong, and
    the page comes back focused there, however far down the page the form is."""
    context = page_context(request, membership, decision) | refused_form
    return render(request, "decisions/decision.html", context, status=400)


def page_context(request, membership, decision) -> dict:
    internal = membership.can_read_internal
    later = visible(membership).filter(supersedes=decision)
    context = {
        "decision": decision,
        "meaning": STATUS_MEANING[Status(decision.status)],
        # The headline names what replaced it, where this reader may see it.
        "replaced_by": later.first() if decision.status == Status.SUPERSEDED else None,
        "internal": internal,
        "latency": speed.latency_days(decision),
        "timed": speed.timed(decision),
        "blocked": blocked(decision),
        "later": later,
    }
    if internal:
        context["jargon"] = jargon(decision, membership)
        context.update(comment_context(decision, advise=membership.can_write))
        for c in context["comments"]:
            c.can_correct = may_correct_kind(membership, request.user, c)
        context["kind_choices"] = KindForm.base_fields["kind"].choices
        context["comment_form"] = CommentForm()
        if membership.can_write:
            today = timezone.localdate()
            context["decide_form"] = DecideForm(
                initial={
                    "decided_on": today,
                    "outcome": decision.outcome,
                    "rationale": decision.rationale,
                }
            )
            context["supersede_form"] = SupersedeForm(initial={"on": today})
            context["reverse_form"] = ReverseForm(initial={"on": today})
            context["partners_will_read"] = partners.warning(decision)
    context.update(backbrief.page_context(decision, membership))
    return context


def blocked(decision: Decision) -> list[tuple]:
    """(initiative, what became of it) for each initiative the decision blocks: "shipped on 14
    Oct 2026 without it" where it shipped while the decision was still open, so it does not read
    as waiting on it; "" for one it still holds up (speed.held_up) or that waited for it."""
    return [
        (initiative, went_on_without(decision, initiative)) for initiative in decision.blocks.all()
    ]


def went_on_without(decision: Decision, initiative) -> str:
    shipped = initiative.actual_date
    if initiative.status == InitiativeStatus.SHIPPED:
        if shipped is None:
            return "shipped without it" if decision.is_open else ""
        if decision.decided_on is None or shipped < decision.decided_on:
            return f"shipped on {date_format(shipped)} without it"
    if initiative.status == InitiativeStatus.DROPPED and decision.is_open:
        return "dropped"
    return ""


def comment_context(decision: Decision, advise: bool = False) -> dict:
    """The comments, their counts and quotes per kind, and what the mix says (with what to do
    about it where `advise`, for those who can edit the decision). Each kind's share is of the
    comments that take a side: one not sorted yet, or with no real words, takes none."""
    comments = list(decision.comments.select_related("author", "written_by"))
    counts = Counter(c.kind for c in comments)
    sided = sum(counts[kind.value] for kind in KIND_MEASURES)
    shown = whole_shares([counts[kind.value] for kind in KIND_MEASURES])
    kinds = []
    for (kind, key), whole in zip(KIND_MEASURES.items(), shown, strict=True):
        share = 100 * counts[kind.value] / sided if sided else None
        kinds.append(
            {
                "kind": kind,
                "label": kind.label,
                "count": counts[kind.value],
                "key": key,
                "share": share,
                "words": kind_words(kind, counts[kind.value], whole, key),
                "measure": measures.measure(key),
                "quotes": [c for c in comments if c.kind == kind.value][:3],
            }
        )
    return {
        "comments": comments,
        "kinds": kinds,
        "unsorted": counts[Kind.UNSORTED.value],
        "unclear": counts[Kind.UNCLEAR.value],
        "committed": sum(c.disagree_and_commit for c in comments),
        "reading": reading(counts, decision.status, advise),
    }


def whole_shares(counts: list[int]) -> list[int | None]:
    """Each count's share in whole percent, adding up to 100 (largest remainder): rounded one by
    one, 5 of 8, 2 of 8 and 1 of 8 read 63% + 25% + 13% = 101%. None for each where none."""
    total = sum(counts)
    if not total:
        return [None] * len(counts)
    exact = [100 * count / total for count in counts]
    whole = [int(share) for share in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - whole[i], reverse=True)
    for i in by_remainder[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def kind_words(kind: Kind, count: int, share: float | None, key: str) -> str:
    """ "3 questions: 50% of comments ask one — fewer is better"."""
    one, many, doing, better = KIND_WORDS[kind]
    said = f"{count} {one if count == 1 else many}"
    if share is None:
        return said
    said += f": {measures.shown(key, share)} of comments {doing}"
    return f"{said} — {better}" if better else said


def reading(counts: Counter, status: str, advise: bool = False) -> str:
    """What the mix of comments says, and (where `advise`) what to do about it at the decision's
    status; empty while too few are sorted to say anything. A lead of one comment is no lead: one misread
    comment would turn the advice around, so the page says it is close instead."""
    sorted_kinds = {k: counts[k.value] for k in (Kind.QUESTION, Kind.OBJECTION, Kind.SUPPORT)}
    top, runner_up = sorted(sorted_kinds, key=lambda k: sorted_kinds[k], reverse=True)[:2]
    if sorted_kinds[top] < 2:
        return ""
    if sorted_kinds[top] - sorted_kinds[runner_up] <= 1:
        return (
            f"About as many {KIND_PLURAL[top]} as {KIND_PLURAL[runner_up]}: too close to say "
            "what the comments mean, so read them before acting."
        )
    advice = WHAT_TO_DO.get((Status(status), top)) if advise else None
    return f"{KIND_READING[top]} {advice}" if advice else KIND_READING[top]


@workspace_view(PARTNER_VISIBLE)
@read_only
def decision_json(request, membership, number):
    decision = get_decision(membership, number)
    data = export.as_json(decision, for_partner=not membership.can_read_internal)
    if membership.can_read_internal:
        data["jargon"] = jargon(decision, membership)
        mix = comment_context(decision)
        data["comment_kinds"] = comment_kinds(mix)
        data["comments_unclear"] = mix["unclear"]
        data["comments_disagree_and_commit"] = mix["committed"]
        data["comments"] = [
            {**comment_fields(c), "created_at": c.created_at.isoformat()} for c in mix["comments"]
        ]
    data.update(backbrief.as_json(backbrief.page_context(decision, membership)))
    return JsonResponse(data)


def comment_kinds(mix: dict) -> list[dict]:
    """Each kind's count and share (comment_context), as the JSON twin and the API give them."""
    return [
        {"kind": k["kind"].value, "key": k["key"], "count": k["count"], "share": k["share"]}
        for k in mix["kinds"]
    ]


@workspace_view(PARTNER_VISIBLE)
@read_only
def decision_markdown(request, membership, number):
    decision = get_decision(membership, number)
    text = export.markdown(decision, for_partner=not membership.can_read_internal)
    return markdown_response(text, f"{decision.number:04d}-decision.md")


@workspace_view(WRITE)
def edit_decision(request, membership, number=None):
    workspace = membership.workspace
    decision = get_decision(membership, number) if number else Decision(workspace=workspace)
    form = DecisionForm(posted(request), instance=decision, workspace=workspace)
    outcome = OutcomeForm(posted(request), instance=decision)
    if request.method == "POST" and form.is_valid() and outcome.is_valid():
        raised = decision.pk is None
        decision = form.save_record(by=request.user)
        saved = f"Decision {decision.number} saved"
        if raised and decision.decided_on:
            saved += f" as decided on {date_format(decision.decided_on)}"
        messages.success(request, f"{saved}. {form.teams_informed_words()}".strip())
        # Raised again? Say so at once, after the save: the model never holds up the write.
        for notice in backbrief.repeat_notices(decision) if raised else []:
            messages.warning(request, notice)
        if unseen := partners.unseen_notice(decision):
            messages.info(request, unseen)
        return redirect("decision", workspace.slug, decision.number)
    if number is None and not form.is_bound:
        # The unsaved record's own value is None, which setdefault would have kept.
        form.initial["raised_on"] = timezone.localdate()
    context = {"form": form, "outcome": outcome, "decision": decision}
    if decision.pk:
        context["kept_because"] = actions.why_kept(decision)
        context["partners_will_read"] = partners.warning(decision)
    status = 400 if form.errors or outcome.errors else 200
    return render(request, "decisions/edit.html", context, status=status)


def change_status(request, membership, number, form_class, apply, name: str) -> HttpResponse:
    """Run one status change from its form (the page's `name`); a refused change is the page
    again, with the form as it was typed and the reason."""
    decision = get_decision(membership, number)
    form = form_class(request.POST)
    if not form.is_valid():
        return shown_again(request, membership, decision, {name: form})
    try:
        apply(decision, form.cleaned_data)
    except actions.NotAllowed as refusal:
        # Said at the top as well: a decision no longer open shows no form to "decide" it.
        messages.error(request, f"Not done: {refusal}")
        form.add_error(None, str(refusal))
        return shown_again(request, membership, decision, {name: form})
    messages.success(request, f"Decision {decision.number} is now {decision.status}.")
    return redirect("decision", membership.workspace.slug, decision.number)


@post_only
@workspace_view(WRITE)
def decide(request, membership, number):
    def apply(decision, data):
        actions.decide(decision, data["decided_on"], data["outcome"], data["rationale"])

    return change_status(request, membership, number, DecideForm, apply, "decide_form")


@post_only
@workspace_view(WRITE)
def supersede(request, membership, number):
    def apply(decision, data):
        later = membership.workspace.decisions.filter(number=data["by"]).first()
        if later is None:
            raise actions.NotAllowed(f"There is no decision {data['by']}.")
        actions.supersede(decision, later, data["on"])

    return change_status(request, membership, number, SupersedeForm, apply, "supersede_form")


@post_only
@workspace_view(WRITE)
def reverse(request, membership, number):
    def apply(decision, data):
        actions.reverse(decision, data["why"], data["on"])

    return change_status(request, membership, number, ReverseForm, apply, "reverse_form")


@post_only
@workspace_view(WRITE)
def delete(request, membership, number):
    decision = get_decision(membership, number)
    try:
        actions.delete_decision(decision)
    except actions.NotAllowed as refused:
        messages.error(request, f"Decision {number} was not deleted: {refused}")
        return redirect("edit_decision", membership.workspace.slug, number)
    messages.success(request, f"Decision {number} deleted: {in_quotes(decision.title)}.")
    return redirect("decisions", membership.workspace.slug)


@post_only
@workspace_view(INTERNAL)
def comment(request, membership, number):
    decision = get_decision(membership, number)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return shown_again(request, membership, decision, {"comment_form": form})
    new = form.save(commit=False)
    new.decision = decision
    new.author = membership.person
    new.written_by = request.user
    actions.add_comment(new)
    messages.success(request, "Comment added.")
    return redirect("decision", membership.workspace.slug, decision.number)


def may_correct_kind(membership, user, comment) -> bool:
    """The comment's author or an editor may say what it is."""
    person = getattr(membership, "person", None)
    mine = comment.written_by_id == user.pk or (person and comment.author_id == person.pk)
    return bool(membership.can_write or mine)


@post_only
@workspace_view(INTERNAL)
def comment_kind(request, membership, number, comment):
    decision = get_decision(membership, number)
    found = decision.comments.filter(pk=comment).first()
    if found is None:
        raise Http404("No such comment.")
    if not may_correct_kind(membership, request.user, found):
        raise PermissionDenied("Only its author or an editor may correct a comment's kind.")
    form = KindForm(request.POST)
    if not form.is_valid():
        return bad_filter(request, form, "kind")
    actions.correct_kind(found, form.cleaned_data["kind"])
    messages.success(request, f"Comment marked as {found.get_kind_display()}.")
    return redirect("decision", membership.workspace.slug, decision.number)


@workspace_view(INTERNAL)
@read_only
def speed_page(request, membership):
    return render(request, "decisions/speed.html", speed_context(membership))


@workspace_view(INTERNAL)
@read_only
def speed_json(request, membership):
    return JsonResponse(speed_twin(membership))


def speed_twin(membership) -> dict:
    """The speed page's figures as data: its JSON twin's and the API's object."""
    context = speed_context(membership)
    return {
        "median_days": context["median"],
        # Every decision ever made (superseded and reversed ones too): counted + not_counted.
        "decided": context["decided"],
        "counted": context["counted"],
        "not_counted": context["recorded_as_made"],
        "not_counted_why": context["not_counted_why"],
        "recent_median_days": context["recent"],
        "recent_count": context["recent_count"],
        "window_days": speed.LATENCY_WINDOW_DAYS,
        "recorded_as_made": context["recorded_as_made"],
        "by": {
            name: [{"name": g.name, "median_days": g.median, "count": g.count} for g in rows]
            for name, rows in context["groups"]
        },
        "open": [
            {
                "number": w.decision.number,
                "title": w.decision.title,
                "days_open": w.days_open,
                "blocks": [i.title for i in w.blocks],
            }
            for w in context["waiting"]
        ],
        # Only the months the chart draws: each resting on FEWEST_DECISIONS_A_MONTH or more.
        "trend": [
            {"month": m, "median_days": v, "decisions": n}
            for (m, v), n in zip(context["points"], context["counts"], strict=True)
        ],
        "months_left_out": [{"month": m, "decisions": n} for m, n in context["left_out"]],
        "months_left_out_why": context["months_left_out_why"],
    }


def shown(days: float | None) -> str:
    """Days as a headline shows them; empty (a dash) when there is nothing to measure."""
    return "" if days is None else charts.number(days)


def median_of(counted: int, decided: int) -> str:
    """What the all-time median is of, said under it: "Median of 6 of the 7 decisions made so
    far: …" when some were recorded as they were made."""
    if not decided:
        return "Nothing decided yet."
    if counted == decided:
        return f"Median of {speed.decisions_in_words(decided)} made so far."
    return (
        f"Median of {counted} of the {speed.decisions_in_words(decided)} made so far: those "
        "recorded as they were made are left out (below)."
    )


def recent_of(count: int) -> str:
    """What the 90-day median is of, said under it."""
    window = speed.LATENCY_WINDOW_DAYS
    if not count:
        return f"No decision made in the last {window} days is counted, so there is no median."
    return (
        f"Median of {speed.decisions_in_words(count)} made in the last {window} days, the "
        "dashboard's figure; lower is better."
    )


def monthly_chart(points: list[tuple[str, float]], counts: list[int]) -> str:
    """The months' medians, each point named with how many decisions it rests on ("2026-10 (4
    decisions)"), as the dashboard's card names them; no line from fewer than two months."""
    title = "Median days to decide, by month"
    if len(points) < 2:
        fewest = speed.FEWEST_DECISIONS_A_MONTH
        return charts.empty(
            "trend", f"{title}: no line, as fewer than two months have {fewest} or more decisions."
        )
    labelled = [
        (f"{month} ({speed.decisions_in_words(n)})", days)
        for (month, days), n in zip(points, counts, strict=True)
    ]
    return charts.trend(labelled, title=title, unit="days", higher_is_better=False)


def speed_context(membership) -> dict:
    decisions = list(
        membership.workspace.decisions.select_related("owner__team").prefetch_related("blocks")
    )
    today = timezone.localdate()
    points, counts, months_left_out = speed.monthly_latency(decisions)
    recent, recent_count = speed.recent_latency(decisions, today)
    median = speed.median_days(decisions)
    decided = sum(d.decided_on is not None for d in decisions)
    left_out = speed.recorded_as_made(decisions)
    return {
        "median": median,
        "median_shown": shown(median),
        "median_of": median_of(decided - left_out, decided),
        "recent_shown": shown(recent),
        "recent_of": recent_of(recent_count),
        "decided": decided,
        "counted": decided - left_out,
        "recorded_as_made": left_out,
        "not_counted_why": speed.not_counted_why(left_out),
        "recent": recent,
        "recent_count": recent_count,
        "window": speed.LATENCY_WINDOW_DAYS,
        "groups": [
            ("owner", speed.by_group(decisions, speed.owner_name)),
            ("team", speed.by_group(decisions, speed.team_name)),
            ("kind", speed.by_group(decisions, speed.kind_name)),
        ],
        "waiting": speed.open_ageing(decisions, today),
        "points": points,
        "counts": counts,
        "left_out": months_left_out,
        "months_left_out_why": speed.months_left_out_why(months_left_out),
        "fewest_a_month": speed.FEWEST_DECISIONS_A_MONTH,
        "trend": monthly_chart(points, counts),
        "any": bool(decisions),
    }


def comment_fields(comment) -> dict:
    """A comment as the record's JSON twin and the API give it."""
    return {
        "id": comment.pk,
        "author": comment.author_name,
        "text": comment.text,
        "kind": comment.kind,
        "kind_by": comment.kind_by,
        "kind_confidence": comment.kind_confidence,
        "disagree_and_commit": comment.disagree_and_commit,
        "created_at": comment.created_at,
    }
