from django import forms
from django.utils import timezone

from truenorth.days import implausible
from truenorth.roadmap.imports import COLUMNS_FIELD, FORMATS, shipped_too_late
from truenorth.roadmap.models import COMMITTED, Initiative, InitiativeMilestone, Status
from truenorth.strategy.actions import goals_to_choose


def date_input():
    # A date input reads and writes ISO dates only; the locale's 01/10/2026 would show blank,
    # and a form saved from that blank would clear the date.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
            "target_date": date_input(),
            "actual_date": date_input(),
        }
        help_texts = {
            "key": "A short name people and trackers use for it, e.g. RM-12 or a Jira key; "
            "work items, claims and updates find it by this too. Optional.",
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["goal"].queryset = goals_to_choose(workspace, self.instance.goal_id)
        self.fields["goal"].label_from_instance = goal_label
        self.fields["team"].queryset = workspace.teams.all()

    def clean_key(self) -> str:
        """A key no other initiative of the workspace has, in any case: a work item, a claim or a
        search that names it would otherwise find two. A key it already had is kept as it is (an
        import from two tools may have given two initiatives one key)."""
        key = self.cleaned_data["key"].strip()
        if not key or key.lower() == self.instance.key.lower():
            return key
        initiatives = Initiative.all_objects.filter(workspace=self.instance.workspace)
        other = initiatives.filter(key__iexact=key).exclude(pk=self.instance.pk).first()
        if other is not None:
            archived = ", archived," if other.archived_at else ""
            raise forms.ValidationError(
                f"{other.key} is already the key of “{other.title}”{archived}: work items and "
                "claims that name it would not know which initiative it is. Choose another."
            )
        return key

    def clean(self):
        data = super().clean()
        shipped = data.get("status") == Status.SHIPPED
        if shipped and not data.get("actual_date"):
            self.add_error("actual_date", "A shipped initiative needs the date it shipped.")
        if not shipped and data.get("actual_date"):
            self.add_error("actual_date", "Only a shipped initiative has an actual date.")
        if data.get("status") in COMMITTED and not data.get("target_date"):
            # Its status says "we will deliver it by the target date": there must be one.
            self.add_error("target_date", "A committed initiative needs its target date.")
        for name in ("target_date", "actual_date"):
            if why := implausible(data.get(name)):
                self.add_error(name, why)
        shipped_on = data.get("actual_date")
        if shipped_on and not implausible(shipped_on) and (why := shipped_too_late(shipped_on)):
            self.add_error("actual_date", why[0].upper() + why[1:] + ".")
        if data.get("estimate_weeks") is not None and data["estimate_weeks"] < 0:
            self.add_error("estimate_weeks", "An estimate cannot be negative.")
        if data.get("spent_weeks") is not None and data["spent_weeks"] < 0:
            self.add_error("spent_weeks", "Effort spent cannot be negative.")
        return data


def goal_label(goal) -> str:
    return f"{goal.title} (archived)" if goal.archived_at else goal.title


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = InitiativeMilestone
        fields = ["name", "target_date", "done_on", "position"]
        labels = {"done_on": "Done on", "position": "Order"}
        widgets = {
            "target_date": date_input(),
            "done_on": date_input(),
        }

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.fields["position"].required = False
        self.fields["position"].help_text = "Blank puts a new milestone last."

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = self.instance.initiative.milestones.exclude(pk=self.instance.pk)
        if others.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"This initiative already has a milestone “{name}”.")
        return name

    def clean_target_date(self):
        target = self.cleaned_data["target_date"]
        if why := implausible(target):
            raise forms.ValidationError(why)
        return target

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            raise forms.ValidationError("A milestone is done on a day that has come.")
        if why := implausible(done_on):
            raise forms.ValidationError(why)
        return done_on

    def clean_position(self) -> int:
        position = self.cleaned_data["position"]
        return self.instance.position if position is None else position


NO_TEAM = "none"  # the team filter's value for the initiatives of no team


class TeamOrNone(forms.ModelChoiceField):
    """A team, or "none": the initiatives of no team, as the tables' "No team" row counts them
    (the work items' and people's lists take it too)."""

    def to_python(self, value):
        return NO_TEAM if value == NO_TEAM else super().to_python(value)


class OverrunQuery(forms.Form):
    """The overruns page's query: which initiatives to list, which table to export."""

    TABLES = ["initiatives", "teams", "goals", "trend"]

    team = TeamOrNone(queryset=None, required=False)
    goal = forms.ModelChoiceField(queryset=None, required=False)
    table = forms.ChoiceField(choices=[(t, t) for t in TABLES], required=False)
    milestone = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, workspace, milestones: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = workspace.teams.all()
        self.fields["goal"].queryset = workspace.goals.all()
        self.milestones = milestones

    def clean_milestone(self) -> str:
        """The milestone as the workspace spells it (any case matches), or "" for none."""
        name = " ".join(self.cleaned_data["milestone"].split())
        if not name:
            return ""
        known = {m.casefold(): m for m in self.milestones}
        if name.casefold() not in known:
            raise forms.ValidationError(f"No initiative has a milestone named “{name}”.")
        return known[name.casefold()]

    def error_text(self) -> str:
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in self.errors.items())


def parse_columns(lines: list[str]) -> dict[str, str]:
    """field=Column pairs (one per item) as a mapping; ValueError names a malformed one."""
    mapping = {}
    for line in lines:
        if not line.strip():
            continue
        name, sep, column = line.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise ValueError(f"{line.strip()!r} is not field=Column")
        mapping[name.strip()] = column.strip().strip('"')
    return mapping


FORMAT_CHOICES = [("auto", "Recognise it from the header"), *FORMATS.items()]
STATUS_CHOICES = [("", "— not mapped —"), *Status.choices]


class RoadmapImportForm(forms.Form):
    """Upload a roadmap export; the files may instead come back as text, for a retry after
    mapping its statuses."""

    file = forms.FileField(label="Roadmap (CSV)", required=False)
    history = forms.FileField(
        label="History (CSV, optional)",
        required=False,
        help_text="Columns: key, date, field (status or target date), old value, new value.",
    )
    file_format = forms.ChoiceField(label="Exported from", choices=FORMAT_CHOICES)
    columns = forms.CharField(
        label=COLUMNS_FIELD,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One field=Column a line, e.g. title=Feature name.",
    )
    text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    history_text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def clean_columns(self) -> dict[str, str]:
        try:
            return parse_columns(self.cleaned_data["columns"].splitlines())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("text"):
            self.add_error("file", "Choose the roadmap file to import.")
        return data


class StatusMappingForm(forms.Form):
    source_status = forms.CharField(label="Status in the file", max_length=100)
    status = forms.ChoiceField(label="Means", choices=STATUS_CHOICES, required=False)
