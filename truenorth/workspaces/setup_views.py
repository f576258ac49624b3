"""The setup page: the first administrator of a new server, chosen with the link it printed."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.debug import sensitive_post_parameters

from truenorth.refusals import form_status, posted
from truenorth.workspaces import first_run
from truenorth.workspaces.forms import NewLoginForm


class FirstAdministratorForm(NewLoginForm):
    key = forms.CharField(
        label="Setup key",
        max_length=100,
        help_text=mark_safe(  # a constant, shown with its command as code
            "What follows # in the setup link the server printed when it started; "
            "<code>truenorth user setup-link</code> prints it again."
        ),
        # Kept back into the form after a mistake, but never shown in plain text.
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(help_text="Where password links and test messages go.")

    class Meta(NewLoginForm.Meta):
        fields = ("username", "email")

    field_order = ("key", "username", "email", "password1", "password2")

    def clean_key(self):
        if not first_run.is_setup_key(self.cleaned_data["key"]):
            raise forms.ValidationError("This is not the setup key this server printed.")
        return ""

    def save(self, commit=True):
        administrator = super().save(commit=False)
        administrator.is_staff = administrator.is_superuser = True
        if commit:
            administrator.save()
        return administrator


@sensitive_post_parameters("key", "password1", "password2")
def setup(request):
    """Choose the server's first administrator; a page that opens nothing once there is one."""
    if not first_run.needs_administrator():
        if request.user.is_authenticated:
            return redirect("home")
        # A page, not a redirect: a redirect would carry the spent key on to the login page's
        # address; this page's script takes it out of the address bar.
        return render(request, "workspaces/setup.html", {"done": True})
    form = FirstAdministratorForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not first_run.needs_administrator():  # another tab was quicker
                return redirect("login")
            administrator = form.save()
        login(request, administrator, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"You are this server's administrator, {administrator.username}. "
            "Set its mail server, then create a workspace.",
        )
        return redirect("home")
    return render(request, "workspaces/setup.html", {"form": form}, status=form_status(form))
