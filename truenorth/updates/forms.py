from datetime import date, timedelta

from django import forms

from truenorth.updates.models import Update

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

PRESETS = [
    ("last_month", "Last month"),
    ("this_month", "This month"),
    ("last_week", "Last week"),
    ("custom", "These dates"),
]


def preset_period(preset: str, today: date) -> tuple[date, date]:
    """(start, end), both inclusive, of a named period around `today`; weeks start on Monday."""
    if preset == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    first = today.replace(day=1)
    if preset == "this_month":
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    if preset == "last_month":
        end = first - timedelta(days=1)
        return end.replace(day=1), end
    raise ValueError(f"unknown period {preset!r}")


class NewUpdateForm(forms.Form):
    period = forms.ChoiceField(choices=PRESETS, initial="last_month")
    start = forms.DateField(required=False, widget=DATE, help_text="Only with “These dates”.")
    end = forms.DateField(required=False, widget=DATE, help_text="Inclusive.")
    title = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to name it after the period."
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        preset = data.get("period")
        if preset is None:
            return data
        if preset != "custom":
            data["start"], data["end"] = preset_period(preset, self.today)
            return data
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors:
            return data  # not a date: the field says so
        if start is None or end is None:
            raise forms.ValidationError("Give both a start and an end date for these dates.")
        if end < start:
            raise forms.ValidationError("The period ends before it starts.")
        if (end - start).days > 366:
            raise forms.ValidationError("An update covers at most a year.")
        return data


class TextsForm(forms.ModelForm):
    # Not required: a form sent without it (an older page, a script) keeps the title.
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="What every audience reads first; change it when it names internal work.",
    )

    class Meta:
        model = Update
        fields = ["title", "narrative", "partner_note"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "partner_note": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip() or self.instance.title
