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
        return data
