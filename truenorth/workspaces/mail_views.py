"""The Mail server page: where an administrator of this server says which SMTP server every
workspace's email goes through, and sends themselves a test message. No shell needed."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.debug import sensitive_post_parameters

from truenorth.refusals import (
    form_status,
    login_required,
    post_only,
    posted,
    read_only,
    refused,
)
from truenorth.workspaces import mailserver, workers
from truenorth.workspaces.mailserver import backend_instead, mail_server_problem
from truenorth.workspaces.models import MailServer


class MailServerForm(forms.Form):
    host = forms.CharField(max_length=253, help_text="e.g. smtp.example.com")
    port = forms.IntegerField(min_value=1, max_value=65535, initial=587)
    security = forms.ChoiceField(choices=MailServer.Security.choices, initial="starttls")
    username = forms.CharField(max_length=254, required=False)
    sender = forms.EmailField(
        required=False,
        help_text="What emails come from when a workspace sets no sender of its own (password "
        "links): many servers take only an address they know.",
    )
    password = forms.CharField(
        max_length=1000,
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Leave blank to keep the saved one.",
    )
    forget_password = forms.BooleanField(required=False, label="Forget the saved password")

    def clean_host(self):
        host = self.cleaned_data["host"].strip()
        if any(c.isspace() or c in "/@:" for c in host):
            raise forms.ValidationError("Give the server's name or address alone, without a port.")
        return host


def administrator(view):
    """Only an administrator of this server (`truenorth user create --admin`)."""

    @login_required
    def check(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Only an administrator of this server sets its mail server.")
        return view(request, *args, **kwargs)

    return check


@sensitive_post_parameters("password")  # an error report must not carry it into a log
@administrator
def mail_server(request):
    found, row = mailserver.in_use(), mailserver.saved()
    fields = ("host", "port", "security", "username", "sender")
    initial = {name: getattr(row, name) for name in fields} if row else {}
    form = MailServerForm(posted(request), initial=initial)
    if request.method == "POST" and settings.EMAIL_FROM_ENVIRONMENT:
        said = "The server's environment sets the mail server: change it there."
        return refused(request, said, status=409)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = "" if data["forget_password"] else (data["password"] or None)
        mailserver.save(data, password, request.user)
        tell_whether_it_answers(request, "Saved.")
        return redirect("mail_server")
    context = {
        "form": form,
        "server": found,
        "environment": settings.EMAIL_FROM_ENVIRONMENT,
        "backend_instead": not_sent_through_it(instead) if (instead := backend_instead()) else "",
        "console": instead == mailserver.CONSOLE,
        "workers": workers.state(),  # server health an administrator looks at here
    }
    return render(request, "workspaces/mail_server.html", context, status=form_status(form))


def not_sent_through_it(backend: str) -> str:
    # Workers read the setting at start too, and send the check-in mail.
    workers_too = " and the workers too (they send the check-in mail)"
    restart = "the server" + (workers_too if workers.queued_for_workers() else "")
    return (
        f"this server's TRUENORTH_EMAIL_BACKEND is {backend}, so no email goes through a mail "
        f"server. Unset it and restart {restart} to send through one."
    )


def tell_whether_it_answers(request, done: str) -> None:
    if instead := backend_instead():
        messages.warning(
            request, f"{done} It was not asked whether it answers: {not_sent_through_it(instead)}"
        )
        return
    problem = mail_server_problem("no email can go out through it yet")
    if problem:
        messages.error(request, f"{done} {problem}")
    else:
        server = mailserver.in_use()
        messages.success(
            request, f"{done} The mail server at {server.host}:{server.port} answered."
        )


@administrator
@read_only
def mail_server_json(request):
    """The mail server in use, never its password: whether one is saved, and readable; and the
    workers seen in the last minute (null when work runs inline)."""
    return JsonResponse({"mail_server": mailserver.in_use().as_dict(), "workers": workers.state()})


@post_only
@administrator
def send_test(request):
    """A test message to the administrator's own address, through the mail server in use."""
    to = request.user.email
    if not to:
        return refused(request, "Your login has no email address to send the test to.")
    if problem := mailserver.send_test(to):
        messages.error(request, f"Not sent to {to}. {problem}")
    else:
        if instead := backend_instead():
            said = (
                f"The test message for {to} went to no mail server: {not_sent_through_it(instead)}"
            )
            messages.warning(request, said)
        else:
            messages.success(request, f"Sent a test message to {to}: look in that inbox.")
    return redirect("mail_server")


patterns = [
    path("server/mail/", mail_server, name="mail_server"),
    path("server/mail.json", mail_server_json, name="mail_server_json"),
    path("server/mail/test/", send_test, name="send_test_mail"),
]
