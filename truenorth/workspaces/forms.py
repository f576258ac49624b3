from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UserCreationForm,
)

from truenorth.widgets import PlainSelect
from truenorth.workspaces import logins
from truenorth.workspaces.models import (
    MAX_ANONYMITY_THRESHOLD,
    MIN_ANONYMITY_THRESHOLD,
    offered_time_zones,
)

TIME_ZONES = [(name, name) for name in offered_time_zones()]
OFFERED = frozenset(name for name, _ in TIME_ZONES)
THRESHOLD_ERRORS = {
    "required": "Give the anonymity threshold: a whole number of people.",
    "invalid": "The anonymity threshold is a whole number of people, such as 5.",
    "min_value": "The anonymity threshold can never be below %(limit_value)s people.",
    "max_value": "The anonymity threshold can be at most %(limit_value)s people.",
}


class LoginForm(AuthenticationForm):
    """An invited login is named by its address, the server's first administrator by a name
    chosen at setup: either is typed here, and an address finds the login that has it."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "No login has that email or username with that password. The password "
        "must be typed in the same capitals as it was chosen.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email or username"

    def clean_username(self) -> str:
        return logins.login_name(self.cleaned_data["username"])


# The field a password's strength errors belong to: the one where the password was typed first.
TYPED_FIRST = {"password2": "password1", "new_password2": "new_password1"}


class StrengthOnPassword:
    """Django ties "This password is too short" to the confirmation field, so a screen reader
    hears it there and the password's own field is not marked invalid. Here it goes with the
    field the password was chosen in; the confirmation keeps only "didn't match"."""

    def validate_password_for_user(self, user, password_field_name="password2"):
        first = TYPED_FIRST.get(password_field_name, password_field_name)
        # As Django's: checked only when both fields agree (a mismatch is said on its own).
        if self.cleaned_data.get(password_field_name):
            super().validate_password_for_user(user, first)  # type: ignore[misc]


class ChangePasswordForm(StrengthOnPassword, PasswordChangeForm):
    """The account's password change: the old password, then the new one twice."""


class ChoosePasswordForm(StrengthOnPassword, SetPasswordForm):
    """An invitation's link and a password reset's: the first password, or a new one."""


class NewLoginForm(StrengthOnPassword, UserCreationForm):
    """The server's first administrator (setup_views)."""


class SettingsForm(forms.Form):
    name = forms.CharField(max_length=200)
    anonymity_threshold = forms.IntegerField(
        min_value=MIN_ANONYMITY_THRESHOLD,
        max_value=MAX_ANONYMITY_THRESHOLD,
        error_messages=THRESHOLD_ERRORS,
        help_text=f"People; from {MIN_ANONYMITY_THRESHOLD} to {MAX_ANONYMITY_THRESHOLD}.",
    )
    time_zone = forms.ChoiceField(
        choices=lambda: TIME_ZONES,  # a callable: each form's copy of the field shares the list
        widget=PlainSelect,
        help_text="Dates and times on this workspace's pages, and the day a check-in opens.",
    )
    sender_address = forms.EmailField(
        required=False,
        help_text="The address its emails come from (links, reminders, login invitations); "
        "blank for the server's own. Your mail server must accept it as a sender.",
    )
    support_notice_days = forms.IntegerField(
        label="Customer success notice (days)",
        min_value=0,
        max_value=90,
        help_text="Customer success hears first: days of notice before a customer-facing change "
        "ships (0 to 90).",
    )
    # Never shown back: the URL is a secret, so the page names only its host (the view's help).
    slack_webhook_url = forms.URLField(
        label="Slack webhook",
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.PasswordInput(render_value=False),  # a secret, like a password
        help_text="A Slack-compatible incoming webhook that published updates are posted to. "
        "Leave blank to keep the one set.",
    )
    clear_slack_webhook = forms.BooleanField(label="Remove the Slack webhook", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A zone set otherwise (an alias such as US/Eastern, from the command line) stays a choice.
        current = self.initial.get("time_zone")
        if current and current not in OFFERED:
            self.fields["time_zone"].choices = [(current, current), *TIME_ZONES]

    def changes(self, workspace) -> dict:
        """The settings to save: a blank webhook keeps the one set, unless removing it."""
        data = dict(self.cleaned_data)
        clear = data.pop("clear_slack_webhook")
        if clear:
            data["slack_webhook_url"] = ""
        elif not data["slack_webhook_url"]:
            data.pop("slack_webhook_url")
        return data


class NewWorkspaceForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.CharField(
        max_length=60,
        required=False,
        help_text="Its address: /w/<slug>/. Lowercase letters, digits and hyphens. Left empty, "
        "it is made from the name: Northwind Labs gets northwind-labs.",
    )
