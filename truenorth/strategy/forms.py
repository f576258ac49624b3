from django import forms

from truenorth.strategy.models import Goal, Vision


class VisionForm(forms.ModelForm):
    class Meta:
        model = Vision
        fields = ["statement", *Vision.PARTS]
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


class NamesField(forms.CharField):
    """A list of names, typed on one line separated by commas."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        names = (name.strip() for name in super().to_python(value).split(","))
        return list(dict.fromkeys(name for name in names if name))


class GoalForm(forms.ModelForm):
    names = NamesField(
        required=False,
        help_text=(
            "The short names and synonyms people use for this goal, separated by commas, e.g. "
            "“payments, supplier payments”. A priority written as one of them names this goal."
        ),
    )

    class Meta:
        model = Goal
        fields = ["title", "why", "why_now", "metric", "target", "period", "names"]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "why_now": forms.Textarea(attrs={"rows": 2}),
        }
