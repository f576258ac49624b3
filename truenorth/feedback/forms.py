from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone

from truenorth.feedback.models import FeedbackItem, Kind, Source

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# What sales and marketing bring back from the field (seed 001: "objections, feature requests,
# and competitor comparisons"), and the needs and problems customers name to them.
FIELD_KINDS = [Kind.OBJECTION, Kind.REQUEST, Kind.COMPARISON, Kind.NEED, Kind.PROBLEM]
FUTURE_DAY = "The date heard cannot be in the future."
NO_COMPETITOR = "Name the competitor the customer compared us with."


class FeedbackForm(forms.ModelForm):
    """A field note, or an item's correction: its kind, the customer's words, who said it."""

    class Meta:
        model = FeedbackItem
        fields = [
            "kind",
            "text",
            "account",
            "segment",
            "account_value",
            "received_on",
            "heard_by",
            "competitor",
        ]
        labels = {
            "text": "What the customer said",
            "account_value": "Account value a year",
            "received_on": "Date heard",
            "heard_by": "Heard by",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "received_on": DATE}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        if not self.instance.pk:
            self.instance.source = Source.FIELD
        kinds = list(Kind)
        if self.instance.source == Source.FIELD:
            kinds = FIELD_KINDS.copy()
            if self.instance.kind not in kinds:  # an imported note may keep its own kind
                kinds.append(Kind(self.instance.kind))
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["text"].help_text = "Their words, as close as you can remember them."
        self.fields["account_value"].validators.append(MinValueValidator(0))
        self.fields["account_value"].widget.attrs["min"] = 0
        self.fields["heard_by"].queryset = workspace.people.exclude(function="partner")
        self.fields["competitor"].help_text = "Who they compared us with (for a comparison)."

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(FUTURE_DAY)
        return day

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.COMPARISON and not data.get("competitor", "").strip():
            self.add_error("competitor", NO_COMPETITOR)
        return data


class FilterForm(forms.Form):
    """The list's filters; a malformed one is a 400, not a silently different list."""

    source = forms.ChoiceField(choices=[("", "any")] + Source.choices, required=False)
    kind = forms.ChoiceField(choices=[("", "any")] + Kind.choices, required=False)
    segment = forms.CharField(max_length=100, required=False)
    account = forms.CharField(max_length=200, required=False)
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)
    theme = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def __init__(self, data, workspace=None):
        super().__init__(data)
        self.workspace = workspace
        self.chosen_theme: dict | None = None  # the theme's card, when one is asked for

    def clean_theme(self):
        number = self.cleaned_data["theme"]
        if number and self.workspace is not None:
            from truenorth.feedback.themes import theme_figures  # the model, only when asked

            found = theme_figures(self.workspace)["themes"]
            if number > len(found):
                raise forms.ValidationError(
                    f"No theme {number}: the themes page numbers them 1 to {len(found)}."
                )
            self.chosen_theme = found[number - 1]
        return number

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the range comes before its start.")
        return data
