from django import forms

from truenorth.strategy.models import Goal, Vision


class VisionForm(forms.ModelForm):
    class Meta:
        model = Vision
        fields = [
            "statement",
            "destination",
            "measures_of_progress",
            "target_user",
            "user_benefit",
            "business_outcome",
            "horizon",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "statement",
                "destination",
                "measures_of_progress",
                "user_benefit",
                "business_outcome",
            ]
        }


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "why", "why_now", "metric", "target", "period"]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "why_now": forms.Textarea(attrs={"rows": 2}),
        }
