from django import forms


class LinkForm(forms.Form):
    """Pick what a work item serves: an initiative, a goal, or nothing."""

    target = forms.ChoiceField(required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        initiatives = [(f"initiative:{i.pk}", i.title) for i in workspace.initiatives.all()]
        goals = [(f"goal:{g.pk}", f"#{g.rank} {g.title}") for g in workspace.goals.all()]
        self.fields["target"].choices = [
            ("", "— nothing (orphan work) —"),
            ("Initiatives", initiatives),
            ("Goals", goals),
        ]

    def option_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The choices as (group, options) for the per-row select in the list page."""
        nothing, *groups = self.fields["target"].choices
        return [("", [nothing]), *groups]

    def clean_target(self):
        value = self.cleaned_data["target"]
        if not value:
            return None
        kind, pk = value.split(":")
        related = {"initiative": self.workspace.initiatives, "goal": self.workspace.goals}[kind]
        return related.get(pk=pk)
