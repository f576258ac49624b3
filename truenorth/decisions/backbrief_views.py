"""The one click after a decision: send its back-brief ("What did you hear?")."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect

from truenorth.checkins.tasks import send_checkin_links
from truenorth.decisions import backbrief
from truenorth.decisions.views import get_decision
from truenorth.refusals import post_only, refused
from truenorth.workspaces.access import WRITE, workspace_view
from truenorth.workspaces.mailserver import mail_server_problem


@post_only
@workspace_view(WRITE)
def send_back_brief(request, membership, number):
    """Create the back-brief check-in and email its personal links once it is saved; nothing is
    created when no mail server answers."""
    decision = get_decision(membership, number)
    problem = mail_server_problem()
    if problem:
        messages.error(request, problem)
        return redirect("decision", membership.workspace.slug, decision.number)
    anonymous = request.POST.get("attributed") != "on"
    try:
        with transaction.atomic():
            found = backbrief.create_back_brief(decision, request.user, anonymous)
            checkin_id = found.checkin_id
            transaction.on_commit(lambda: send_checkin_links.enqueue(checkin_id))
    except backbrief.CannotAsk as refusal:
        return refused(request, str(refusal))
    people = found.checkin.invitations.count()
    messages.success(request, backbrief.sent_message(people))
    return redirect("decision", membership.workspace.slug, decision.number)
