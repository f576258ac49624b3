from django import forms

from truenorth.checkins.models import Kind, Question, SourceKind

SCALE = [(n, str(n)) for n in range(1, 6)]


class AnswerForm(forms.Form):
    """One field per question of a check-in, named q<position>."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.position}"] = self.field_for(question)

    @staticmethod
    def field_for(question) -> forms.Field:
        if question.kind == Kind.SCALE:
            return forms.TypedChoiceField(
                label=question.prompt,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                required=question.required,
                empty_value=None,
            )
        return forms.CharField(
            label=question.prompt,
            required=question.required,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def answers(self) -> dict:
        return {q: self.cleaned_data[f"q{q.position}"] for q in self.questions}


class CheckInForm(forms.Form):
    """A new Alignment pulse: title, audience, dates, anonymity."""

    title = forms.CharField(max_length=200)
    opens_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    anonymous = forms.BooleanField(required=False, initial=True)
    functions = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave functions and teams empty to ask everyone.",
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        from truenorth.workspaces.models import Function

        self.fields["functions"].choices = [c for c in Function.choices if c[0] != Function.PARTNER]
        self.fields["teams"].queryset = workspace.teams.filter(archived=False)

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The check-in must close after it opens.")
        return data


class QuestionForm(forms.ModelForm):
    """An editor's own question, optionally tied to a source its answers are compared with."""

    class Meta:
        model = Question
        fields = ["prompt", "kind", "required", "source_kind", "source_goal", "source_text"]
        widgets = {"prompt": forms.Textarea(attrs={"rows": 2}),
                   "source_text": forms.Textarea(attrs={"rows": 2})}  # fmt: skip
        labels = {"source_kind": "Compare answers with", "source_goal": "Goal",
                  "source_text": "Text"}  # fmt: skip

    def __init__(self, *args, checkin, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.checkin = checkin
        self.fields["source_goal"].queryset = checkin.workspace.goals.all()

    def clean(self):
        data = super().clean()
        source = data.get("source_kind")
        if source == SourceKind.GOAL and not data.get("source_goal"):
            self.add_error("source_goal", "Choose the goal answers are compared with.")
        if source == SourceKind.TEXT and not data.get("source_text", "").strip():
            self.add_error("source_text", "Write the text answers are compared with.")
        if data.get("kind") == Kind.SCALE and source != SourceKind.NONE:
            self.add_error("source_kind", "A 1–5 answer cannot be compared with a text.")
        return data
