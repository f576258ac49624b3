from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from truenorth.checkins.actions import invitation_for, response_for, submit_response
from truenorth.checkins.forms import AnswerForm


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
