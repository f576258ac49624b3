from django import forms

from truenorth.checkins.models import Kind

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
        self.fields["teams"].queryset = workspace.teams.all()

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The check-in must close after it opens.")
        return data
