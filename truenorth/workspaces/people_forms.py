from django import forms
from django.db.models import Q

from truenorth.tabular import column_names
from truenorth.workspaces.models import Function, Person, Role, Team, Workspace
from truenorth.workspaces.people import tree_of
from truenorth.workspaces.people_import import FIELDS, department_functions


def open_teams(workspace: Workspace, keep: Team | None = None):
    """The teams offered for a new assignment: not archived, plus the one already chosen."""
    teams = workspace.teams.filter(archived=False)
    if keep is not None:
        teams = workspace.teams.filter(Q(archived=False) | Q(pk=keep.pk))
    return teams


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254)
    # No default: a person added in a hurry must not be filed under the first function.
    function = forms.ChoiceField(choices=[("", "Choose…"), *Function.choices])
    team = forms.ModelChoiceField(Team.objects.none(), required=False, empty_label="No team")
    manager = forms.EmailField(
        required=False, label="Manager's email", help_text="Someone in this workspace."
    )
    title = forms.CharField(max_length=200, required=False, label="Job title")
    role = forms.ChoiceField(
        choices=[("", "Not said"), *Role.choices],
        required=False,
        label="Role for a login",
        help_text="Given to a login made for them later; grants nothing by itself.",
    )

    def __init__(self, *args, workspace: Workspace, person: Person | None = None, **kwargs):
        if person is not None:
            kwargs.setdefault("initial", {}).update(
                {
                    "name": person.name,
                    "email": person.email,
                    "function": person.function,
                    "team": person.team_id,
                    "manager": person.manager.email if person.manager else "",
                    "title": person.title,
                    "role": person.role,
                }
            )
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["team"].queryset = open_teams(workspace, person.team if person else None)

    def clean_manager(self) -> Person | None:
        email = self.cleaned_data["manager"]
        if not email:
            return None
        manager = self.workspace.people.filter(email__iexact=email).first()
        if manager is None:
            raise forms.ValidationError(f"Nobody in this workspace has the email {email}.")
        return manager


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200)
    parent = forms.ModelChoiceField(
        Team.objects.none(), required=False, empty_label="None (a top-level team)", label="Within"
    )

    def __init__(self, *args, workspace: Workspace, team: Team | None = None, **kwargs):
        if team is not None:
            kwargs.setdefault("initial", {}).update({"name": team.name, "parent": team.parent_id})
        super().__init__(*args, **kwargs)
        teams = open_teams(workspace, team.parent if team else None)
        parent = self.fields["parent"]
        parent.queryset = teams.exclude(pk=team.pk) if team else teams
        if team is not None:
            # A team below it is not offered (nesting it there would make a loop), yet still
            # read, so that one sent anyway is refused by name (people.check_team).
            below = tree_of(team)
            parent.widget.choices = [
                c for c in parent.choices if c[0] == "" or c[0].value not in below
            ]


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV with a header row: name, email, function, team, manager email, role, title."
    )
    columns = forms.CharField(
        label="Column names",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for headers not recognised: one field=Column a line, e.g. team=Squad "
        "(the CLI's --map). Fields: " + ", ".join(FIELDS) + ".",
    )

    departments = forms.CharField(
        label="Departments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for departments that are not one of the functions: one "
        "Department=function a line, e.g. R&D=engineering (the CLI's --function).",
    )

    def clean_columns(self) -> dict[str, str]:
        try:
            return column_names(self.cleaned_data["columns"], FIELDS)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_departments(self) -> dict[str, str]:
        try:
            return department_functions(self.cleaned_data["departments"].splitlines())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class EraseForm(forms.Form):
    """Erasing cannot be undone: the owner types the person's address, so that a slip of the
    mouse, or the wrong row, erases nobody."""

    email = forms.CharField(max_length=254, label="Their email address, to confirm", strip=True)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        typed = self.cleaned_data["email"]
        if typed.lower() != self.person.email.lower():
            raise forms.ValidationError(f"Type {self.person.email} to erase {self.person.name}.")
        return typed
