from datetime import time

from django import forms
from django.core.exceptions import ValidationError

from truenorth.decisions.forms import DecisionForm as DecisionLogForm
from truenorth.ids import ModelIdsField, ids_in_range
from truenorth.rituals import cadence as cadences
from truenorth.rituals.actions import BadEnd, check_end
from truenorth.rituals.models import Kind, Ritual
from truenorth.rituals.recurrence import BadRule, check_first, check_rule
from truenorth.workspaces.models import Function, Person, Team, valid_time_zone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

CADENCES = [
    ("suggested", "As its kind suggests"),
    ("weekly", "Weekly, on the day below"),
    ("monthly", "Monthly, on the nth day below"),
    ("quarterly", "Quarterly (January, April, July, October), on the nth day below"),
]
NTH = [(str(n), word.capitalize()) for n, word in cadences.ORDINALS.items() if n != 5]


class RitualForm(forms.ModelForm):
    """A ritual's details, its attendees, and its cadence from simple choices or a raw rule."""

    cadence = forms.ChoiceField(
        choices=CADENCES,
        initial="suggested",
        help_text="A weekly update meets each Monday, a roadmap review the first Tuesday of "
        "the month, a strategy session the first Wednesday of each quarter.",
    )
    weekday = forms.ChoiceField(choices=list(cadences.WEEKDAYS.items()), initial="MO")
    nth = forms.TypedChoiceField(
        label="Which one in the month", choices=NTH, coerce=int, initial="1"
    )
    rule = forms.CharField(
        label="Or a recurrence rule (advanced)",
        required=False,
        max_length=300,
        help_text="An RFC 5545 RRULE, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TH; it wins over the "
        "choices above.",
    )
    functions = forms.MultipleChoiceField(
        choices=[(f.value, f.label) for f in Function if f != Function.PARTNER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone of these functions attends.",
    )

    class Meta:
        model = Ritual
        formfield_callback = ids_in_range
        fields = [
            "name",
            "kind",
            "purpose",
            "owner",
            "first_date",
            "start_time",
            "duration_minutes",
            "time_zone",
            "people",
            "teams",
            "functions",
            "location",
        ]
        labels = {"first_date": "First date", "duration_minutes": "Duration (minutes)"}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "first_date": DATE,
            "start_time": TIME,
            "people": forms.CheckboxSelectMultiple,
            "teams": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "first_date": "The rule's dates count from this day.",
            "time_zone": "Its time stays put in this zone when the clocks change.",
            "people": "These people attend, besides the teams and functions below.",
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        people = Person.objects.filter(workspace=workspace, active=True).exclude(
            function=Function.PARTNER
        )
        self.fields["owner"].queryset = people
        self.fields["people"].queryset = people
        self.fields["people"].required = False
        self.fields["teams"].queryset = Team.objects.filter(workspace=workspace, archived=False)
        self.fields["teams"].required = False
        self.fields["duration_minutes"].validators.append(_a_session_length)
        self.fields["duration_minutes"].widget.attrs.update(min=5, max=24 * 60)
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("time_zone", workspace.time_zone)
            self.initial.setdefault("start_time", time(9, 30))
        if self.instance.pk is not None and not self.is_bound:
            choices = cadences.simple_choices(self.instance.rrule)
            if choices is None:
                self.initial["rule"] = self.instance.rrule
                self.initial["cadence"] = "weekly"
            else:
                self.initial["cadence"], self.initial["weekday"], self.initial["nth"] = choices

    def clean_first_date(self):
        first = self.cleaned_data["first_date"]
        if not 2000 <= first.year <= 2100:
            raise ValidationError("Give a first date between the years 2000 and 2100.")
        return first

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"].strip()
        valid_time_zone(zone)
        return zone

    def clean(self):
        data = super().clean()
        raw = (data.get("rule") or "").strip()
        if raw:
            rule = raw
        else:
            how = data.get("cadence")
            if how is None or "weekday" in self.errors or "nth" in self.errors:
                return data
            if how == "suggested":
                kind = data.get("kind") or Kind.OTHER
                how, weekday, nth = cadences.SUGGESTED[Kind(kind)]
            else:
                weekday, nth = data["weekday"], data["nth"]
            rule = cadences.rule_for(how, weekday, nth)
        try:
            data["rrule"] = check_rule(rule)
            if all(data.get(name) for name in ("first_date", "start_time", "time_zone")):
                check_first(rule, data["first_date"], data["start_time"], data["time_zone"])
        except BadRule as bad:
            self.add_error("rule" if raw else "cadence", str(bad))
        if data.get("first_date"):
            try:
                check_end(data["first_date"], self.instance.ended_on)
            except BadEnd as bad:
                self.add_error("first_date", str(bad))
        return data

    def save(self, commit=False):
        ritual = super().save(commit=False)
        ritual.workspace = self.workspace
        ritual.rrule = self.cleaned_data["rrule"]
        ritual.functions = list(self.cleaned_data.get("functions") or [])
        return ritual


def _a_session_length(minutes: int) -> None:
    if minutes < 5:
        raise ValidationError("A session lasts at least 5 minutes.")
    if minutes > 24 * 60:
        raise ValidationError("A session lasts at most a day (1440 minutes).")


# The notes and the decision share one form with a button each: a browser's own "required"
# check would stop either button until both were filled, so the server checks what is pressed.
class NotesForm(forms.Form):
    use_required_attribute = False
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text="What was said and agreed; those who missed it read this in the summary.",
    )
    # What the session's notes and attendance were when the page was opened (notes_stamp):
    # saving over a session recorded since is refused, not silently replaced. A post without
    # it was opened on a session with nothing recorded.
    stamp = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, attendees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"] = ModelIdsField(
            queryset=Person.objects.filter(pk__in=[p.pk for p in attendees]),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Who came",
        )


class DecisionForm(forms.Form):
    use_required_attribute = False
    title = forms.CharField(max_length=200)
    question = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text="What was decided?"
    )
    outcome = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), help_text="The choice made."
    )
    rationale = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        # Whom the decision log lets own a decision (not partners), so the two forms agree.
        self.fields["owner"].queryset = (
            DecisionLogForm(workspace=workspace).fields["owner"].queryset
        )
