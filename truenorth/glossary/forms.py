from django import forms

from truenorth.checkins.models import CheckIn
from truenorth.glossary.models import Term
from truenorth.ids import ids_in_range
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
        self.fields["related"].help_text = "Terms to read with this one (hold Ctrl for several)."

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
