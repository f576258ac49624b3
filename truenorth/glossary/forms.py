from datetime import timedelta

from django import forms
from django.utils import timezone

from truenorth.checkins.forms import CheckInForm
from truenorth.checkins.models import CheckIn
from truenorth.glossary.actions import ask_in_own_checkin, own_checkin_title
from truenorth.glossary.models import Term
from truenorth.ids import ModelIdsField, ids_in_range
from truenorth.widgets import hint_several
from truenorth.workspaces.models import Function

# A person of this function reads the glossary as an outsider: partners do not see it.
FUNCTIONS = [(f.value, f.label) for f in Function if f != Function.PARTNER]


# A definition is a sentence or two; far longer is a paste by mistake.
MAX_DEFINITION_CHARS = 2000


class TermForm(forms.ModelForm):
    canonical_definition = forms.CharField(
        label="Canonical definition",
        max_length=MAX_DEFINITION_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the organisation agrees it means.",
        error_messages={
            "max_length": f"A definition is at most {MAX_DEFINITION_CHARS:,} characters "
            "(this one has %(show_value)s): say what the word means in a sentence or two.",
        },
    )

    class Meta:
        model = Term
        formfield_callback = ids_in_range
        fields = ["name", "canonical_definition", "owner", "related"]

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["owner"].queryset = workspace.people.filter(active=True).exclude(
            function=Function.PARTNER
        )
        others = workspace.terms.exclude(pk=self.instance.pk)
        self.fields["related"].queryset = others
        self.fields["related"].required = False
        self.fields["related"].help_text = "Terms to read with this one."
        hint_several(self)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        workspace = self.instance.workspace
        same = Term.all_objects.filter(workspace=workspace, name__iexact=name)
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"“{name}” is in the glossary already.")
        return name


class DefinitionForm(forms.Form):
    function = forms.ChoiceField(choices=FUNCTIONS)
    text = forms.CharField(
        label="What it means to this function",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="In the function's own words. Leave empty to remove its definition.",
    )


class AskForm(forms.Form):
    checkin = forms.ModelChoiceField(
        queryset=CheckIn.objects.none(),
        label="Check-in",
        help_text="One that nobody has answered yet; the question is added after its last one.",
    )

    def __init__(self, *args, checkins, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkin"].queryset = checkins


# How long a check-in of its own stays open unless the editor says otherwise, as a new pulse.
OPEN_FOR = timedelta(days=14)


class OwnCheckInForm(CheckInForm):
    """A short check-in of its own asking what the term means, and any other terms ticked:
    title, audience, dates and anonymity as a new check-in takes them."""

    also = ModelIdsField(
        queryset=Term.objects.none(),
        required=False,
        label="Also ask about",
        widget=forms.CheckboxSelectMultiple,
        help_text="Other terms asked in the same check-in, a question each.",
    )

    def __init__(self, *args, term: Term, **kwargs):
        super().__init__(*args, workspace=term.workspace, **kwargs)
        self.term = term
        self.fields["also"].queryset = self.workspace.terms.exclude(pk=term.pk).order_by("name")
        opens = timezone.localtime().replace(second=0, microsecond=0)
        self.initial = {
            "title": own_checkin_title([term]),
            "opens_at": opens,
            "closes_at": opens + OPEN_FOR,
            "anonymous": True,
            **self.initial,
        }

    def terms(self) -> list[Term]:
        return [self.term, *self.cleaned_data.get("also", [])]

    def create(self, by=None) -> CheckIn:
        """The check-in, made from the valid form (glossary.actions.ask_in_own_checkin)."""
        data = self.cleaned_data
        return ask_in_own_checkin(
            self.terms(),
            data["title"],
            data["opens_at"],
            data["closes_at"],
            anonymous=data["anonymous"],
            by=by,
            functions=data["functions"],
            teams=data["teams"],
        )
