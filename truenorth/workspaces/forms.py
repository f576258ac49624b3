import zoneinfo

from django import forms

from truenorth.workspaces.models import MAX_ANONYMITY_THRESHOLD, MIN_ANONYMITY_THRESHOLD

THRESHOLD_ERRORS = {
    "required": "Give the anonymity threshold: a whole number of people.",
    "invalid": "The anonymity threshold is a whole number of people, such as 5.",
    "min_value": "The anonymity threshold can never be below %(limit_value)s people.",
    "max_value": "The anonymity threshold can be at most %(limit_value)s people.",
}


class SettingsForm(forms.Form):
    name = forms.CharField(max_length=200)
    anonymity_threshold = forms.IntegerField(
        min_value=MIN_ANONYMITY_THRESHOLD,
        max_value=MAX_ANONYMITY_THRESHOLD,
        error_messages=THRESHOLD_ERRORS,
        help_text=f"People; from {MIN_ANONYMITY_THRESHOLD} to {MAX_ANONYMITY_THRESHOLD}.",
    )
    time_zone = forms.ChoiceField(
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
        help_text="Dates and times on this workspace's pages, and the day a check-in opens.",
    )
    sender_address = forms.EmailField(
        required=False,
        help_text="The address its emails come from (links, reminders, login invitations); "
        "blank for the server's own. Your mail server must accept it as a sender.",
    )


class NewWorkspaceForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.CharField(
        max_length=60,
        help_text="Its address: /w/<slug>/. Lowercase letters, digits and hyphens.",
    )
