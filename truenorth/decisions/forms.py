from django import forms
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.formats import date_format

from truenorth.decisions.actions import NotAllowed, add_decision, check_day, decide, inform_teams
from truenorth.decisions.models import MAX_COMMENT_CHARS, Comment, Decision, Kind, Status
from truenorth.ids import IdField, ModelIdsField, ids_in_range
from truenorth.widgets import hint_several

# Option rows on the form: a fixed number, as the content security policy allows no script to
# add rows; an empty row is ignored.
OPTION_ROWS = 4
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_TO_INFORM = "Team %(value)s cannot be informed: it is archived, or not in this workspace."


class DecisionForm(forms.ModelForm):
    # Not kept: on save, the teams' people join Informed as the teams are then (inform_teams).
    informed_teams = ModelIdsField(
        queryset=None,
        required=False,
        label="Inform whole teams",
        help_text="Their active people, and those of the teams within them, are added to "
        "Informed when you save; who joins a team later is not.",
        error_messages={"invalid_choice": NOT_TO_INFORM},
    )

    class Meta:
        model = Decision
        formfield_callback = ids_in_range
        fields = [
            "title",
            "question",
            "context",
            "category",
            "owner",
            "deciders",
            "consulted",
            "informed",
            "informed_teams",
            "raised_on",
            "goals",
            "initiatives",
            "blocks",
            "supersedes",
            "shared_with_partners",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "context": forms.Textarea(attrs={"rows": 4}),
            "raised_on": DATE,
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        people = workspace.people.exclude(function="partner")
        for name in ("owner", "deciders", "consulted", "informed"):
            self.fields[name].queryset = people
        self.fields["informed_teams"].queryset = workspace.teams.filter(archived=False)
        self.teams_informed: dict[str, set[int]] = {}
        self.fields["goals"].queryset = workspace.goals.all()
        self.fields["initiatives"].queryset = workspace.initiatives.all()
        self.fields["blocks"].queryset = workspace.initiatives.all()
        self.fields["blocks"].help_text = "Initiatives that cannot go ahead until this is decided."
        hint_several(self)
        others = workspace.decisions.exclude(pk=self.instance.pk)
        self.fields["supersedes"].queryset = others
        options = self.instance.options or []
        for n in range(1, OPTION_ROWS + 1):
            option = options[n - 1] if n <= len(options) else {}
            self.fields[f"option_{n}_name"] = forms.CharField(
                label=f"Option {n}", max_length=300, required=False, initial=option.get("name")
            )
            for part in ("pros", "cons"):
                self.fields[f"option_{n}_{part}"] = forms.CharField(
                    label=part.capitalize(),
                    required=False,
                    initial=option.get(part),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text="One point a line." if part == "pros" else "",
                )

    def save_record(self, by=None) -> Decision:
        """Save the record and its links (people, goals, initiatives) together or not at all; a
        new one gets the workspace's next number. A new one saved with what was decided is
        recorded as decided today, through the checks and the notice of "Decide" (whoever fills
        in the decision means it is made), once the people of the teams to inform are added; an
        open one edited stays open until "Decide". The figures' data version changes with both
        (workspaces/figures.py)."""
        with transaction.atomic():
            decision = self.save(commit=False)
            raised = decision.pk is None
            if raised:
                add_decision(decision, by=by)
            else:
                decision.save()
            self.save_m2m()
            teams = self.cleaned_data.get("informed_teams") or []
            self.teams_informed = inform_teams(decision, teams)
            if raised and decision.outcome.strip():
                decide(decision)  # after the links: those informed are told
        return decision

    def teams_informed_words(self) -> str:
        """Who the teams chosen added, once saved: "Informed: 12 people (Sales: 7, Support:
        5)." ("" with no team chosen); someone in two of them is counted once in the total."""
        if not self.teams_informed:
            return ""
        everyone = len(set().union(*self.teams_informed.values()))
        each = ", ".join(f"{name}: {len(ids)}" for name, ids in self.teams_informed.items())
        return f"Informed: {everyone} {'person' if everyone == 1 else 'people'} ({each})."

    def record_fields(self):
        """The record's own fields, without the option rows (the template lays those out)."""
        return [self[name] for name in self.Meta.fields]

    def option_rows(self):
        """The option fields grouped per row, for the template."""
        return [
            [self[f"option_{n}_{part}"] for part in ("name", "pros", "cons")]
            for n in range(1, OPTION_ROWS + 1)
        ]

    def clean_raised_on(self):
        raised = self.cleaned_data["raised_on"]
        decided = self.instance.decided_on
        try:
            check_day(raised, "raised")
        except NotAllowed as refusal:
            raise forms.ValidationError(str(refusal)) from None
        if decided and raised > decided:
            raise forms.ValidationError(
                f"It was decided on {date_format(decided)}: it was raised on that day or before."
            )
        return raised

    def clean(self):
        data = super().clean()
        options = []
        for n in range(1, OPTION_ROWS + 1):
            name, pros, cons = (data.get(f"option_{n}_{p}", "") for p in ("name", "pros", "cons"))
            if (pros or cons) and not name:
                self.add_error(f"option_{n}_name", "Name the option its pros and cons belong to.")
            if name:
                options.append({"name": name, "pros": pros, "cons": cons})
        self.instance.options = options
        return data


def as_posted(decision: Decision) -> dict:
    """A saved record as its edit page posts it, for a command to change some fields of: people
    and links by id, and each option in its row (a row left out would drop the option)."""
    values = model_to_dict(decision, fields=DecisionForm.Meta.fields)
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = [row.pk for row in value]
    for n, option in enumerate(decision.options or [], start=1):
        for part in ("name", "pros", "cons"):
            values[f"option_{n}_{part}"] = option.get(part, "")
    return values


class OutcomeForm(forms.ModelForm):
    """The decision, its reasons and consequences: editable while open and once decided."""

    class Meta:
        model = Decision
        fields = ["outcome", "rationale", "consequences"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in fields}


def checked_day(on, done: str):
    """The day, refused on the form itself where it cannot be right (a day that has not come, a
    mistyped year), so that the form says so beside its other errors instead of after them."""
    try:
        check_day(on, done)
    except NotAllowed as refusal:
        raise forms.ValidationError(str(refusal)) from None
    return on


class DecideForm(forms.Form):
    decided_on = forms.DateField(widget=DATE)
    outcome = forms.CharField(label="The decision", widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_decided_on(self):
        return checked_day(self.cleaned_data["decided_on"], "made")


class SupersedeForm(forms.Form):
    by = forms.IntegerField(label="Superseded by decision number", min_value=1)
    on = forms.DateField(widget=DATE)

    def clean_on(self):
        return checked_day(self.cleaned_data["on"], "superseded")


class ReverseForm(forms.Form):
    why = forms.CharField(
        label="Why it no longer holds",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the decision, so those who follow it learn why it went.",
    )
    on = forms.DateField(widget=DATE)

    def clean_on(self):
        return checked_day(self.cleaned_data["on"], "reversed")


class CommentForm(forms.ModelForm):
    text = forms.CharField(
        label="Your comment",
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"A comment is at most {MAX_COMMENT_CHARS:,} characters "
            "(this one has %(show_value)s): link to a longer text instead.",
        },
    )

    class Meta:
        model = Comment
        fields = ["text", "disagree_and_commit"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": "Your comment"}


class KindForm(forms.Form):
    """A person's correction of what a comment is."""

    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in (Kind.QUESTION, Kind.OBJECTION, Kind.SUPPORT)]
    )


class FilterForm(forms.Form):
    """The log's filters; a malformed one is a 400, not a silently different list."""

    status = forms.ChoiceField(choices=[("", "any status")] + Status.choices, required=False)
    owner = IdField(required=False)
    team = IdField(required=False)
    goal = IdField(required=False)
