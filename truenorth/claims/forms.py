from django import forms
from django.utils import timezone

from truenorth.claims.models import MAX_CLAIM_TEXT, Claim, Verdict
from truenorth.days import implausible
from truenorth.ids import IdField


class ClaimForm(forms.ModelForm):
    text = forms.CharField(
        label="What was said", max_length=MAX_CLAIM_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Claim
        fields = ["said_on", "account", "said_by", "said_by_name", "text", "source"]
        widgets = {
            "said_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["said_by"].queryset = workspace.people.exclude(function="partner").exclude(
            erased=True
        )
        if self.initial.get("said_on") is None:  # a new claim: an unsaved one's own is None
            self.initial["said_on"] = timezone.localdate()

    def clean_said_on(self):
        return checked_day(self.cleaned_data["said_on"])

    def clean(self):
        data = super().clean()
        if data.get("said_by") and data.get("said_by_name"):
            self.add_error("said_by_name", "Give a person or a name, not both.")
        return data


def checked_day(said_on):
    """The day a claim was said: one that has come, in a plausible year."""
    if why := implausible(said_on):
        raise forms.ValidationError(why)
    if said_on > timezone.localdate():
        raise forms.ValidationError(f"A claim is said on a day that has come, not {said_on}.")
    return said_on


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV with a header: date, account, said_by, text, source.")


class FilterForm(forms.Form):
    """The list's filters; a malformed one is a 400, not a silently different list."""

    verdict = forms.ChoiceField(choices=[("", "all")] + Verdict.choices, required=False)
    # Only the claims whose date the customer heard has moved since (claims.models).
    moved = forms.ChoiceField(choices=[("", "any"), ("1", "date moved since said")], required=False)
    account = forms.CharField(max_length=200, required=False)
    person = IdField(required=False)
    # Periods, either bound open (claims.models.in_periods): the claims on an item whose date
    # moved in one, or that shipped in one, as an executives' update counts them.
    moved_from = forms.DateField(required=False)
    moved_to = forms.DateField(required=False)
    shipped_from = forms.DateField(required=False)
    shipped_to = forms.DateField(required=False)

    def clean(self):
        data = super().clean()
        for start, end in (("moved_from", "moved_to"), ("shipped_from", "shipped_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, "The end of the period comes before its start.")
        return data
