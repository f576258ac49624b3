"""The one click after a decision: send its back-brief ("What did you hear?")."""

from django.contrib import messages
from django.shortcuts import redirect

from truenorth.checkins.overlaps import warnings as overlap_warnings
from truenorth.checkins.views import TICK_SEND_ANYWAY, no_mail_page, nothing_sent
from truenorth.decisions import backbrief
from truenorth.decisions.views import get_decision
from truenorth.refusals import post_only, refused
from truenorth.workspaces.access import WRITE, workspace_view
from truenorth.workspaces.mailserver import mail_server_problem

ONLY_BY_EMAIL = backbrief.only_by_email("tick “Attributed”")


@post_only
@workspace_view(WRITE)
def send_back_brief(request, membership, number):
    """Create the back-brief check-in and email its personal links once it is saved. When no
    mail server answers, an attributed one is created and its links offered for the editor to
    hand out, as a check-in's are; an anonymous one, whose links go only by email, is not. One
    that could never be published (backbrief.never_published) goes only with "Send anyway"
    ticked: without it, a 409 says why and nothing is made."""
    decision = get_decision(membership, number)
    # What no mail server can mend is said first: asking an absent one would only wait for it.
    if refusal := backbrief.cannot_ask(decision):
        return refused(request, refusal)
    # People asked for answers nobody will read: only when the editor says so, as for a check-in.
    if request.POST.get("anyway") != "on" and (why := backbrief.never_published(decision)):
        return refused(request, nothing_sent(why, TICK_SEND_ANYWAY), status=409)
    problem = mail_server_problem()
    anonymous = request.POST.get("attributed") != "on"
    if problem and anonymous:
        messages.error(request, f"{problem} {ONLY_BY_EMAIL}")
        return redirect("decision", membership.workspace.slug, decision.number)
    try:
        found = backbrief.made_and_mailed(
            lambda: backbrief.create_back_brief(decision, request.user, anonymous), not problem
        )
    except backbrief.CannotAsk as refusal:
        return refused(request, str(refusal))
    if problem:
        return no_mail_page(request, found.checkin, problem)
    messages.success(request, backbrief.sent_message(found.checkin.invitations.count()))
    # Where no reading can ever come (too few asked, publication ruled out), the decision page
    # says why under "What did you hear?": said here too, it showed twice. The warnings of
    # check-ins near it are said here only when the page says nothing of them.
    if not backbrief.page_reading(found)["never_shown"]:
        for warning in overlap_warnings(found.checkin):
            messages.warning(request, warning)
    return redirect("decision", membership.workspace.slug, decision.number)
