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
