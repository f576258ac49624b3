from django import forms

from truenorth.notifications.models import Event


class WebhookForm(forms.Form):
    url = forms.CharField(
        label="Webhook address",
        max_length=500,
        help_text="A Slack-compatible incoming webhook, or a program's address, https://… "
        "(http:// too where the server allows it). "
        "A secret: after saving, only its host is shown.",
        widget=forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    name = forms.CharField(max_length=100, required=False, help_text="e.g. #leadership")
    signed = forms.BooleanField(
        label="Signed JSON for a program",
        required=False,
        help_text="Instead of a Slack message: each event as JSON, signed with HMAC-SHA256 "
        "and a secret shown once (docs/api.md, outbound webhooks).",
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, help_text="What it hears of."
    )
    team = forms.ChoiceField(
        required=False,
        help_text="Blank: the whole workspace. A team's webhook hears only of its own "
        "initiatives' slips and its decisions.",
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "The whole workspace")] + [
            (str(t.pk), t.name) for t in teams
        ]
