from django.contrib import messages
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from truenorth.checkins.actions import (
    add_question,
    create_alignment_pulse,
    invitation_for,
    response_for,
    send_links,
    submit_response,
)
from truenorth.checkins.forms import AnswerForm, CheckInForm, QuestionForm
from truenorth.checkins.measure import current_report, heatmap
from truenorth.checkins.tasks import analyze_checkin
from truenorth.workspaces.access import INTERNAL, RESULTS, WRITE, workspace_view


@never_cache
def answer(request, token):
    """The personal link: no login, one response per person, editable until the close."""
    invitation = invitation_for(token)
    if invitation is None:
        raise Http404("This link is not valid. Use the newest link you were sent.")
    checkin = invitation.checkin
    context = {"checkin": checkin, "workspace_name": checkin.workspace.name}
    if not checkin.is_open():
        return render(request, "checkins/closed.html", context)
    questions = checkin.questions.all()
    previous = response_for(token)
    form = AnswerForm(request.POST or None, questions=questions, initial=initial_answers(previous))
    saved = False
    if request.method == "POST" and form.is_valid():
        submit_response(invitation, token, form.answers())
        saved = True
    context.update(form=form, saved=saved, answered_before=previous is not None)
    return render(request, "checkins/answer.html", context)


def initial_answers(response) -> dict:
    if response is None:
        return {}
    return {
        f"q{a.question.position}": a.value if a.value is not None else a.text
        for a in response.answers.select_related("question")
    }


@workspace_view(INTERNAL)
def checkins(request, membership):
    items = membership.workspace.checkins.annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("responses", distinct=True),
    )
    return render(request, "checkins/list.html", {"checkins": items})


@workspace_view(WRITE)
def new_checkin(request, membership):
    workspace = membership.workspace
    form = CheckInForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        checkin = create_alignment_pulse(
            workspace,
            data["title"],
            data["opens_at"],
            data["closes_at"],
            data["anonymous"],
            by=request.user,
            functions=data["functions"],
            teams=data["teams"],
        )
        messages.success(request, f"Created “{checkin.title}”. Send the invitations when ready.")
        return redirect("checkin", workspace.slug, checkin.pk)
    return render(request, "checkins/new.html", {"form": form})


@workspace_view(WRITE)
def new_question(request, membership, checkin_id):
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    form = QuestionForm(request.POST or None, checkin=shown)
    if request.method == "POST" and form.is_valid():
        if shown.responses.exists():
            messages.error(request, "People have answered already; questions can no longer change.")
        else:
            add_question(form.instance)
            messages.success(request, "Added the question.")
        return redirect("checkin", membership.workspace.slug, shown.pk)
    return render(request, "checkins/question_form.html", {"form": form, "checkin": shown})


@require_POST
@workspace_view(WRITE)
def send(request, membership, checkin_id):
    checkin = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    reminder = request.POST.get("what") == "reminders"
    if not checkin.is_open():
        messages.error(request, "The check-in is not open, so no links were sent.")
    else:
        sent = send_links(checkin, reminder=reminder)
        messages.success(request, f"Sent {sent} {'reminder' if reminder else 'invitation'}s.")
    return redirect("checkin", membership.workspace.slug, checkin.pk)


@workspace_view(RESULTS)
def checkin(request, membership, checkin_id):
    """The check-in's dashboard, for editors: every figure with the number of answers behind it."""
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    report = current_report(shown)
    invited = shown.invitations.count()
    answered = shown.responses.count()
    context = {
        "checkin": shown,
        "report": report.data if report else None,
        "computed_at": report.computed_at if report else None,
        "invited": invited,
        "answered": answered,
        "rate": answered / invited if invited else None,
        "questions": shown.questions.all(),
        "heatmaps": [heatmap(report.data, d) for d in ("function", "team")] if report else [],
    }
    return render(request, "checkins/dashboard.html", context)


@require_POST
@workspace_view(WRITE)
def run_analysis(request, membership, checkin_id):
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    analyze_checkin.enqueue(shown.pk)
    messages.success(request, "Analysis started; it appears here when done.")
    return redirect("checkin", membership.workspace.slug, shown.pk)


@workspace_view(RESULTS)
def report_json(request, membership, checkin_id):
    """The dashboard's JSON twin: the whole report, threshold applied."""
    shown = get_object_or_404(membership.workspace.checkins, pk=checkin_id)
    report = current_report(shown)
    if report is None:
        return JsonResponse({"error": "not analysed yet; POST to analyze first"}, status=409)
    return JsonResponse({"checkin": shown.pk, "title": shown.title, "report": report.data})
