from django import forms

from truenorth.claims.models import MAX_CLAIM_TEXT, Claim, Verdict
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
        self.fields["said_by"].queryset = workspace.people.exclude(function="partner")

    def clean(self):
        data = super().clean()
        if data.get("said_by") and data.get("said_by_name"):
            self.add_error("said_by_name", "Give a person or a name, not both.")
        return data


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV with a header: date, account, said_by, text, source.")


class FilterForm(forms.Form):
    """The list's filters; a malformed one is a 400, not a silently different list."""

    verdict = forms.ChoiceField(choices=[("", "all")] + Verdict.choices, required=False)
    account = forms.CharField(max_length=200, required=False)
    person = IdField(required=False)
