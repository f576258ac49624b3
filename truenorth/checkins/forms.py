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
