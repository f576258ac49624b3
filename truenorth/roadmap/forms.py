from django import forms

from truenorth.roadmap.models import Initiative, Status


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "key",
            "title",
            "problem",
            "goal",
            "team",
            "status",
            "visibility",
            "target_date",
            "actual_date",
            "estimate_weeks",
            "spent_weeks",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "actual_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["goal"].queryset = workspace.goals.all()
        self.fields["team"].queryset = workspace.teams.all()

    def clean(self):
        data = super().clean()
        shipped = data.get("status") == Status.SHIPPED
        if shipped and not data.get("actual_date"):
            self.add_error("actual_date", "A shipped initiative needs the date it shipped.")
        if not shipped and data.get("actual_date"):
            self.add_error("actual_date", "Only a shipped initiative has an actual date.")
        if data.get("estimate_weeks") is not None and data["estimate_weeks"] < 0:
            self.add_error("estimate_weeks", "An estimate cannot be negative.")
        if data.get("spent_weeks") is not None and data["spent_weeks"] < 0:
            self.add_error("spent_weeks", "Effort spent cannot be negative.")
        return data


class OverrunQuery(forms.Form):
    """The overruns page's query: which initiatives to list, which table to export."""

    TABLES = ["initiatives", "teams", "goals", "trend"]

    team = forms.ModelChoiceField(queryset=None, required=False)
    goal = forms.ModelChoiceField(queryset=None, required=False)
    table = forms.ChoiceField(choices=[(t, t) for t in TABLES], required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = workspace.teams.all()
        self.fields["goal"].queryset = workspace.goals.all()

    def error_text(self) -> str:
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in self.errors.items())
